from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class BeautyWaitlist(models.Model):
    """A client waiting for a service (optionally with one specialist) in a
    date range; freed time that fits is recorded as an offer."""

    _name = "beauty.waitlist"
    _description = "Waitlist entry"
    _inherit = ["mail.thread"]
    _order = "create_date, id"

    partner_id = fields.Many2one(
        "res.partner",
        "Client",
        required=True,
        index=True,
        tracking=True,
        domain=[("is_salon_client", "=", True)],
    )
    product_id = fields.Many2one(
        "product.product",
        "Service",
        required=True,
        domain=[("is_salon_service", "=", True)],
        tracking=True,
    )
    employee_id = fields.Many2one(
        "hr.employee",
        "Specialist",
        domain=[("is_specialist", "=", True)],
        help="Empty: any specialist who performs the service.",
        tracking=True,
    )
    date_from = fields.Date("From", required=True, default=fields.Date.context_today)
    date_to = fields.Date("To", required=True, tracking=True)
    state = fields.Selection(
        [
            ("waiting", "Waiting"),
            ("offered", "Offered"),
            ("booked", "Booked"),
            ("cancelled", "Cancelled"),
            ("expired", "Expired"),
        ],
        default="waiting",
        required=True,
        tracking=True,
        index=True,
    )
    company_id = fields.Many2one(
        "res.company", "Branch", required=True, default=lambda self: self.env.company
    )
    offer_ids = fields.One2many("beauty.waitlist.offer", "waitlist_id", "Offers")
    note = fields.Text()

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for entry in self:
            if entry.date_to < entry.date_from:
                raise ValidationError(
                    self.env._("The waitlist period must end after it starts.")
                )

    def _compute_display_name(self):
        for entry in self:
            entry.display_name = (
                f"{entry.partner_id.name} - {entry.product_id.display_name}"
            )

    def action_cancel(self):
        self.write({"state": "cancelled"})

    def action_reopen(self):
        self.write({"state": "waiting"})

    def _window(self):
        """The waited period in UTC, days read in the salon's time zone."""
        self.ensure_one()
        employee = self.employee_id or self.product_id.specialist_ids[:1]
        tz = pytz.timezone(employee.sudo().resource_id.tz or self.env.user.tz or "UTC")
        start = tz.localize(datetime.combine(self.date_from, time.min))
        stop = tz.localize(datetime.combine(self.date_to + timedelta(days=1), time.min))
        return (
            start.astimezone(pytz.utc).replace(tzinfo=None),
            stop.astimezone(pytz.utc).replace(tzinfo=None),
        )

    @api.model
    def _close_past_entries(self):
        """Entries whose waited period is over are closed as expired."""
        now = fields.Datetime.now()
        candidates = self.sudo().search(
            [
                ("state", "in", ("waiting", "offered")),
                ("date_to", "<=", fields.Date.to_date(now) + timedelta(days=1)),
            ]
        )
        past = candidates.filtered(lambda entry: entry._window()[1] <= now)
        past.write({"state": "expired"})
        past.offer_ids.filtered(lambda offer: offer.state == "offered").write(
            {"state": "declined"}
        )
        return past

    @api.model
    def _offer_time(self, entries, employee, start, stop):
        """Record offers to the waiting ``entries`` whose wish fits the free
        time of ``employee`` between ``start`` and ``stop`` (UTC). Messaging
        the offer to the client is left to the reminder gateways."""
        scheduler = self.env["beauty.scheduler"]
        Offer = self.env["beauty.waitlist.offer"].sudo()
        for entry in entries.sudo():
            window_start, window_stop = entry._window()
            slot_start, slot_stop = max(start, window_start), min(stop, window_stop)
            if slot_start >= slot_stop:
                continue
            try:
                slots = scheduler.with_company(entry.company_id).get_available_slots(
                    entry.product_id, slot_start, slot_stop, employee=employee
                )
            except UserError:
                # The specialist does not perform the awaited service.
                continue
            if not slots or entry.offer_ids.filtered(
                lambda offer, slot=slots[0]: offer.start == slot["start"]
            ):
                continue
            slot = slots[0]["lines"][0]
            Offer.create(
                {
                    "waitlist_id": entry.id,
                    "employee_id": slot["employee_id"],
                    "room_id": slot["room_id"],
                    "start": slot["start"],
                    "stop": slot["stop"],
                }
            )
            entry.state = "offered"
            entry.message_post(
                body=self.env._(
                    "Freed time offered: %(start)s with %(employee)s.",
                    start=scheduler._format(slot["start"]),
                    employee=employee.name,
                ),
                subtype_xmlid="mail.mt_note",
            )
