from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError


class BeautyAppointment(models.Model):
    _inherit = "beauty.appointment"

    # ------------------------------------------------------------------
    # Website booking and client cabinet
    # ------------------------------------------------------------------

    hold_expires_at = fields.Datetime(
        "Hold expires",
        copy=False,
        help="An online booking waiting for the client's confirmation or deposit "
        "keeps its time until then; it is cancelled afterwards.",
    )
    transaction_ids = fields.Many2many(
        "payment.transaction",
        "beauty_appointment_transaction_rel",
        "appointment_id",
        "transaction_id",
        string="Online payments",
        copy=False,
        readonly=True,
        groups="beauty_crm.group_beauty_receptionist",
    )

    def write(self, vals):
        # A hold lasts while the booking waits for the client: once the desk
        # (or the client) moves it to another state, or reopens a cancelled
        # one, no job may cancel it for running out again.
        if "state" in vals and "hold_expires_at" not in vals:
            vals = dict(vals, hold_expires_at=False)
        return super().write(vals)

    def _compute_access_url(self):
        result = super()._compute_access_url()
        for appointment in self:
            appointment.access_url = f"/my/appointments/{appointment.id}"
        return result

    def _rating_get_operator(self):
        # Reviews rate the specialist who did the (first) service.
        return self.line_ids[:1].employee_id.user_id.partner_id

    def _beauty_is_hold(self):
        self.ensure_one()
        return self.state == "draft" and bool(self.hold_expires_at)

    def _beauty_hold_expired(self, now=None):
        self.ensure_one()
        return self._beauty_is_hold() and self.hold_expires_at <= (
            now or fields.Datetime.now()
        )

    def _beauty_confirm_online(self):
        """Confirm a website booking once the client confirmed it or paid its
        deposit; the time stays held by the same busy blocks."""
        holds = self.filtered(lambda appointment: appointment.state == "draft")
        holds.write({"hold_expires_at": False})
        holds.action_confirm()

    def _beauty_deposit_due(self):
        """Deposit the client still has to pay online to confirm the visit."""
        self.ensure_one()
        due = self.deposit_amount - self.deposit_paid
        return self.currency_id.round(due) if due > 0 else 0.0

    def _beauty_can_cancel(self, now=None):
        self.ensure_one()
        now = now or fields.Datetime.now()
        return (
            self.state in ("draft", "confirmed")
            and bool(self.start)
            and (self.start > now)
        )

    def _beauty_can_reschedule(self, now=None):
        """The client moves a confirmed visit online while it could still be
        cancelled free of charge; later only the front desk moves it."""
        self.ensure_one()
        return (
            self.state == "confirmed"
            and self._beauty_can_cancel(now)
            and self._is_free_cancellation(now=now)
        )

    def _beauty_free_cancellation_until(self):
        self.ensure_one()
        return self.start - timedelta(
            hours=self.company_id.beauty_free_cancellation_hours
        )

    def _beauty_can_rate(self):
        self.ensure_one()
        return self.state == "done" and not self.rating_ids.filtered("consumed")

    def _beauty_portal_cancel(self, reason=None):
        """Cancellation by the client: the time is freed and the deposit is
        refunded or kept according to the salon's policy (see _action_cancel)."""
        self.ensure_one()
        return self._action_cancel(
            reason or self.env._("Cancelled by the client online."), "client"
        )

    def _beauty_move(self, planned_lines):
        """Move the visit to a plan offered by the engine (same services in
        the same order), also onto a time overlapping its current one (the
        engine was asked with ``exclude_appointment``). Each line write
        replaces the visit's busy blocks (old ones deleted before the new ones
        are inserted, in one savepoint), so the exclusion constraint only ever
        compares the visit with other appointments. Lines are moved last one
        first when the visit moves later, first one first when it moves
        earlier, so that two services of one specialist never overlap on the
        way."""
        self.ensure_one()
        lines = self.line_ids.sorted("start")
        if lines.product_id.ids != [plan["product_id"] for plan in planned_lines]:
            raise UserError(self.env._("The new time is for other services."))
        pairs = list(zip(lines, planned_lines, strict=True))
        if (
            planned_lines
            and lines[:1].start
            and planned_lines[0]["start"] > lines[0].start
        ):
            pairs.reverse()
        for line, plan in pairs:
            line.write(
                {
                    "employee_id": plan["employee_id"],
                    "start": plan["start"],
                    "stop": plan["stop"],
                    "room_id": plan.get("room_id") or False,
                }
            )

    def _beauty_link_online_deposit(self, payment):
        """Book an online payment as the deposit of this visit. A payment the
        accounting cannot take as a deposit (e.g. no outstanding account on
        the provider's journal) must not undo the payment: the front desk is
        told instead."""
        self.ensure_one()
        try:
            with self.env.cr.savepoint():
                self._beauty_register_deposit(payment)
        except UserError as error:
            self.message_post(
                body=self.env._(
                    "The online payment %(payment)s could not be booked as the "
                    "deposit: %(reason)s",
                    payment=payment.display_name,
                    reason=error.args[0],
                )
            )

    @api.model
    def _cron_release_expired_holds(self):
        """Cancel online bookings whose client neither confirmed nor paid in
        time, so that their specialists and rooms become free again."""
        expired = self.sudo().search(
            [
                ("state", "=", "draft"),
                ("hold_expires_at", "!=", False),
                ("hold_expires_at", "<=", fields.Datetime.now()),
            ]
        )
        if expired:
            expired._action_cancel(self.env._("Online booking not confirmed in time."))
        return len(expired)
