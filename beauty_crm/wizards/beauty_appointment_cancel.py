from odoo import fields, models


class BeautyAppointmentCancel(models.TransientModel):
    _name = "beauty.appointment.cancel"
    _description = "Cancel appointments with a reason"

    appointment_ids = fields.Many2many("beauty.appointment", required=True)
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.appointment_ids._action_cancel(self.reason)
        return {"type": "ir.actions.act_window_close"}
