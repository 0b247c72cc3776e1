import json
import re
from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged

from .common_messenger import (
    WEBHOOK_KEY,
    WEBHOOK_SECRET,
    BeautyMessengerCommon,
    start_update,
)
from .fake_messenger_server import FakeMessengerServer

HOOK = f"/gateway/telegram/{WEBHOOK_KEY}/update"


@tagged("post_install", "-at_install")
class TestTelegramCabinetLink(HttpCase, BeautyMessengerCommon):
    """A client links Telegram from the cabinet: the t.me link's one-time
    code comes back in the bot's webhook as /start <code>."""

    def setUp(self):
        super().setUp()
        self.client_partner = self.user_portal.partner_id
        self.client_partner.is_salon_client = True
        self.server = FakeMessengerServer().__enter__()
        self.addCleanup(self.server.__exit__)
        self._use(self.server)
        self.telegram.set_webhook()

    def _csrf(self, response):
        match = re.search(r'name="csrf_token" value="([^"]+)"', response.text)
        self.assertTrue(match, "the page has a form with a CSRF token")
        return match.group(1)

    def _cabinet_code(self):
        page = self.url_open("/my/messengers")
        self.assertIn("Link Telegram", page.text)
        page = self.url_open(
            "/my/messengers/telegram/link", data={"csrf_token": self._csrf(page)}
        )
        self.assertEqual(page.status_code, 200)
        match = re.search(
            r"https://t\.me/SalonTestBot\?start=([A-Za-z0-9_-]+)", page.text
        )
        self.assertTrue(match, "the page shows the bot's deep link")
        self.assertIn("/report/barcode?barcode_type=QR", page.text)
        return match.group(1)

    def _hook(self, body, secret=WEBHOOK_SECRET):
        data = body if isinstance(body, (str, bytes)) else json.dumps(body)
        return self.url_open(
            HOOK,
            data=data,
            headers={
                "Content-Type": "application/json",
                "X-Telegram-Bot-Api-Secret-Token": secret,
            },
        )

    def _chat(self, partner=None):
        return (partner or self.client_partner)._beauty_chat("telegram", self.company)

    def test_link_from_the_cabinet(self):
        set_hook = self.server.calls("setWebhook")
        self.assertEqual(set_hook[0]["url"], self.telegram.webhook_url)
        self.assertEqual(set_hook[0]["secret_token"], WEBHOOK_SECRET)
        self.authenticate("bc_portal", "bc_portal")
        code = self._cabinet_code()
        self.assertGreaterEqual(len(code), 32)
        self.assertFalse(
            self.env["beauty.messenger.link"].search([("token_hash", "=", code)]),
            "only a digest of the code is stored",
        )
        response = self._hook(start_update(777001, f"/start {code}"))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self._chat().gateway_token, "777001")
        answer = self.server.calls("sendMessage")[-1]
        self.assertEqual(answer["chat_id"], "777001")
        self.assertIn("Hello Paula Portal! Your Telegram is now linked", answer["text"])
        page = self.url_open("/my/messengers")
        self.assertIn("Your Telegram is linked", page.text)

        # The same code again, from another chat: refused, nothing moves.
        self._hook(start_update(777002, f"/start {code}", update_id=2))
        self.assertEqual(self._chat().gateway_token, "777001")
        refusal = self.server.calls("sendMessage")[-1]
        self.assertEqual(refusal["chat_id"], "777002")
        self.assertIn("This link is not valid any more", refusal["text"])

        self.url_open(
            "/my/messengers/telegram/unlink", data={"csrf_token": self._csrf(page)}
        )
        self.assertFalse(self._chat())

    def test_expired_code_refused(self):
        self.authenticate("bc_portal", "bc_portal")
        code = self._cabinet_code()
        self.env["beauty.messenger.link"].search(
            [("partner_id", "=", self.client_partner.id)]
        ).expires_at = fields.Datetime.now() - timedelta(seconds=1)
        self._hook(start_update(777003, f"/start {code}"))
        self.assertFalse(self._chat())
        self.assertIn(
            "This link is not valid any more",
            self.server.calls("sendMessage")[-1]["text"],
        )

    def test_hostile_webhook_posts(self):
        self.authenticate("bc_portal", "bc_portal")
        code = self._cabinet_code()
        group = start_update(-100200, f"/start {code}")
        group["message"]["chat"]["type"] = "group"
        for body in (
            "not json",
            b"\xff\xfe",
            "[1, 2]",
            {"update_id": 3},
            {"update_id": 4, "message": "text"},
            {"update_id": 5, "message": {"chat": {"id": "x"}}},
            {"update_id": 6, "edited_message": {"text": f"/start {code}"}},
            start_update(777004, "/start " + "A" * 5000),
            start_update(777005, "/start ' OR 1=1 --"),
            start_update(777006, "/start"),
            start_update(777007, {"text": "not a string"}),
            group,
        ):
            response = self._hook(body)
            self.assertEqual(response.status_code, 200, body)
        # A right update with a wrong webhook secret is ignored.
        response = self._hook(start_update(777008, f"/start {code}"), secret="wrong")
        self.assertEqual(response.status_code, 200)
        self.assertFalse(self._chat())
        # None of them spent the code.
        self._hook(start_update(777009, f"/start {code}"))
        self.assertEqual(self._chat().gateway_token, "777009")
        for path in ("/my/messengers/viber/link", "/my/messengers/telegram/delete"):
            page = self.url_open("/my/messengers")
            response = self.url_open(path, data={"csrf_token": self._csrf(page)})
            self.assertEqual(response.status_code, 200)
            self.assertTrue(response.url.endswith("/my/messengers"))
        response = self.url_open("/my/messengers/telegram/link", data={"x": "1"})
        self.assertEqual(response.status_code, 400, "no CSRF token")

    def test_client_unlinks_only_their_own_chat(self):
        self._link_telegram(self.guest, 777010)
        self.authenticate("bc_portal", "bc_portal")
        page = self.url_open("/my/messengers")
        self.assertNotIn("777010", page.text)
        self.url_open(
            "/my/messengers/telegram/unlink", data={"csrf_token": self._csrf(page)}
        )
        self.assertEqual(self._chat(self.guest).gateway_token, "777010")
