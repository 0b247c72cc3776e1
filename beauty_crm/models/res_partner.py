from odoo import api, fields, models

HEALTH_GROUPS = "beauty_crm.group_beauty_specialist"


class ResPartner(models.Model):
    _inherit = "res.partner"

    is_salon_client = fields.Boolean(
        "Salon client", index=True, help="This contact is a client of the salon."
    )
    allergen_ids = fields.Many2many(
        "beauty.allergen",
        "beauty_partner_allergen_rel",
        "partner_id",
        "allergen_id",
        string="Allergies",
        groups=HEALTH_GROUPS,
    )
    contraindication_ids = fields.Many2many(
        "beauty.contraindication",
        "beauty_partner_contraindication_rel",
        "partner_id",
        "contraindication_id",
        string="Contraindications",
        groups=HEALTH_GROUPS,
    )
    health_alert = fields.Char(
        compute="_compute_health_alert",
        compute_sudo=True,
        help="What the front desk must know before booking: allergies and "
        "contraindications with their severity, without medical details.",
    )
    appointment_ids = fields.One2many(
        "beauty.appointment", "partner_id", string="Appointments"
    )

    @api.depends(
        "allergen_ids.name",
        "allergen_ids.severity",
        "contraindication_ids.name",
        "contraindication_ids.severity",
    )
    def _compute_health_alert(self):
        severity = dict(self.env["beauty.allergen"]._fields["severity"].selection)
        for partner in self:
            items = [*partner.allergen_ids, *partner.contraindication_ids]
            partner.health_alert = ", ".join(
                f"{item.name} ({severity[item.severity]})"
                for item in sorted(items, key=lambda item: item.name)
            )
