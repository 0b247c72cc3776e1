from datetime import timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from .common_messages import NOW, VISIT, BeautyMessageCommon
from .fake_sms_server import FakeSmsServer

NUMBER = "79161234567"


def smsru_ok(sms_id):
    return 200, {
        "status": "OK",
        "status_code": 100,
        "sms": {NUMBER: {"status": "OK", "status_code": 100, "sms_id": sms_id}},
        "balance": 100.5,
    }


def smsru_refused(code=207, text="Cannot send to this number"):
    return 200, {
        "status": "OK",
        "status_code": 100,
        "sms": {
            NUMBER: {
                "status": "ERROR",
                "status_code": code,
                "status_text": text,
            }
        },
    }


@tagged("post_install", "-at_install")
class TestSmsGateway(BeautyMessageCommon):
    """Odoo's sms.sms leaves through the salon's gateway, here a fake
    provider on a local socket speaking SMS.ru's or the webhook's protocol."""

    def _use(self, provider, url):
        self.company.sudo().write(
            {
                "beauty_sms_provider": provider,
                "beauty_sms_url": url,
                "beauty_sms_api_key": "test-key",
                "beauty_sms_sender": "Salon",
            }
        )

    def test_smsru_last_reminder_at_local_time(self):
        with freeze_time(NOW):
            appointment = self._book()
        with FakeSmsServer() as server, self.mock_mail_gateway():
            self._use("smsru", server.url)
            server.responses = [smsru_ok("000000-10000001")]
            with freeze_time(VISIT - timedelta(hours=2)):
                self.Message._cron_dispatch()
        reminder = self._messages(appointment, "reminder_soon")
        self.assertEqual(reminder.state, "sent")
        self.assertEqual(reminder.provider_ref, "000000-10000001")
        self.assertEqual(len(server.requests), 1)
        sent = server.requests[0]["body"]
        self.assertEqual(
            (sent["api_id"], sent["to"], sent["json"], sent["from"]),
            ("test-key", NUMBER, "1", "Salon"),
        )
        self.assertIn("Friday 6 March 2026, 12:00", sent["msg"])
        self.assertIn(
            f"/beauty/visit/{appointment.id}/cancel?access_token=", sent["msg"]
        )
        sms = self.env["sms.sms"].sudo().search([("uuid", "=", reminder.sms_uuid)])
        self.assertEqual(sms.state, "pending")
        self.assertEqual(sms.beauty_provider_ref, "000000-10000001")

    def test_refused_sms_retried_with_backoff_then_email(self):
        self.guest.beauty_channel_order = "sms_email"
        with freeze_time(NOW):
            appointment = self._book()
        confirmation = self._messages(appointment, "confirmation")
        self.assertEqual(confirmation.channel, "sms")
        with FakeSmsServer() as server, self.mock_mail_gateway():
            self._use("smsru", server.url)
            # 220: SMS.ru's service is temporarily unavailable - worth a retry.
            server.responses = [
                smsru_refused(220, "Service temporarily unavailable") for _i in range(4)
            ]
            moment = NOW
            for wait in (None, 5, 30, 120):
                moment += timedelta(minutes=wait or 0)
                with freeze_time(moment):
                    self.Message._cron_dispatch()
                if wait is None:
                    self.assertEqual(confirmation.state, "queued")
                    self.assertEqual(
                        confirmation.next_try_at, NOW + timedelta(minutes=5)
                    )
                    # Not due before its next try.
                    with freeze_time(NOW + timedelta(minutes=4)):
                        self.Message._cron_dispatch()
                    self.assertEqual(len(server.requests), 1)
            self.assertEqual(len(server.requests), 4)
            self.assertEqual(confirmation.state, "failed")
            self.assertEqual(confirmation.attempts, 4)
            self.assertIn("SMS.ru 220: Service temporarily", confirmation.error)
            fallback = self.Message.search([("fallback_of_id", "=", confirmation.id)])
            self.assertEqual((fallback.channel, fallback.state), ("email", "queued"))
            with freeze_time(moment):
                self.Message._cron_dispatch()
            self.assertEqual(fallback.state, "sent")
            self.assertTrue(any("booked" in mail["subject"] for mail in self._mails))
        failures = self.env.ref("beauty_crm.beauty_message_action_failed")
        self.assertIn("search_default_failed", failures.context)

    def test_number_refused_goes_to_email_at_once(self):
        """A number the provider cannot send to stays so for the next
        2 h 35 min: the client's next channel is tried in the same run."""
        self.guest.beauty_channel_order = "sms_email"
        with freeze_time(NOW):
            appointment = self._book()
        confirmation = self._messages(appointment, "confirmation")
        with FakeSmsServer() as server, self.mock_mail_gateway():
            self._use("smsru", server.url)
            server.responses = [smsru_refused()]
            with freeze_time(NOW):
                self.Message._cron_dispatch()
            self.assertEqual(len(server.requests), 1)
            self.assertEqual((confirmation.state, confirmation.attempts), ("failed", 1))
            self.assertIn("SMS.ru 207: Cannot send to this number", confirmation.error)
            fallback = self.Message.search([("fallback_of_id", "=", confirmation.id)])
            self.assertEqual(fallback.channel, "email")
            self.assertEqual(fallback.scheduled_at, NOW)
            with freeze_time(NOW + timedelta(minutes=1)):
                self.Message._cron_dispatch()
            self.assertEqual(fallback.state, "sent")

    def test_webhook_serves_any_odoo_sms(self):
        """One-time codes and chatter SMS use the same gateway as reminders."""
        with FakeSmsServer() as server:
            self._use("webhook", server.url)
            server.responses = [(200, {"id": "hook-42"})]
            sms = self.env["sms.sms"].create(
                {"number": "+79161234567", "body": "Your code: 123456"}
            )
            sms.send(unlink_sent=False)
        self.assertEqual(sms.state, "pending")
        self.assertEqual(sms.beauty_provider_ref, "hook-42")
        request = server.requests[0]
        self.assertEqual(request["headers"]["Authorization"], "Bearer test-key")
        self.assertEqual(request["body"]["to"], "+79161234567")
        self.assertEqual(request["body"]["text"], "Your code: 123456")
        self.assertEqual(request["body"]["reference"], sms.uuid)
        token = self.Message._beauty_status_token()
        self.assertTrue(
            request["body"]["status_url"].endswith(f"/beauty/sms/status/{token}")
        )

    def test_gateway_errors_are_recorded_on_the_sms(self):
        with FakeSmsServer() as server:
            self._use("webhook", server.url)
            server.responses = [(500, {"error": "gateway down"})]
            down = self.env["sms.sms"].create({"number": "+79161234567", "body": "A"})
            down.send(unlink_failed=False)
            self._use("smsru", server.url)
            server.responses = [
                (
                    200,
                    {"status": "ERROR", "status_code": 201, "status_text": "No money"},
                )
            ]
            broke = self.env["sms.sms"].create({"number": "+79161234567", "body": "B"})
            broke.send(unlink_failed=False)
            server.responses = [(200, "<html>not json</html>")]
            garbled = self.env["sms.sms"].create(
                {"number": "+79161234567", "body": "C"}
            )
            garbled.send(unlink_failed=False)
        self.assertEqual((down.state, down.failure_type), ("error", "sms_server"))
        self.assertEqual(down.beauty_error, "SMS webhook: gateway down")
        self.assertEqual((broke.state, broke.failure_type), ("error", "sms_credit"))
        self.assertEqual(broke.beauty_error, "SMS.ru 201: No money")
        self.assertEqual(garbled.failure_type, "sms_server")
        self.assertIn("did not answer JSON", garbled.beauty_error)

    def test_unreachable_gateway(self):
        server = FakeSmsServer()
        url = server.url
        server.server.server_close()
        self._use("smsru", url)
        sms = self.env["sms.sms"].create({"number": "+79161234567", "body": "X"})
        sms.send(unlink_failed=False)
        self.assertEqual(sms.failure_type, "sms_server")
        self.assertIn("SMS.ru unreachable", sms.beauty_error)


@tagged("post_install", "-at_install")
class TestSmsTestMode(BeautyMessageCommon):
    """The test mode of a trial database (and of `make demo`): an SMS is written
    to the server log, counts as sent and is never offered to Odoo's IAP."""

    def test_log_provider_writes_the_sms_to_the_log(self):
        company = self.env.company
        company.beauty_sms_provider = "log"
        sms = self.env["sms.sms"].create(
            {"number": "+8613912345678", "body": "Your code: 654321"}
        )
        with self.assertLogs("odoo.addons.beauty_crm.models.sms_gateway") as logs:
            sms.send(unlink_sent=False)
        self.assertEqual(
            logs.output,
            [
                (
                    "WARNING:odoo.addons.beauty_crm.models.sms_gateway:SMS test mode, "
                    "not sent: to +8613912345678: Your code: 654321"
                )
            ],
        )
        self.assertEqual(sms.state, "pending")
        self.assertEqual(sms.beauty_provider_ref, f"log-{sms.uuid}")
        self.assertFalse(sms.failure_type)
