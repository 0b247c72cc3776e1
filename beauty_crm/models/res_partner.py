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

    # Loyalty card (issue #7) ---------------------------------------------------

    def _beauty_birthday(self):
        """The client's date of birth, for the yearly birthday bonus; the client
        card provides it (False while unknown)."""
        self.ensure_one()
        return False

    def _beauty_loyalty_card(self, company=None, create=True):
        """The client's card in the salon loyalty program, issued on first use."""
        self.ensure_one()
        company = company or self.env.company
        program = company._beauty_loyalty_program()
        partner = self.commercial_partner_id
        Card = self.env["loyalty.card"].sudo()
        card = Card.search(
            [("program_id", "=", program.id), ("partner_id", "=", partner.id)],
            limit=1,
        )
        if not card and create:
            card = Card.with_context(loyalty_no_mail=True).create(
                {"program_id": program.id, "partner_id": partner.id, "points": 0}
            )
        return card

    def _beauty_tier_discount(self, company=None):
        """Discount (%) of the client's loyalty tier."""
        self.ensure_one()
        card = self._beauty_loyalty_card(company=company, create=False)
        return card.beauty_tier_id.discount_percent if card else 0.0

    def action_beauty_view_loyalty_cards(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "beauty_crm.loyalty_card_action"
        )
        action["domain"] = [("partner_id", "child_of", self.commercial_partner_id.id)]
        return action
