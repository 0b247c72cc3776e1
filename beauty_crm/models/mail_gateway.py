from odoo import fields, models


class MailGateway(models.Model):
    """OCA's gateway (Settings > Technical > Gateways) holds the bot token and
    webhook secrets, readable by administrators only; the salon adds the
    bot's public name (for the cabinet's t.me link) and, if it uses one, its
    own API server."""

    _inherit = "mail.gateway"

    beauty_bot_username = fields.Char(
        "Bot username",
        help="Public name of the Telegram bot without @, e.g. MySalonBot: the "
        "client cabinet's link opens t.me/<username>.",
    )
    beauty_api_url = fields.Char(
        "API server",
        help="Empty: the official servers (https://api.telegram.org, "
        "https://graph.facebook.com). Telegram: a self-hosted telegram-bot-api "
        "server, e.g. http://127.0.0.1:8081. WhatsApp: a Graph API proxy.",
    )

    def _beauty_api_root(self, default):
        self.ensure_one()
        return (self.sudo().beauty_api_url or default).rstrip("/")
