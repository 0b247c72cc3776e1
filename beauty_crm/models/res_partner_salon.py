from odoo import fields, models

from .res_partner import HEALTH_GROUPS


class ResPartner(models.Model):
    _inherit = "res.partner"

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

    def action_view_procedures(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "beauty_crm.beauty_procedure_action"
        )
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id}
        return action

    # Loyalty card (issue #7) ---------------------------------------------------

    def _beauty_birthday(self):
        """The client's date of birth, for the yearly birthday bonus (False
        while unknown)."""
        self.ensure_one()
        return self.birthday

    def _beauty_loyalty_card(self, company=None, create=True):
        """The client's card in the salon loyalty program, issued on first use."""
        self.ensure_one()
        company = company or self.env.company
        if not create and not company.beauty_loyalty_program_id:
            # Looking a card up must not set up the salon's program.
            return self.env["loyalty.card"]
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
