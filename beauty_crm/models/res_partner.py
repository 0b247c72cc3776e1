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

    # Procedure records (#5).
    procedure_ids = fields.One2many(
        "beauty.procedure", "partner_id", string="Procedures", groups=HEALTH_GROUPS
    )
    procedure_count = fields.Integer(
        compute="_compute_procedure_count", groups=HEALTH_GROUPS
    )
    received_material_ids = fields.One2many(
        "beauty.procedure.material",
        "partner_id",
        string="Materials received",
        domain=[("state", "=", "done")],
        groups=HEALTH_GROUPS,
    )

    def _compute_procedure_count(self):
        counts = dict(
            self.env["beauty.procedure"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.procedure_count = counts.get(partner, 0)

    def _beauty_received_lots(self):
        """Every lot this client received in a validated procedure."""
        return self.received_material_ids.lot_id

    def _beauty_has_consent(self, kind):
        """Whether the client gave a valid consent of this kind ('treatment',
        'photo'), or None while the client card keeps no consent register.
        The register of the client card issue (#3) provides the computed
        boolean read here."""
        self.ensure_one()
        field_name = f"has_{kind}_consent"
        if field_name not in self._fields:
            return None
        return bool(self.sudo()[field_name])

    def action_view_procedures(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "beauty_crm.beauty_procedure_action"
        )
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id}
        return action
