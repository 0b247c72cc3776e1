from odoo import fields, models
from odoo.exceptions import UserError


class BeautyWaitlistOffer(models.Model):
    """Freed time offered to a waiting client."""

    _name = "beauty.waitlist.offer"
    _description = "Waitlist offer"
    _order = "start, id"

    waitlist_id = fields.Many2one(
        "beauty.waitlist", required=True, ondelete="cascade", index=True
    )
    partner_id = fields.Many2one(related="waitlist_id.partner_id", store=True)
    product_id = fields.Many2one(related="waitlist_id.product_id", store=True)
    company_id = fields.Many2one(related="waitlist_id.company_id", store=True)
    employee_id = fields.Many2one("hr.employee", "Specialist", required=True)
    room_id = fields.Many2one("resource.resource", "Room or device")
    start = fields.Datetime(required=True)
    stop = fields.Datetime(required=True)
    state = fields.Selection(
        [("offered", "Offered"), ("booked", "Booked"), ("declined", "Declined")],
        default="offered",
        required=True,
    )
    appointment_id = fields.Many2one("beauty.appointment", readonly=True)

    def action_book(self):
        """Book the offered time through the engine, which refuses it if it
        has been taken meanwhile."""
        self.ensure_one()
        if self.state != "offered":
            raise UserError(self.env._("This offer is no longer open."))
        appointment = self.env["beauty.scheduler"].book(
            self.partner_id,
            [
                {
                    "product_id": self.product_id.id,
                    "employee_id": self.employee_id.id,
                    "start": self.start,
                    "room_id": self.room_id.id,
                }
            ],
            channel="phone",
        )
        self.write({"state": "booked", "appointment_id": appointment.id})
        self.waitlist_id.state = "booked"
        return {
            "type": "ir.actions.act_window",
            "res_model": "beauty.appointment",
            "res_id": appointment.id,
            "view_mode": "form",
        }

    def action_decline(self):
        self.write({"state": "declined"})
