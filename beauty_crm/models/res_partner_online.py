from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    beauty_online_unverified = fields.Boolean(
        "Identity not proven online",
        copy=False,
        help="Card created by an online booking whose phone or e-mail is already "
        "on another client card, without the one-time code that proves it: the "
        "front desk checks who booked and merges the cards.",
    )

    def action_beauty_online_checked(self):
        """The front desk has checked who booked (and merged the cards)."""
        self.write({"beauty_online_unverified": False})
