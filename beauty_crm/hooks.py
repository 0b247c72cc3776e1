def pre_init_hook(env):
    """The exclusion constraints on bookings need btree_gist (a trusted
    extension since PostgreSQL 13: the database owner may create it)."""
    env.cr.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")


# Odoo's rule before beauty_crm narrowed it to the client's own contact.
HELPDESK_PORTAL_DOMAIN = (
    "['|', ('partner_id', 'child_of', [user.commercial_partner_id.id]),"
    " ('message_partner_ids', 'child_of', [user.commercial_partner_id.id])]"
)


def uninstall_hook(env):
    """Materials, lots and stock locations that stock moves refer to are stock
    history, which outlives the addon: keep them as ordinary records rather
    than let the uninstallation try, and fail, to delete them. The same for
    the salon team's stages and lost reasons that the salon's own leads are
    in (crm refuses to delete a stage or reason in use), and the team."""
    moves = env["stock.move"].with_context(active_test=False)
    move_lines = env["stock.move.line"].with_context(active_test=False)
    addon_leads = env["ir.model.data"].search(
        [("module", "=", "beauty_crm"), ("model", "=", "crm.lead")]
    )
    leads = env["crm.lead"].with_context(active_test=False)

    def salon_leads(field, ids):
        domain = [(field, "in", ids), ("id", "not in", addon_leads.mapped("res_id"))]
        return leads.search(domain)[field].ids

    in_history = {
        "crm.stage": lambda ids: salon_leads("stage_id", ids),
        "crm.team": lambda ids: salon_leads("team_id", ids),
        "crm.lost.reason": lambda ids: salon_leads("lost_reason_id", ids),
        "product.product": lambda ids: (
            moves.search([("product_id", "in", ids)]).product_id.ids
        ),
        "product.template": lambda ids: (
            moves.search(
                [("product_id.product_tmpl_id", "in", ids)]
            ).product_id.product_tmpl_id.ids
        ),
        "stock.lot": lambda ids: move_lines.search([("lot_id", "in", ids)]).lot_id.ids,
        "stock.location": lambda ids: [
            location_id
            for location_id in ids
            if moves.search_count(
                [
                    "|",
                    ("location_id", "=", location_id),
                    ("location_dest_id", "=", location_id),
                ],
                limit=1,
            )
        ],
    }
    for model, used in in_history.items():
        xmlids = env["ir.model.data"].search(
            [("module", "=", "beauty_crm"), ("model", "=", model)]
        )
        kept = set(used(xmlids.mapped("res_id")))
        xmlids.filtered(lambda xmlid, kept=kept: xmlid.res_id in kept).unlink()
        # Their _inherits parents (the salon team's mail alias) stay too.
        records = env[model].browse(kept)
        for parent_model, field in env[model]._inherits.items():
            env["ir.model.data"].search(
                [
                    ("module", "=", "beauty_crm"),
                    ("model", "=", parent_model),
                    ("res_id", "in", records[field].ids),
                ]
            ).unlink()
    # The salon itself outlives the addon too once it has a history: its
    # companies (with their books), clients, staff, services and calendars,
    # which invoices, payments and loyalty cards refer to.
    # Their reason for the first visit goes with the addon's tables.
    env.cr.execute(
        "UPDATE res_partner SET visit_reason_id = NULL"
        " WHERE visit_reason_id IS NOT NULL"
    )
    env["ir.model.data"].search(
        [("module", "=", "beauty_crm"), ("model", "in", SALON_MODELS)]
    ).filtered(lambda xmlid: xmlid.name not in SALON_DATA).unlink()
    portal_rule = env.ref(
        "helpdesk_mgmt.helpdesk_ticket_rule_portal", raise_if_not_found=False
    )
    if portal_rule:
        portal_rule.domain_force = HELPDESK_PORTAL_DOMAIN
    # What the slot engine keeps in the database outside Odoo's tables.
    env.cr.execute(
        "DROP FUNCTION IF EXISTS beauty_slot_search_data;"
        " DROP TABLE IF EXISTS beauty_schedule_version;"
        " DROP SEQUENCE IF EXISTS beauty_schedule_version_seq"
    )


SALON_MODELS = (
    "res.company",
    "res.partner",
    "res.users",
    "hr.employee",
    "product.product",
    "product.template",
    "resource.calendar",
    "resource.resource",
    "loyalty.program",
)
# Records of the addon's own data (not of a salon) that go with it.
SALON_DATA = ("product_cancellation_fee",)
