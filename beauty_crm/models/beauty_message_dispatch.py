import base64
import logging
import re
import secrets
import threading
from datetime import timedelta

from odoo import api, fields, models

from .beauty_message import APPOINTMENT_KINDS, MARKETING_KINDS, URGENT_KINDS
from .messaging_rules import MESSENGERS, quiet_end

_logger = logging.getLogger(__name__)

# Waits before the second, third and fourth attempt on the same channel;
# then the next channel of the client is tried.
BACKOFF = (timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2))
BATCH_SIZE = 100
# A message left 'sending' this long was interrupted (crash, kill): its outcome
# is unknown, so it is reported, never sent again.
STALE_SENDING = timedelta(minutes=30)
ICS_KINDS = ("confirmation", "change")
# Refusals that another try on the same channel cannot change: the message
# goes to the client's next channel at once instead of waiting 2 h 35 min.
FINAL_SMS_FAILURES = (
    "sms_number_missing",
    "sms_number_format",
    "sms_country_not_supported",
    "sms_blacklist",
    "sms_optout",
)
# Meta: 131047 more than 24 hours since the client wrote (only an approved
# template may go), 131026 not a WhatsApp number / cannot receive, 131051
# unsupported message type, 131021 the recipient is the sender, 470 the old
# code of the 24-hour window.
FINAL_WHATSAPP_CODES = ("131047", "131026", "131051", "131021", "470")
# Telegram: the client blocked the bot or deleted the account (403), the chat
# is gone (400).
FINAL_TELEGRAM_TEXTS = ("forbidden:", "chat not found", "user is deactivated")


def _final_messenger_error(channel, error):
    """Whether the messenger's refusal ``error`` is one retrying cannot change."""
    text = (error or "").lower()
    if channel == "whatsapp":
        match = re.match(r"whatsapp (\d+):", text)
        return bool(match) and match.group(1) in FINAL_WHATSAPP_CODES
    return any(marker in text for marker in FINAL_TELEGRAM_TEXTS)


def _testing():
    return getattr(threading.current_thread(), "testing", False)


