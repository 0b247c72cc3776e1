from odoo import api, fields, models
from odoo.tools import SQL

from .beauty_report_visit import REBOOK_WINDOW


class BeautyAppointment(models.Model):
    _inherit = "beauty.appointment"

    beauty_rebooked = fields.Boolean(
        "Booked before leaving",
        readonly=True,
        copy=False,
        help="Another appointment of the client, for a later time, was made "
        "during this visit or within two hours after its end.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        appointments = super().create(vals_list)
        appointments._beauty_mark_rebooked()
        return appointments

    def _beauty_mark_rebooked(self):
        """Mark the visits these new bookings were made at (the client was in
        the salon, or had just left): the rebooking rate reads the mark."""
        booked = self.filtered(lambda appointment: appointment.start)
        if not booked:
            return
        booked.flush_recordset(["partner_id", "start"])
        self.env.cr.execute(
            SQL(
                """
            UPDATE beauty_appointment visit
               SET beauty_rebooked = true
              FROM beauty_appointment new
             WHERE new.id IN %(ids)s
               AND visit.partner_id = new.partner_id
               AND visit.id != new.id
               AND visit.start < new.start
               AND visit.start <= %(now)s
               AND visit.stop + interval %(window)s >= %(now)s
               AND visit.beauty_rebooked IS NOT TRUE
            """,
                ids=tuple(booked.ids),
                now=fields.Datetime.now(),
                window=REBOOK_WINDOW,
            )
        )
        self.invalidate_model(["beauty_rebooked"])
