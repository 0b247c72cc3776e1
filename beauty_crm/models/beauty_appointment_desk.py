import pytz

from odoo import Command, api, fields, models

DESK_COLUMNS = [
    ("expected", "Expected"),
    ("arrived", "Arrived"),
    ("in_chair", "In the chair"),
    ("done", "Done"),
    ("away", "Cancelled or missed"),
]
DESK_COLUMN_OF_STATE = {
    "draft": "expected",
    "confirmed": "expected",
    "arrived": "arrived",
    "in_progress": "in_chair",
    "done": "done",
    "cancelled": "away",
    "no_show": "away",
}


class BeautyAppointment(models.Model):
    """What the front desk sees of a visit on the Today board: its column, its
    time on the wall clock of the user and how long the client has waited or
    been in the chair."""

    _inherit = "beauty.appointment"

    desk_column = fields.Selection(
        DESK_COLUMNS,
        "Front desk",
        compute="_compute_desk_column",
        store=True,
        group_expand="_group_expand_desk_column",
    )
    arrived_at = fields.Datetime("Checked in at", readonly=True, copy=False)
    started_at = fields.Datetime("In the chair since", readonly=True, copy=False)
    desk_time = fields.Char("Time", compute="_compute_desk_time")
    desk_status = fields.Char("At the desk", compute="_compute_desk_status")

    @api.depends("state")
    def _compute_desk_column(self):
        for appointment in self:
            appointment.desk_column = DESK_COLUMN_OF_STATE[appointment.state]

    @api.model
    def _group_expand_desk_column(self, values, domain):
        """The board always shows the four steps of a visit; the column of
        cancelled and missed visits only when there are some."""
        return [key for key, _label in DESK_COLUMNS if key != "away" or key in values]

    def _desk_tz(self):
        return pytz.timezone(self.env.context.get("tz") or self.env.user.tz or "UTC")

    def _desk_clock(self, moment):
        """HH:MM of a UTC datetime on the wall clock of the user."""
        return pytz.utc.localize(moment).astimezone(self._desk_tz()).strftime("%H:%M")

    @api.depends("start", "stop")
    @api.depends_context("tz", "uid")
    def _compute_desk_time(self):
        for appointment in self:
            if not appointment.start:
                appointment.desk_time = False
                continue
            start = appointment._desk_clock(appointment.start)
            stop = appointment._desk_clock(appointment.stop)
            appointment.desk_time = f"{start}–{stop}"

    @api.depends("state", "start", "arrived_at", "started_at")
    @api.depends_context("tz", "uid")
    def _compute_desk_status(self):
        now = fields.Datetime.now()
        for appointment in self:
            status = False
            if appointment.is_late:
                status = self.env._(
                    "Late %(minutes)s min",
                    minutes=int((now - appointment.start).total_seconds() // 60),
                )
            elif appointment.state == "arrived" and appointment.arrived_at:
                status = self.env._(
                    "Waiting %(minutes)s min",
                    minutes=int((now - appointment.arrived_at).total_seconds() // 60),
                )
            elif appointment.state == "in_progress" and appointment.started_at:
                status = self.env._(
                    "In the chair since %(time)s",
                    time=appointment._desk_clock(appointment.started_at),
                )
            appointment.desk_status = status

    def write(self, vals):
        # The moments of the check-in and of the start, for the waiting times.
        if vals.get("state") == "arrived":
            vals = {"arrived_at": fields.Datetime.now(), **vals}
        elif vals.get("state") == "in_progress":
            vals = {"started_at": fields.Datetime.now(), **vals}
        return super().write(vals)

    # ------------------------------------------------------------------
    # Check-out
    # ------------------------------------------------------------------

    def action_beauty_checkout(self):
        """One button from the visit to the money: the visit's invoice (made
        if needed) to use a card and confirm, then Odoo's payment form once
        it is confirmed and due."""
        self.ensure_one()
        invoice = self._beauty_create_invoice()
        if invoice.state == "posted" and invoice.payment_state in (
            "not_paid",
            "partial",
        ):
            return invoice.action_register_payment()
        return self.action_beauty_create_invoice()

    def action_beauty_book_next(self):
        """A new appointment of the same client with the same services and
        specialists; the desk picks the day and time."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Next visit"),
            "res_model": "beauty.appointment",
            "view_mode": "form",
            "views": [(False, "form")],
            "context": {
                "default_partner_id": self.partner_id.id,
                "default_company_id": self.company_id.id,
                "default_channel": "staff",
                "default_line_ids": [
                    Command.create(
                        {
                            "product_id": line.product_id.id,
                            "employee_id": line.employee_id.id,
                        }
                    )
                    for line in self.line_ids
                ],
            },
        }
