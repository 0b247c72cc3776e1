from datetime import timedelta

import pytz

from odoo import api, fields, models

# Freed time handled per cron run; Odoo runs the cron again for the rest
# (ir.cron._notify_progress).
FREED_BATCH = 200


class BeautyWaitlistFreed(models.Model):
    """Time of a specialist freed by a cancellation or a no-show, waiting to be
    offered to the waitlist.

    Cancelling only records the freed time and triggers the cron
    (``ir.cron._trigger``): the search of the waiting clients and the engine
    run for each of them happen after the cancelling request, in the cron's
    own transaction."""

    _name = "beauty.waitlist.freed"
    _description = "Freed time for the waitlist"
    _order = "id"

    line_id = fields.Many2one("beauty.appointment.line", ondelete="set null")
    company_id = fields.Many2one("res.company", "Branch", required=True)
    employee_id = fields.Many2one("hr.employee", "Specialist", required=True)
    partner_id = fields.Many2one(
        "res.partner", "Cancelled by client", help="Not offered their own time."
    )
    start = fields.Datetime(required=True)
    stop = fields.Datetime(required=True)

    @api.model
    def _record(self, lines):
        """Remember the time freed by ``lines`` and wake the cron up."""
        now = fields.Datetime.now()
        values = [
            {
                "line_id": line.id,
                "company_id": line.company_id.id,
                "employee_id": line.employee_id.id,
                "partner_id": line.partner_id.id,
                "start": line.start,
                "stop": line.stop,
            }
            for line in lines.sudo()
            if line.employee_id and line.start and line.stop and line.stop > now
        ]
        if not values:
            return self.browse()
        freed = self.sudo().create(values)
        self.env.ref("beauty_crm.ir_cron_beauty_waitlist_freed").sudo()._trigger()
        return freed

    def _local_dates(self):
        """First and last day of the freed time in the specialist's time zone."""
        self.ensure_one()
        tz = pytz.timezone(self.employee_id.sudo().resource_id.tz or "UTC")
        first = pytz.utc.localize(self.start).astimezone(tz).date()
        last = pytz.utc.localize(self.stop - timedelta(seconds=1)).astimezone(tz)
        return first, last.date()

    def _matching_entries(self):
        """Open waitlist entries that could use this freed time: same branch,
        the freed specialist or any, a service that specialist performs, and a
        waited period that covers a day of the freed time."""
        self.ensure_one()
        first, last = self._local_dates()
        return (
            self.env["beauty.waitlist"]
            .sudo()
            .search(
                [
                    ("state", "in", ("waiting", "offered")),
                    ("company_id", "=", self.company_id.id),
                    ("partner_id", "!=", self.partner_id.id),
                    ("employee_id", "in", (False, self.employee_id.id)),
                    ("product_id.specialist_ids", "in", self.employee_id.ids),
                    ("date_from", "<=", last),
                    ("date_to", ">=", first),
                ]
            )
        )

    @api.model
    def _cron_offer_freed_time(self):
        """Close the waitlist entries whose period is over, then offer each
        recorded freed time to the entries that match it."""
        self.env["beauty.waitlist"]._close_past_entries()
        freed = self.sudo().search([], limit=FREED_BATCH)
        now = fields.Datetime.now()
        Waitlist = self.env["beauty.waitlist"].sudo()
        for freed_time in freed.filtered(lambda freed_time: freed_time.stop > now):
            Waitlist._offer_time(
                freed_time._matching_entries(),
                freed_time.employee_id,
                max(freed_time.start, now),
                freed_time.stop,
            )
        done = len(freed)
        freed.unlink()
        self.env["ir.cron"]._notify_progress(
            done=done, remaining=self.sudo().search_count([])
        )
