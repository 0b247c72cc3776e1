from datetime import timedelta

from odoo import api, fields, models

from .beauty_message_schedule import _reminder_key


class BeautyAppointment(models.Model):
    _inherit = "beauty.appointment"

    beauty_message_ids = fields.One2many(
        "beauty.message", "appointment_id", "Client messages sent"
    )
    beauty_message_count = fields.Integer(
        "Client messages", compute="_compute_beauty_message_count"
    )
    client_confirmed_at = fields.Datetime(
        "Confirmed by the client",
        copy=False,
        readonly=True,
        tracking=True,
        help="When the client confirmed coming, from the link of a reminder.",
    )

    @api.depends("beauty_message_ids")
    def _compute_beauty_message_count(self):
        counts = dict(
            self.env["beauty.message"]._read_group(
                [("appointment_id", "in", self.ids)], ["appointment_id"], ["__count"]
            )
        )
        for appointment in self:
            appointment.beauty_message_count = counts.get(appointment, 0)

    # ------------------------------------------------------------------
    # Events that tell the client something
    # ------------------------------------------------------------------

    def write(self, vals):
        before = self._beauty_snapshot() if {"state", "line_ids"} & set(vals) else {}
        # The lines written through line_ids need not report the change.
        this = self.with_context(beauty_messages_tracked=True) if before else self
        result = super(BeautyAppointment, this).write(vals)
        if before:
            self._beauty_after_change(before)
        return result

    def _action_cancel(self, reason, cancelled_by="client"):
        return super(
            BeautyAppointment, self.with_context(beauty_cancelled_by=cancelled_by)
        )._action_cancel(reason, cancelled_by)

    def _beauty_snapshot(self):
        return {
            appointment.id: (appointment.state, appointment.start)
            for appointment in self
        }

    def _beauty_after_change(self, before):
        """Queue what the client must be told after a change of state or of
        time (see beauty.message for the rules each message obeys)."""
        Message = self.env["beauty.message"].sudo()
        moved, confirmed = self.browse(), self.browse()
        for appointment in self.sudo():
            if appointment.id not in before:
                continue
            old_state, old_start = before[appointment.id]
            state, start = appointment.state, appointment.start
            if state == "confirmed" and old_state == "draft" and start:
                confirmed |= appointment
                Message._beauty_queue(
                    "confirmation",
                    appointment.partner_id,
                    _reminder_key("confirmation", appointment.id, start),
                    appointment=appointment,
                )
            elif (
                state == "confirmed"
                and old_state == "confirmed"
                and start
                and old_start
                and start != old_start
            ):
                moved |= appointment
                Message._beauty_queue(
                    "change",
                    appointment.partner_id,
                    _reminder_key("change", appointment.id, start),
                    appointment=appointment,
                )
            elif state in ("cancelled", "no_show") and old_state != state:
                appointment._beauty_cancel_queued()
                if (
                    state == "cancelled"
                    and self.env.context.get("beauty_cancelled_by") == "salon"
                ):
                    Message._beauty_queue(
                        "cancellation",
                        appointment.partner_id,
                        f"cancellation:{appointment.id}",
                        appointment=appointment,
                    )
            elif state == "done" and old_state != "done":
                delay = appointment.company_id.beauty_review_delay_hours
                Message._beauty_queue(
                    "review_request",
                    appointment.partner_id,
                    f"review_request:{appointment.id}",
                    scheduled_at=fields.Datetime.now() + timedelta(hours=delay),
                    appointment=appointment,
                )
                appointment._beauty_after_care()
        if moved:
            moved._beauty_cancel_queued(kinds=("reminder", "reminder_soon"))
        if moved or confirmed:
            Message._cron_schedule_reminders(
                appointment_ids=(moved | confirmed).ids, grace=timedelta()
            )

    def _beauty_cancel_queued(self, kinds=None):
        """Cancel the queued messages of these visits (all, or of ``kinds``)
        that no longer fit: a reminder of another time, anything of a
        cancelled visit."""
        domain = [("appointment_id", "in", self.ids), ("state", "=", "queued")]
        if kinds:
            domain.append(("kind", "in", kinds))
        messages = self.env["beauty.message"].sudo().search(domain)
        for message in messages:
            appointment = message.appointment_id
            current = appointment.state == "confirmed" and message.dedup_key.split(">")[
                0
            ] == appointment._beauty_reminder_key(message.kind)
            if not current:
                message.write(
                    {
                        "state": "cancelled",
                        "error": self.env._("The visit was moved or cancelled."),
                    }
                )

    def _beauty_client_confirm(self):
        """The client confirmed coming (the link of a reminder)."""
        self.ensure_one()
        self.client_confirmed_at = fields.Datetime.now()
        self.message_post(body=self.env._("The client confirmed the visit."))

    def _beauty_reminder_key(self, kind):
        self.ensure_one()
        return _reminder_key(kind, self.id, self.start) if self.start else False

    # ------------------------------------------------------------------
    # What the templates show
    # ------------------------------------------------------------------

    def _beauty_local_start(self):
        """The start of the visit as the client reads it: in the client's
        time zone and language, e.g. "Thursday 5 March 2026, 12:00"."""
        self.ensure_one()
        return self.partner_id._beauty_format_local(self.start)

    def _beauty_services_text(self):
        self.ensure_one()
        return ", ".join(self.line_ids.product_id.mapped("name"))

    def _beauty_link(self, action=None):
        """A link for the client: the visit in the cabinet, or the page of a
        one-click action (confirm, cancel, move) - opened with the visit's
        access token, so the client needs no login."""
        self.ensure_one()
        self.sudo()._portal_ensure_token()
        token = self.sudo().access_token
        base = self.get_base_url()
        if action == "move":
            return f"{base}/my/appointments/{self.id}/reschedule?access_token={token}"
        if action:
            return f"{base}/beauty/visit/{self.id}/{action}?access_token={token}"
        return f"{base}/my/appointments/{self.id}?access_token={token}"
