from odoo import fields, models


class LoyaltyHistory(models.Model):
    _inherit = "loyalty.history"

    beauty_kind = fields.Selection(
        [
            ("earn", "Earned on a paid invoice"),
            ("redeem", "Used at the desk"),
            ("refund", "Credit note"),
            ("birthday", "Birthday bonus"),
            ("compensation", "Complaint compensation"),
        ],
        "Origin",
        readonly=True,
        index="btree_not_null",
    )

    def _get_order_portal_url(self):
        if self.order_model == "account.move":
            move = self.env["account.move"].browse(self.order_id).exists()
            return move.get_portal_url() if move else False
        return super()._get_order_portal_url()
