from psycopg2.extras import execute_values

from odoo import api, fields, models
from odoo.exceptions import UserError

from .messaging_rules import channels_for

KINDS = [
    ("confirmation", "Booking confirmation"),
    ("reminder", "Reminder"),
    ("reminder_soon", "Last reminder"),
    ("change", "Change of time"),
    ("cancellation", "Cancellation by the salon"),
    ("review_request", "Review request"),
    ("aftercare", "After-care instructions"),
    ("recall", "Recall"),
    ("birthday", "Birthday greeting"),
    ("winback", "Win-back"),
    ("waitlist_offer", "Waitlist offer"),
    ("otp", "One-time code"),
]
# Sent only with the client's marketing consent for the channel, never to a
# blacklisted address.
MARKETING_KINDS = ("recall", "birthday", "winback")
# Answers to something the client just did: not held back by quiet hours.
URGENT_KINDS = ("confirmation", "otp")
# The record the templates of a kind are rendered on.
APPOINTMENT_KINDS = (
    "confirmation",
    "reminder",
    "reminder_soon",
    "change",
    "cancellation",
    "review_request",
    "aftercare",
)
CHANNEL_SELECTION = [
    ("email", "E-mail"),
    ("sms", "SMS"),
    ("telegram", "Telegram"),
    ("whatsapp", "WhatsApp"),
]
STATES = [
    ("queued", "Queued"),
    ("sending", "Sending"),
    ("sent", "Sent"),
    ("delivered", "Delivered"),
    ("failed", "Failed"),
    ("cancelled", "Cancelled"),
]
# Columns written by _beauty_insert, in this order.
INSERT_COLUMNS = (
    "partner_id",
    "appointment_id",
    "company_id",
    "kind",
    "channel",
    "state",
    "scheduled_at",
    "dedup_key",
    "error",
    "fallback_of_id",
    "waitlist_offer_id",
)


