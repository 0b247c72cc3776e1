from odoo import fields, models


class BeautyAppointmentCancel(models.TransientModel):
    _name = "beauty.appointment.cancel"
    _description = "Cancel appointments with a reason"

    appointment_ids = fields.Many2many("beauty.appointment", required=True)
    reason = fields.Text(required=True)
    cancelled_by = fields.Selection(
        [("client", "The client"), ("salon", "The salon")],
        required=True,
        default="client",
        help="A client cancelling late loses the deposit; when the salon "
        "cancels, the deposit is refunded.",
    )

    def action_confirm(self):
        self.appointment_ids._action_cancel(self.reason, self.cancelled_by)
        return {"type": "ir.actions.act_window_close"}
