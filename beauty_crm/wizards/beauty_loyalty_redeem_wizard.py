from odoo import api, fields, models
from odoo.exceptions import UserError


class BeautyLoyaltyRedeemWizard(models.TransientModel):
    _name = "beauty.loyalty.redeem.wizard"
    _description = "Use a loyalty, gift, eWallet or package card on an invoice"

    move_id = fields.Many2one("account.move", "Invoice", required=True, readonly=True)
    partner_id = fields.Many2one(related="move_id.commercial_partner_id")
    code = fields.Char(
        "Card code", help="Scan or type the code of a gift card or a client card."
    )
    card_id = fields.Many2one(
        "loyalty.card",
        "Card",
        compute="_compute_card_id",
        store=True,
        readonly=False,
        domain="[('partner_id', '=', partner_id), ('points', '>', 0)]",
    )
    program_type = fields.Selection(related="card_id.program_type")
    balance = fields.Char(related="card_id.points_display", string="Balance")
    is_package = fields.Boolean(compute="_compute_is_package")
    points = fields.Float("Points or amount to use", digits=(16, 2))
    line_id = fields.Many2one(
        "account.move.line",
        "Service",
        domain="[('move_id', '=', move_id), ('display_type', '=', 'product'), "
        "('beauty_loyalty_card_id', '=', False)]",
        help="Service paid by a session of the package.",
    )

    @api.depends("code")
    def _compute_card_id(self):
        for wizard in self:
            if wizard.code:
                wizard.card_id = (
                    self.env["loyalty.card"]
                    .sudo()
                    .search([("code", "=", wizard.code.strip())], limit=1)
                )

    @api.depends("card_id")
    def _compute_is_package(self):
        for wizard in self:
            wizard.is_package = any(
                reward.reward_type == "product"
                for reward in wizard.card_id.sudo().program_id.reward_ids
            )

    def action_apply(self):
        self.ensure_one()
        if not self.card_id:
            raise UserError(self.env._("No card with this code."))
        self.move_id._beauty_redeem(self.card_id, points=self.points, line=self.line_id)
        return {"type": "ir.actions.act_window_close"}