class BeautyMessage(models.Model):
    """One message to a client on one channel: the delivery log, and the
    queue the dispatcher sends from (see beauty_message_dispatch.py)."""

    _name = "beauty.message"
    _description = "Client message"
    _order = "scheduled_at desc, id desc"
    _rec_name = "kind"

    partner_id = fields.Many2one(
        "res.partner", "Client", required=True, index=True, ondelete="cascade"
    )
    appointment_id = fields.Many2one(
        "beauty.appointment", "Appointment", index=True, ondelete="cascade"
    )
    waitlist_offer_id = fields.Many2one(
        "beauty.waitlist.offer",
        "Waitlist offer",
        index="btree_not_null",
        ondelete="cascade",
    )
    company_id = fields.Many2one(
        "res.company", "Branch", required=True, index=True, ondelete="cascade"
    )
    kind = fields.Selection(KINDS, required=True)
    channel = fields.Selection(CHANNEL_SELECTION, required=True)
    state = fields.Selection(STATES, required=True, default="queued", index=True)
    scheduled_at = fields.Datetime("Planned for", required=True)
    sent_at = fields.Datetime("Sent", readonly=True)
    delivered_at = fields.Datetime("Delivered", readonly=True)
    attempts = fields.Integer(readonly=True)
    next_try_at = fields.Datetime("Next try", readonly=True)
    error = fields.Text(readonly=True)
    summary = fields.Char(
        readonly=True, help="Subject of the e-mail or text of the SMS."
    )
    dedup_key = fields.Char(
        "Key",
        required=True,
        readonly=True,
        help="What this message is about (kind, visit or client, time): a "
        "message with the same key is never created twice.",
    )
    fallback_of_id = fields.Many2one(
        "beauty.message",
        "Fallback of",
        readonly=True,
        ondelete="set null",
        help="The message that failed on another channel.",
    )
    sms_uuid = fields.Char("SMS", readonly=True, index="btree_not_null")
    provider_ref = fields.Char(
        "Provider reference", readonly=True, index="btree_not_null"
    )

    _sql_constraints = [
        ("dedup_key_unique", "unique(dedup_key)", "This message already exists."),
        ("attempts_positive", "check(attempts >= 0)", "Attempts cannot be negative."),
    ]

    def init(self):
        # The dispatcher's claim query reads only due queued rows.
        self.env.cr.execute(
            """
            CREATE INDEX IF NOT EXISTS beauty_message_due_idx
                ON beauty_message (COALESCE(next_try_at, scheduled_at), id)
             WHERE state = 'queued'
            """
        )

    @api.depends("kind", "partner_id", "channel")
    @api.depends_context("lang")
    def _compute_display_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        channels = dict(self._fields["channel"]._description_selection(self.env))
        for message in self:
            message.display_name = (
                f"{kinds.get(message.kind, '')} ({channels.get(message.channel, '')})"
                f" - {message.partner_id.name or ''}"
            )

    # ------------------------------------------------------------------
    # Creation
    # ------------------------------------------------------------------

    @api.model
    def _beauty_insert(self, rows):
        """Insert message rows (dicts of INSERT_COLUMNS) in one statement.

        A row whose key exists is skipped, so two workers scheduling the same
        message create it once; a cancelled row with that key is planned
        again instead (a visit moved back to its former time keeps one
        reminder). Returns the ids inserted or planned again."""
        rows = list({row["dedup_key"]: row for row in reversed(rows)}.values())
        if not rows:
            return []
        uid = self.env.uid
        now = fields.Datetime.now()
        values = [
            tuple(row.get(column) for column in INSERT_COLUMNS)
            + (0, uid, now, uid, now)
            for row in rows
        ]
        columns = ", ".join(
            INSERT_COLUMNS
            + ("attempts", "create_uid", "create_date", "write_uid", "write_date")
        )
        self.flush_model()
        # Columns and conflict clause are constants of this module.
        query = f"""
            INSERT INTO beauty_message ({columns}) VALUES %s
            ON CONFLICT (dedup_key) DO UPDATE
               SET state = EXCLUDED.state,
                   channel = EXCLUDED.channel,
                   scheduled_at = EXCLUDED.scheduled_at,
                   error = EXCLUDED.error,
                   attempts = 0,
                   next_try_at = NULL,
                   write_date = EXCLUDED.write_date
             WHERE beauty_message.state = 'cancelled'
                   AND EXCLUDED.state = 'queued'
            RETURNING id
        """
        ids = [
            row[0]
            for row in execute_values(
                self.env.cr._obj, query, values, page_size=2000, fetch=True
            )
        ]
        self.invalidate_model()
        return ids

    @api.model
    def _beauty_row(
        self, kind, partner, key, scheduled_at, appointment=None, offer=None
    ):
        """The row of a message to ``partner`` on the first channel it can
        reach, or a cancelled row saying why none (None for marketing the
        client did not consent to: nothing is logged)."""
        company = (
            (appointment or offer or partner).company_id
            or partner.company_id
            or self.env.company
        )
        channels = self._beauty_channels(kind, partner, company)
        row = {
            "partner_id": partner.id,
            "appointment_id": appointment.id if appointment else None,
            "waitlist_offer_id": offer.id if offer else None,
            "company_id": company.id,
            "kind": kind,
            "scheduled_at": scheduled_at,
            "dedup_key": key,
            "state": "queued",
            "channel": channels[0] if channels else "email",
        }
        if not channels:
            if kind in MARKETING_KINDS:
                return None
            row.update(
                state="cancelled",
                error=self.env._(
                    "The client has no e-mail address, mobile number or linked chat."
                ),
            )
        return row

    @api.model
    def _beauty_channels(self, kind, partner, company, exclude=()):
        """Channels that may carry a message of ``kind`` to ``partner``."""
        partner = partner.sudo()

        def allowed(channel):
            if channel in exclude:
                return False
            if kind in MARKETING_KINDS:
                return partner._beauty_marketing_allowed(channel)
            if channel == "email":
                return bool(partner.email_normalized)
            if channel == "sms":
                return bool(partner.phone_sanitized)
            return bool(partner._beauty_chat(channel, company))

        return channels_for(
            partner.beauty_channel_order,
            company._beauty_default_channel(kind),
            allowed,
        )

    @api.model
    def _beauty_queue(
        self, kind, partner, key, scheduled_at=None, appointment=None, offer=None
    ):
        """Queue one message; the dispatcher is woken up for its time."""
        scheduled_at = scheduled_at or fields.Datetime.now()
        row = self._beauty_row(kind, partner, key, scheduled_at, appointment, offer)
        ids = self._beauty_insert([row] if row else [])
        if ids and row["state"] == "queued":
            self._beauty_wake(scheduled_at)
        return self.browse(ids)

    @api.model
    def _beauty_wake(self, at=None):
        cron = self.env.ref(
            "beauty_crm.ir_cron_beauty_message_dispatch", raise_if_not_found=False
        )
        if cron:
            now = fields.Datetime.now()
            cron.sudo()._trigger(at if at and at > now else None)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_retry(self):
        """Send a failed or cancelled message again, on its channel."""
        if any(message.state not in ("failed", "cancelled") for message in self):
            raise UserError(
                self.env._("Only failed or cancelled messages can be sent again.")
            )
        self.write(
            {
                "state": "queued",
                "scheduled_at": fields.Datetime.now(),
                "next_try_at": False,
                "error": False,
            }
        )
        self._beauty_wake()
        return True

    def action_cancel(self):
        if any(message.state != "queued" for message in self):
            raise UserError(self.env._("Only queued messages can be cancelled."))
        self.write({"state": "cancelled", "error": self.env._("Cancelled by hand.")})
        return True
