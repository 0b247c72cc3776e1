import hashlib
import hmac
import json
import re
from datetime import timedelta

from freezegun import freeze_time

from odoo.tests import HttpCase, tagged

from .common_messages import NOW, VISIT, BeautyMessageCommon
from .fake_messenger_server import FakeMessengerServer

APP_SECRET = "test-app-secret"
NUMBER = "79161234567"


@tagged("post_install", "-at_install")
class TestWhatsappChannel(HttpCase, BeautyMessageCommon):
    """Reminders through OCA's WhatsApp gateway to a fake Cloud API; Meta's
    status webhook marks them delivered."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.whatsapp = cls.env["mail.gateway"].create(
            {
                "name": "Salon WhatsApp",
                "gateway_type": "whatsapp",
                "token": "test-wa-token",
                "whatsapp_from_phone": "100200300",
                "whatsapp_security_key": "verify-me",
                "webhook_key": "test-wa-hook",
                "webhook_secret": APP_SECRET,
                "company_id": cls.company.id,
            }
        )

    def setUp(self):
        super().setUp()
        self.server = FakeMessengerServer().__enter__()
        self.addCleanup(self.server.__exit__)
        self.whatsapp.beauty_api_url = self.server.url
        self.whatsapp.set_webhook()
        # Meta checks the webhook with the verify token.
        response = self.url_open(
            "/gateway/whatsapp/test-wa-hook/update?hub.mode=subscribe"
            "&hub.verify_token=verify-me&hub.challenge=4711"
        )
        self.assertEqual(response.text, "4711")
        self.assertEqual(self.whatsapp.integrated_webhook_state, "integrated")

    def _status(self, wamid, status, errors=None, secret=APP_SECRET):
        value = {"id": wamid, "status": status, "recipient_id": NUMBER}
        if errors:
            value["errors"] = errors
        body = json.dumps(
            {
                "object": "whatsapp_business_account",
                "entry": [
                    {
                        "id": "1",
                        "changes": [
                            {"field": "messages", "value": {"statuses": [value]}}
                        ],
                    }
                ],
            }
        ).encode()
        signature = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        return self.url_open(
            "/gateway/whatsapp/test-wa-hook/update",
            data=body,
            headers={
                "Content-Type": "application/json",
                "X-Hub-Signature-256": f"sha256={signature}",
            },
        )

    def test_reminder_by_whatsapp_then_delivered(self):
        self.guest.beauty_channel_order = "whatsapp_sms_email"
        chat = self.guest._beauty_link_whatsapp()
        self.assertEqual(chat.gateway_token, NUMBER)
        with freeze_time(NOW):
            appointment = self._book()
        with freeze_time(VISIT - timedelta(hours=2)):
            self.Message._cron_dispatch()
        reminder = self._messages(appointment, "reminder_soon")
        self.assertEqual((reminder.channel, reminder.state), ("whatsapp", "sent"))
        requests = [
            request
            for request in self.server.requests
            if "see you at" in str(request["body"].get("text"))
        ]
        self.assertEqual(len(requests), 1)
        request = requests[0]
        self.assertEqual(request["path"], "/v23.0/100200300/messages")
        self.assertEqual(request["headers"]["Authorization"], "Bearer test-wa-token")
        self.assertEqual(request["body"]["to"], NUMBER)
        text = request["body"]["text"]["body"]
        self.assertIn("Friday 6 March 2026, 12:00", text)
        self.assertIn(f"/beauty/visit/{appointment.id}/cancel?access_token=", text)
        self.assertTrue(reminder.provider_ref.startswith("wamid.TEST"))

        # A forged report (wrong signature) changes nothing; Meta's does.
        self._status(reminder.provider_ref, "delivered", secret="forged")
        self.assertEqual(reminder.state, "sent")
        response = self._status(reminder.provider_ref, "delivered")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(reminder.state, "delivered")
        self.assertTrue(reminder.delivered_at)

    def test_outside_24h_window_goes_by_sms_at_once(self):
        self.guest.beauty_channel_order = "whatsapp_sms_email"
        self.guest._beauty_link_whatsapp()
        with freeze_time(NOW):
            appointment = self._book()
        # Confirmation, first and last reminder: all refused.
        self.server.failures["whatsapp"] = 3 * [
            (
                400,
                {
                    "error": {
                        "message": "(#131047) Re-engagement message",
                        "type": "OAuthException",
                        "code": 131047,
                    }
                },
            )
        ]
        with freeze_time(VISIT - timedelta(hours=2)):
            self.Message._cron_dispatch()
        reminder = self._messages(appointment, "reminder_soon").filtered(
            lambda message: message.channel == "whatsapp"
        )
        # Retrying cannot open Meta's window: the client's next channel now.
        self.assertEqual((reminder.state, reminder.attempts), ("failed", 1))
        self.assertEqual(
            reminder.error, "WhatsApp 131047: (#131047) Re-engagement message"
        )
        self.assertFalse(reminder.next_try_at)
        fallback = self.Message.search([("fallback_of_id", "=", reminder.id)])
        self.assertEqual(
            (fallback.channel, fallback.scheduled_at),
            ("sms", VISIT - timedelta(hours=2)),
        )

    def test_cabinet_links_whatsapp_by_mobile(self):
        portal = self.user_portal.partner_id
        portal.write({"is_salon_client": True, "mobile": False, "phone": False})
        self.authenticate("bc_portal", "bc_portal")
        page = self.url_open("/my/messengers")
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        page = self.url_open("/my/messengers/whatsapp/link", data={"csrf_token": csrf})
        self.assertIn("Add your mobile number first.", page.text)
        self.assertFalse(portal._beauty_chat("whatsapp", self.company))
        portal.mobile = "+7 916 765-43-21"
        self.url_open("/my/messengers/whatsapp/link", data={"csrf_token": csrf})
        self.assertEqual(
            portal._beauty_chat("whatsapp", self.company).gateway_token, "79167654321"
        )
        self.url_open("/my/messengers/whatsapp/unlink", data={"csrf_token": csrf})
        self.assertFalse(portal._beauty_chat("whatsapp", self.company))
