# Run by tools/test.sh through `odoo shell` (``env`` is given): uninstalls
# beauty_crm as a salon would, with leads of the salon's own in the salon
# team's stages, one of them lost for a demo reason, and checks that they
# and Odoo's helpdesk portal rule come out as they were before the addon.
# Any failure is a traceback in the test log, which fails the run.
# ruff: noqa: F821

stage = env.ref("beauty_crm.crm_stage_salon_consultation_booked")
team = env.ref("beauty_crm.crm_team_salon")
reason = env.ref("beauty_crm.lost_reason_contraindicated", raise_if_not_found=False)
leads = env["crm.lead"].create(
    [
        {"name": "Salon lead kept", "team_id": team.id, "stage_id": stage.id},
        {"name": "Salon lead lost", "team_id": team.id, "stage_id": stage.id},
    ]
)
if reason:
    leads[1].action_set_lost(lost_reason_id=reason.id)
env.cr.commit()

addon = env["ir.module.module"].search([("name", "=", "beauty_crm")])
addon.button_immediate_uninstall()
env.cr.commit()

# The registry without beauty_crm's fields and models.
registry = odoo.modules.registry.Registry(env.cr.dbname)
assert "beauty.appointment" not in registry, "beauty_crm is still loaded"
env = odoo.api.Environment(registry.cursor(), odoo.SUPERUSER_ID, {})
kept = env["crm.lead"].with_context(active_test=False).browse(leads.ids).exists()
assert kept.ids == leads.ids, "the salon's own leads went with the addon"
assert kept.stage_id.exists() and kept.team_id.exists(), "their stage and team"
assert not reason or kept[1].lost_reason_id.exists(), "their lost reason"
rule = env.ref("helpdesk_mgmt.helpdesk_ticket_rule_portal")
assert "commercial_partner_id" in rule.domain_force, rule.domain_force
env.cr.execute(
    "SELECT count(*) FROM pg_proc WHERE proname = 'beauty_slot_search_data'"
    " UNION ALL SELECT count(*) FROM pg_class"
    " WHERE relname IN ('beauty_schedule_version', 'beauty_schedule_version_seq')"
)
assert [row[0] for row in env.cr.fetchall()] == [0, 0], "slot engine objects left"
print("beauty_crm uninstalled; the salon's leads and helpdesk's rule kept")
env.cr.close()
