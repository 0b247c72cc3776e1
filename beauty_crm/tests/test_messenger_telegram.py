from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common_messages import NOW, VISIT
from .common_messenger import TELEGRAM_LOGGER, BeautyMessengerCommon
from .fake_messenger_server import FakeMessengerServer, telegram_error

CHAT = 5550001


@tagged("post_install", "-at_install")
class TestTelegramChannel(BeautyMessengerCommon):
    """Reminders go through OCA's Telegram gateway (python-telegram-bot) to
    a fake Bot API on a local socket."""

    def test_reminder_by_telegram_for_linked_client(self):
        self.guest.beauty_channel_order = "telegram_sms_email"
        with FakeMessengerServer() as server:
            self._use(server)
            chat = self._link_telegram(self.guest, CHAT)
            self.assertEqual(chat.gateway_token, str(CHAT))
            linked = server.calls("sendMessage")
            self.assertEqual(len(linked), 1)
            self.assertIn("Your Telegram is now linked", linked[0]["text"])
            with freeze_time(NOW):
                appointment = self._book()
            with freeze_time(VISIT - timedelta(hours=2)):
                self.Message._cron_dispatch()
        reminders = self._messages(appointment, "reminder_soon")
        self.assertEqual(reminders.channel, "telegram")
        self.assertEqual(reminders.state, "sent")
        # Confirmation, first and last reminder all went by Telegram.
        texts = [
            call for call in server.calls("sendMessage") if "see you at" in call["text"]
        ]
        self.assertEqual(len(texts), 1)
        sent = texts[0]
        self.assertEqual(sent["chat_id"], str(CHAT))
        self.assertNotIn("parse_mode", sent, "plain text, links as they are")
        self.assertIn("Friday 6 March 2026, 12:00", sent["text"])
        self.assertIn(
            f"/beauty/visit/{appointment.id}/cancel?access_token=", sent["text"]
        )
        self.assertTrue(reminders.provider_ref.startswith(f"telegram:{CHAT}:"))
        self.assertEqual(reminders.summary, sent["text"])
        # The chat keeps the history for the desk (Discuss, gateway channel).
        channel = self.env["discuss.channel"].search(
            [
                ("gateway_id", "=", self.telegram.id),
                ("gateway_channel_token", "=", CHAT),
            ]
        )
        self.assertIn("Friday 6 March 2026", channel.message_ids[0].body)

    def test_telegram_error_retried_then_sms(self):
        self.guest.beauty_channel_order = "telegram_sms_email"
        busy = telegram_error(500, "Internal Server Error: restart")
        due = VISIT - timedelta(hours=24)
        with FakeMessengerServer() as server:
            self._use(server)
            self._link_telegram(self.guest, CHAT)
            with freeze_time(NOW):
                appointment = self._book()
            with freeze_time(NOW):
                self.Message._cron_dispatch()
            self.assertEqual(self._messages(appointment, "confirmation").state, "sent")
            reminder = self._messages(appointment, "reminder")
            self.assertEqual(
                (reminder.channel, reminder.scheduled_at), ("telegram", due)
            )
            server.failures["sendMessage"] = [busy] * 4
            # The first try, then 5 min, 30 min and 2 h after each failure.
            tries = (0, 5, 35, 155)
            for minutes in tries:
                with (
                    freeze_time(due + timedelta(minutes=minutes)),
                    self.assertLogs(TELEGRAM_LOGGER, "ERROR"),
                ):
                    self.Message._cron_dispatch()
                if minutes != tries[-1]:
                    self.assertEqual(reminder.state, "queued")
        self.assertEqual(
            len(server.calls("sendMessage")), 1 + 1 + 4, "linked, confirmed, 4 tries"
        )
        self.assertEqual(reminder.attempts, 4)
        self.assertEqual(reminder.state, "failed")
        self.assertEqual(reminder.error, "Internal Server Error: restart")
        fallback = self.Message.search([("fallback_of_id", "=", reminder.id)])
        self.assertEqual(fallback.channel, "sms")
        self.assertEqual(fallback.state, "queued")
        self.assertEqual(fallback.scheduled_at, due + timedelta(minutes=155))

    def test_blocked_bot_goes_by_sms_at_once(self):
        """A client who blocked the bot stays blocked: no retries, the SMS is
        queued in the same run."""
        self.guest.beauty_channel_order = "telegram_sms_email"
        blocked = telegram_error(403, "Forbidden: bot was blocked by the user")
        due = VISIT - timedelta(hours=24)
        with FakeMessengerServer() as server:
            self._use(server)
            self._link_telegram(self.guest, CHAT)
            with freeze_time(NOW):
                appointment = self._book()
                self.Message._cron_dispatch()
            reminder = self._messages(appointment, "reminder")
            server.failures["sendMessage"] = [blocked]
            with (
                freeze_time(due),
                self.assertLogs(TELEGRAM_LOGGER, "ERROR"),
            ):
                self.Message._cron_dispatch()
        self.assertEqual((reminder.state, reminder.attempts), ("failed", 1))
        self.assertEqual(reminder.error, "Forbidden: bot was blocked by the user")
        fallback = self.Message.search([("fallback_of_id", "=", reminder.id)])
        self.assertEqual((fallback.channel, fallback.scheduled_at), ("sms", due))

    def test_unlinked_client_goes_by_sms(self):
        self.guest.beauty_channel_order = "telegram_sms_email"
        with freeze_time(NOW):
            appointment = self._book()
        reminders = self._messages(appointment, "reminder_soon")
        self.assertEqual(reminders.channel, "sms")
        confirmation = self._messages(appointment, "confirmation")
        self.assertEqual(confirmation.channel, "sms")

    def test_marketing_needs_telegram_consent_and_chat(self):
        def channels():
            return self.Message._beauty_channels("birthday", self.guest, self.company)

        self.guest.beauty_channel_order = "telegram_email_sms"
        self._consent(self.guest, "marketing_telegram")
        self.assertNotIn("telegram", channels(), "no chat linked")
        with FakeMessengerServer() as server:
            self._use(server)
            self._link_telegram(self.guest, CHAT)
        self.assertEqual(channels(), ["telegram"], "no e-mail or SMS consent")
        self._consent(self.guest, "marketing_messenger", "withdrawn")
        self.assertFalse(self.guest.consent_marketing_telegram)
        self.assertEqual(channels(), [], "the newest messenger consent decides")
        self._consent(self.guest, "marketing_email")
        self._consent(self.guest, "marketing_whatsapp")
        self.assertEqual(channels(), ["email"], "WhatsApp has no linked chat")
        self.assertTrue(self.guest.consent_marketing_whatsapp)
        self.assertFalse(self.guest.consent_marketing_telegram)

    def test_chat_links_are_not_for_portal_users(self):
        with FakeMessengerServer() as server:
            self._use(server)
            chat = self._link_telegram(self.guest, CHAT)
        for model in ("res.partner.gateway.channel", "beauty.messenger.link"):
            with self.assertRaises(AccessError):
                self.env[model].with_user(self.user_portal).search([])
        with self.assertRaises(AccessError):
            chat.with_user(self.user_portal).read(["gateway_token"])
        with self.assertRaises(AccessError):
            self.telegram.with_user(self.user_manager).read(["token"])
        # The desk sees which chats a client has, not the bot's secrets.
        self.assertEqual(
            self.guest.with_user(self.user_receptionist).beauty_chat_ids, chat
        )
