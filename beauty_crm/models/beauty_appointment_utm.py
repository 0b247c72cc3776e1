from odoo import api, models


class BeautyAppointment(models.Model):
    """Campaign, source and medium of the link that brought an online booking
    (Odoo's UTM: the website keeps them in cookies, utm.mixin reads them);
    per mailing, the bookings it brought are those of its source."""

    _name = "beauty.appointment"
    _inherit = ["beauty.appointment", "utm.mixin"]

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        # The cookies say where the visitor of the website came from; the
        # browser of a receptionist booking at the desk may carry cookies of
        # a link they clicked, which say nothing about the client.
        if self.env.user._is_internal() and not self.env.su:
            for _param, fname, _cookie in self.env["utm.mixin"].tracking_fields():
                if f"default_{fname}" not in self.env.context:
                    values.pop(fname, None)
        return values
