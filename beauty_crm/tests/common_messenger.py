from .common_messages import BeautyMessageCommon
from .fake_messenger_server import BOT_TOKEN

TELEGRAM_LOGGER = "odoo.addons.mail_gateway_telegram.models.mail_gateway_telegram"
WEBHOOK_KEY = "test-hook-key"
WEBHOOK_SECRET = "test-hook-secret"


def start_update(chat_id, text, update_id=1):
    """A Telegram update: the client pressed Start in a private chat."""
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": 1772600000,
            "chat": {"id": chat_id, "type": "private", "first_name": "Masha"},
            "from": {"id": chat_id, "is_bot": False, "first_name": "Masha"},
            "text": text,
            "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
        },
    }


class BeautyMessengerCommon(BeautyMessageCommon):
    """The salon's Telegram bot (an OCA gateway) whose API server is the
    fake one of each test."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.telegram = cls.env["mail.gateway"].create(
            {
                "name": "Salon bot",
                "gateway_type": "telegram",
                "token": BOT_TOKEN,
                "webhook_key": WEBHOOK_KEY,
                "webhook_secret": WEBHOOK_SECRET,
                "has_new_channel_security": True,
                "telegram_security_key": "staff-only-key",
                "beauty_bot_username": "SalonTestBot",
                "company_id": cls.company.id,
            }
        )

    def _use(self, server):
        self.telegram.beauty_api_url = server.url

    def _link_telegram(self, partner, chat_id):
        """What the cabinet's link and the client's Start do."""
        token = self.env["beauty.messenger.link"]._beauty_issue(partner, self.telegram)
        self.env["mail.gateway.telegram"]._receive_update(
            self.telegram, start_update(chat_id, f"/start {token}")
        )
        return partner._beauty_chat("telegram", self.company)