class BeautyMessage(models.Model):
    _inherit = "beauty.message"

    # ------------------------------------------------------------------
    # Dispatcher
    # ------------------------------------------------------------------

    @api.model
    def _cron_dispatch(self, batch_size=BATCH_SIZE):
        """Send the due messages, one batch per call.

        Rows are claimed with SELECT ... FOR UPDATE SKIP LOCKED and marked
        'sending' in a committed transaction before anything leaves, then
        marked with their outcome and committed again: two workers never
        claim the same row, and a worker that dies halfway leaves rows in
        'sending' that are reported (_beauty_sweep_stale), never sent twice.
        """
        self._beauty_sweep_stale()
        ids = self._beauty_claim(batch_size)
        self._beauty_commit()
        messages = self.browse(ids)
        for message in messages:
            message._beauty_process()
        self._beauty_commit()
        remaining = self._beauty_due_count()
        self.env["ir.cron"]._notify_progress(done=len(ids), remaining=remaining)
        return len(ids)

    def _beauty_commit(self):
        """Commit a batch of the cron (as mail.mail and sms.sms do), so that
        what was sent is recorded before the next batch; never in tests,
        which run in one transaction."""
        if not _testing():
            self.env.cr.commit()  # pylint: disable=invalid-commit

    @api.model
    def _beauty_claim(self, limit):
        self.flush_model()
        self.env.cr.execute(
            """
            UPDATE beauty_message
               SET state = 'sending', write_date = %(now)s
             WHERE id IN (
                    SELECT id FROM beauty_message
                     WHERE state = 'queued'
                       AND COALESCE(next_try_at, scheduled_at) <= %(now)s
                     ORDER BY COALESCE(next_try_at, scheduled_at), id
                     LIMIT %(limit)s
                       FOR UPDATE SKIP LOCKED)
            RETURNING id
            """,
            {"now": fields.Datetime.now(), "limit": limit},
        )
        ids = sorted(row[0] for row in self.env.cr.fetchall())
        self.invalidate_model(["state", "write_date"])
        return ids

    @api.model
    def _beauty_due_count(self):
        self.env.cr.execute(
            """
            SELECT count(*) FROM beauty_message
             WHERE state = 'queued' AND COALESCE(next_try_at, scheduled_at) <= %s
            """,
            (fields.Datetime.now(),),
        )
        return self.env.cr.fetchone()[0]

    @api.model
    def _beauty_sweep_stale(self):
        stale = self.search(
            [
                ("state", "=", "sending"),
                ("write_date", "<", fields.Datetime.now() - STALE_SENDING),
            ]
        )
        stale.write(
            {
                "state": "failed",
                "error": self.env._(
                    "Interrupted while sending: it may or may not have arrived, "
                    "so it is not sent again."
                ),
            }
        )

    def _beauty_process(self):
        """Send one claimed message, or put it back, cancel it or fail it."""
        self.ensure_one()
        now = fields.Datetime.now()
        obstacle = self._beauty_obstacle(now)
        if obstacle:
            self.write({"state": "cancelled", "error": obstacle})
            return
        if self.kind not in URGENT_KINDS:
            company = self.company_id
            later = quiet_end(
                now,
                self.partner_id._beauty_tz(),
                company.beauty_quiet_start,
                company.beauty_quiet_end,
            )
            if later != now:
                self.write(
                    {"state": "queued", "scheduled_at": later, "next_try_at": False}
                )
                return
        self.attempts += 1
        try:
            with self.env.cr.savepoint():
                outcome = self.with_company(self.company_id)._beauty_send()
        except Exception as error:
            _logger.warning("Client message %s failed", self.id, exc_info=True)
            outcome = {"error": str(error) or error.__class__.__name__}
        if outcome.get("error"):
            self._beauty_failed(outcome["error"], now, final=outcome.get("final"))
            return
        self.write(
            {
                "state": outcome.get("state", "sent"),
                "sent_at": now,
                "error": False,
                "next_try_at": False,
                "summary": outcome.get("summary"),
                "sms_uuid": outcome.get("sms_uuid"),
                "provider_ref": outcome.get("provider_ref"),
            }
        )

    def _beauty_obstacle(self, now):
        """Why this message must not leave any more, if it must not."""
        appointment = self.appointment_id
        partner = self.partner_id
        if self.kind in MARKETING_KINDS and not partner._beauty_marketing_allowed(
            self.channel
        ):
            return self.env._("No marketing consent for this channel any more.")
        if self.kind not in APPOINTMENT_KINDS:
            return False
        if not appointment:
            return self.env._("The appointment was deleted.")
        if self.kind == "cancellation":
            return appointment.state != "cancelled" and self.env._(
                "The visit is no longer cancelled."
            )
        if self.kind in ("review_request", "aftercare"):
            return appointment.state != "done" and self.env._("The visit is not done.")
        if appointment.state in ("cancelled", "no_show"):
            return self.env._("The visit was cancelled.")
        if appointment.start <= now:
            return self.env._("The visit has begun.")
        if self.kind in ("reminder", "reminder_soon"):
            if appointment.state != "confirmed":
                return self.env._("The visit is not confirmed.")
            if self.dedup_key.split(">")[0] != appointment._beauty_reminder_key(
                self.kind
            ):
                return self.env._("The visit was moved.")
        return False

    def _beauty_failed(self, error, now, final=False):
        """Retry later on the same channel, or, after the last try or a
        refusal that retrying cannot change (``final``), fail and queue the
        client's next channel now."""
        if not final and self.attempts <= len(BACKOFF):
            self.write(
                {
                    "state": "queued",
                    "error": error,
                    "next_try_at": now + BACKOFF[self.attempts - 1],
                }
            )
            return
        self.write({"state": "failed", "error": error, "next_try_at": False})
        tried = set(self._beauty_fallback_chain().mapped("channel"))
        channels = self._beauty_channels(
            self.kind, self.partner_id, self.company_id, exclude=tried
        )
        if channels:
            self._beauty_insert(
                [
                    {
                        "partner_id": self.partner_id.id,
                        "appointment_id": self.appointment_id.id or None,
                        "waitlist_offer_id": self.waitlist_offer_id.id or None,
                        "company_id": self.company_id.id,
                        "kind": self.kind,
                        "channel": channels[0],
                        "state": "queued",
                        "scheduled_at": now,
                        "dedup_key": f"{self.dedup_key}>{channels[0]}",
                        "fallback_of_id": self.id,
                    }
                ]
            )

    def _beauty_fallback_chain(self):
        chain = self
        message = self
        while message.fallback_of_id:
            message = message.fallback_of_id
            chain |= message
        return chain

    # ------------------------------------------------------------------
    # Channels
    # ------------------------------------------------------------------

    def _beauty_record(self):
        """The record the templates of this message are rendered on."""
        if self.kind in APPOINTMENT_KINDS:
            return self.appointment_id
        if self.kind == "waitlist_offer":
            return self.waitlist_offer_id
        return self.partner_id

    def _beauty_template(self, channel):
        prefix = "mail_template" if channel == "email" else "sms_template"
        return self.env.ref(
            f"beauty_crm.{prefix}_beauty_{self.kind}", raise_if_not_found=False
        )

    def _beauty_send(self):
        record = self._beauty_record()
        if not record:
            return {"error": self.env._("The record of this message was deleted.")}
        template = self._beauty_template(self.channel)
        if not template:
            return {"error": self.env._("No template for this message.")}
        if self.channel == "email":
            return self._beauty_send_email(template, record)
        if self.channel in MESSENGERS:
            return self._beauty_send_messenger(template, record)
        return self._beauty_send_sms(template, record)

    def _beauty_send_email(self, template, record):
        partner = self.partner_id
        if not partner.email_normalized:
            return {
                "error": self.env._("The client has no e-mail address."),
                "final": True,
            }
        email_values = {"recipient_ids": [fields.Command.set(partner.ids)]}
        if self.kind in ICS_KINDS and record.start:
            email_values["attachments"] = [
                (
                    f"{record.name.replace('/', '-')}.ics",
                    base64.b64encode(record._get_ics()),
                )
            ]
        mail = template.sudo().send_mail(
            record.id,
            email_values=email_values,
            email_layout_xmlid="mail.mail_notification_light",
        )
        mail = self.env["mail.mail"].sudo().browse(mail)
        subject = mail.subject
        mail.send(raise_exception=False)
        # A sent mail is deleted (auto_delete); one that failed stays.
        if mail.exists() and mail.state == "exception":
            error = mail.failure_reason or self.env._("The e-mail was not sent.")
            mail.unlink()
            return {"error": error}
        return {"summary": subject}

    def _beauty_send_sms(self, template, record):
        partner = self.partner_id
        number = partner.phone_sanitized
        if not number:
            return {
                "error": self.env._("The client has no mobile number."),
                "final": True,
            }
        body = template._render_field("body", record.ids, compute_lang=True)[record.id]
        sms = (
            self.env["sms.sms"]
            .sudo()
            .create({"number": number, "body": body, "partner_id": partner.id})
        )
        sms.send(unlink_failed=False, unlink_sent=True, raise_exception=False)
        if sms.state == "error":
            labels = dict(sms._fields["failure_type"]._description_selection(self.env))
            error = sms.beauty_error or labels.get(sms.failure_type, sms.failure_type)
            final = sms.failure_type in FINAL_SMS_FAILURES
            sms.unlink()
            return {"error": error, "final": final}
        return {
            "summary": body[:200],
            "sms_uuid": sms.uuid,
            "provider_ref": sms.beauty_provider_ref,
            "state": "delivered" if sms.state == "sent" else "sent",
        }

    def _beauty_send_messenger(self, template, record):
        """Telegram or WhatsApp: the text of the SMS (links inline) through
        OCA's gateway to the client's linked chat."""
        chat = self.partner_id._beauty_chat(self.channel, self.company_id)
        if not chat:
            return {
                "error": self.env._("The client has no linked chat here."),
                "final": True,
            }
        body = template._render_field("body", record.ids, compute_lang=True)[record.id]
        notification = chat._beauty_post(body)
        if notification.notification_status != "sent":
            error = notification.failure_reason or self.env._(
                "The messenger did not take the message."
            )
            return {
                "error": error,
                "final": _final_messenger_error(self.channel, error),
            }
        ref = notification.gateway_message_id
        if self.channel == "telegram":
            ref = f"telegram:{chat.gateway_token}:{ref}"
        return {"summary": body[:200], "provider_ref": ref}

    # ------------------------------------------------------------------
    # Delivery reports
    # ------------------------------------------------------------------

    @api.model
    def _beauty_status_token(self):
        """Secret of the delivery report URL given to SMS providers."""
        params = self.env["ir.config_parameter"].sudo()
        token = params.get_param("beauty_crm.sms_status_token")
        if not token:
            token = secrets.token_urlsafe(24)
            params.set_param("beauty_crm.sms_status_token", token)
        return token

    @api.model
    def _beauty_delivery_report(self, provider_ref, delivered, error=None):
        """A provider reported the fate of an SMS it accepted."""
        messages = self.sudo().search(
            [
                ("provider_ref", "=", provider_ref),
                ("state", "in", ("sent", "delivered")),
            ]
        )
        if not messages:
            return messages
        if delivered:
            messages.write(
                {"state": "delivered", "delivered_at": fields.Datetime.now()}
            )
        else:
            messages.write(
                {
                    "state": "failed",
                    "error": error or self.env._("Not delivered by the provider."),
                }
            )
        trackers = (
            self.env["sms.tracker"]
            .sudo()
            .search([("sms_uuid", "in", messages.mapped("sms_uuid"))])
        )
        if delivered:
            trackers._action_update_from_sms_state("sent")
        else:
            trackers._action_update_from_sms_state(
                "error", failure_type="sms_not_delivered"
            )
        return messages
