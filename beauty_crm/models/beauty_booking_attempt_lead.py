from odoo import fields, models


class BeautyBookingAttempt(models.Model):
    _inherit = "beauty.booking.attempt"

    kind = fields.Selection(
        selection_add=[("consultation", "Consultation request")],
        ondelete={"consultation": "cascade"},
    )
