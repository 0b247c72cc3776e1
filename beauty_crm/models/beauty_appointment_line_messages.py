from odoo import models


class BeautyAppointmentLine(models.Model):
    _inherit = "beauty.appointment.line"

    def write(self, vals):
        """A visit moved in the calendar (a line's time written) tells the
        client and moves its reminders, as a move from the visit does."""
        track = "start" in vals and not self.env.context.get("beauty_messages_tracked")
        appointments = self.appointment_id
        before = appointments._beauty_snapshot() if track else {}
        result = super().write(vals)
        if before:
            appointments._beauty_after_change(before)
        return result
