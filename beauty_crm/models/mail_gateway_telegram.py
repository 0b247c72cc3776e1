import asyncio
import logging

import telegram

from odoo import models

_logger = logging.getLogger(__name__)

TELEGRAM_API = "https://api.telegram.org"


async def _send_text(bot, chat_id, text):
    async with bot:
        await bot.send_message(chat_id=chat_id, text=text)


class MailGatewayTelegram(models.AbstractModel):
    """OCA's Telegram gateway, plus: the bot's API server can be set on the
    gateway (python-telegram-bot's base_url), and ``/start <code>`` from the
    client cabinet's link links the chat to the client."""

    _inherit = "mail.gateway.telegram"

    def _get_telegram_bot(self, token=False):
        gateway = (
            self.env["mail.gateway"]
            .sudo()
            .search([("token", "=", token), ("gateway_type", "=", "telegram")], limit=1)
            if token
            else self.env["mail.gateway"]
        )
        if not gateway.beauty_api_url:
            return super()._get_telegram_bot(token)
        root = gateway._beauty_api_root(TELEGRAM_API)
        return telegram.Bot(
            token, base_url=f"{root}/bot", base_file_url=f"{root}/file/bot"
        )

    def _receive_update(self, gateway, update):
        message = update.get("message") if isinstance(update, dict) else None
        chat = message.get("chat") if isinstance(message, dict) else None
        chat_id = chat.get("id") if isinstance(chat, dict) else None
        if not isinstance(chat_id, int | str) or not str(chat_id).lstrip("-").isdigit():
            # Edited messages, button presses, malformed posts: nothing for us.
            return None
        text = message.get("text")
        words = text.split() if isinstance(text, str) else []
        security_key = gateway.telegram_security_key
        link = (
            len(words) == 2
            and words[0] == "/start"
            and not (security_key and words[1] == security_key)
        )
        try:
            with self.env.cr.savepoint():
                if link:
                    return self._beauty_link_chat(gateway, update, words[1])
                return super()._receive_update(gateway, update)
        except (AttributeError, KeyError, TypeError, ValueError):
            _logger.info("Telegram update not understood: %s", update)
            return None

    def _beauty_link_chat(self, gateway, update, token):
        """``/start <code>``: link the chat to the client of the code."""
        message = update["message"]
        chat_id = str(message["chat"]["id"])
        # Only a private chat is the client's own; a group's code stays valid.
        private = message["chat"].get("type") == "private"
        partner = private and self.env["beauty.messenger.link"]._beauty_spend(
            gateway, token
        )
        if not partner:
            self._beauty_reply(
                gateway,
                chat_id,
                self.env._(
                    "This link is not valid any more. Open your client cabinet "
                    "and press 'Link Telegram' again."
                ),
            )
            return None
        chats = self.env["res.partner.gateway.channel"].sudo()
        # One client per chat and one chat per client on this bot.
        chats.search(
            [
                ("gateway_id", "=", gateway.id),
                "|",
                ("partner_id", "=", partner.id),
                ("gateway_token", "=", chat_id),
            ]
        ).unlink()
        link = chats.create(
            {
                "partner_id": partner.id,
                "gateway_id": gateway.id,
                "gateway_token": chat_id,
            }
        )
        telegram_update = telegram.Update.de_json(
            update, self._get_telegram_bot(token=gateway.token)
        )
        self._get_channel(gateway, chat_id, telegram_update, force_create=True)
        partner = partner.with_context(lang=partner.lang or None)
        link.with_context(lang=partner.lang or None)._beauty_post(
            partner.env._(
                "Hello %(name)s! Your Telegram is now linked to %(salon)s: "
                "reminders and news of your visits will come here.",
                name=partner.name,
                salon=(partner.company_id or gateway.company_id).name,
            )
        )
        return link

    def _beauty_reply(self, gateway, chat_id, text):
        """A direct answer to a chat that is not (yet) a client's."""
        bot = self._get_telegram_bot(gateway.token)
        try:
            asyncio.run(_send_text(bot, chat_id, text))
        except telegram.error.TelegramError as error:
            _logger.info("Telegram answer to %s failed: %s", chat_id, error)
