from markupsafe import Markup

from odoo import models


class ResPartnerGatewayChannel(models.Model):
    """The link of a client to a chat of an OCA gateway (the Telegram chat id,
    the WhatsApp phone number)."""

    _inherit = "res.partner.gateway.channel"

    def _beauty_discuss_channel(self):
        self.ensure_one()
        gateway = self.sudo().gateway_id
        channel = (
            self.env["discuss.channel"]
            .sudo()
            .browse(gateway._get_channel_id(self.sudo().gateway_token))
        )
        if not channel and gateway.gateway_type == "whatsapp":
            channel = self.partner_id.sudo()._whatsapp_get_channel(
                "mobile" if self.partner_id.mobile else "phone", gateway
            )
        return channel

    def _beauty_post(self, text):
        """Send ``text`` (plain, links inline) to this chat through the
        gateway, and keep it in the chat's Discuss history. Returns the
        gateway's mail.notification: notification_status 'sent' with the
        messenger's message id, or 'exception' with the API's error."""
        self.ensure_one()
        channel = self._beauty_discuss_channel()
        if not channel:
            return self.env["mail.notification"]
        # One escaped line per paragraph line and no <a> tags: the gateway
        # sends html2plaintext(body), which gives back exactly ``text``.
        body = Markup("<p>%s</p>") % Markup("<br/>").join(text.splitlines())
        message = channel.with_context(no_gateway_notification=True).message_post(
            body=body, message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        notification = (
            self.env["mail.notification"]
            .sudo()
            .create(
                {
                    "mail_message_id": message.id,
                    "gateway_channel_id": channel.id,
                    "notification_type": "gateway",
                    "gateway_type": channel.gateway_id.gateway_type,
                }
            )
        )
        # Plain text: Telegram's HTML mode refuses a text with "<" or "&".
        notification.send_gateway(parse_mode=None)
        return notification
