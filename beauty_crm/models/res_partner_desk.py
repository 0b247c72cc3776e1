from odoo import api, fields, models


class ResPartner(models.Model):
    """The loyalty balance on the salon client's card, for the front desk."""

    _inherit = "res.partner"

    beauty_loyalty_points = fields.Float(
        "Loyalty points",
        compute="_compute_beauty_loyalty",
        help="Points on the client's card of the salon's loyalty program.",
    )
    beauty_loyalty_tier_id = fields.Many2one(
        "beauty.loyalty.tier", "Loyalty tier", compute="_compute_beauty_loyalty"
    )

    @api.depends("commercial_partner_id")
    @api.depends_context("company")
    def _compute_beauty_loyalty(self):
        program = self.env.company.beauty_loyalty_program_id
        cards = {}
        if program:
            # One search for the cards of every client shown.
            for card in (
                self.env["loyalty.card"]
                .sudo()
                .search(
                    [
                        ("program_id", "=", program.id),
                        ("partner_id", "in", self.commercial_partner_id.ids),
                    ]
                )
            ):
                cards.setdefault(card.partner_id, card)
        for partner in self:
            card = cards.get(partner.commercial_partner_id)
            partner.beauty_loyalty_points = card.points if card else 0.0
            partner.beauty_loyalty_tier_id = card.beauty_tier_id if card else False
