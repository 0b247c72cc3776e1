from odoo import api, models


class BeautyWaitlistOffer(models.Model):
    _inherit = "beauty.waitlist.offer"

    @api.model_create_multi
    def create(self, vals_list):
        """A waiting client is told at once of the time offered."""
        offers = super().create(vals_list)
        Message = self.env["beauty.message"].sudo()
        for offer in offers.filtered(lambda offer: offer.state == "offered"):
            Message._beauty_queue(
                "waitlist_offer",
                offer.partner_id,
                f"waitlist_offer:{offer.id}",
                offer=offer,
            )
        return offers

    def _beauty_local_start(self):
        self.ensure_one()
        return self.partner_id._beauty_format_local(self.start)
