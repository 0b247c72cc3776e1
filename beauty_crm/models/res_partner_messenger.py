from odoo import api, fields, models
from odoo.exceptions import UserError

from .messaging_rules import MESSENGERS

# Consent kinds that speak about marketing on a messenger: the newest one
# decides, so "by Telegram" given after a general "by messenger" withdrawal
# (or the reverse) is what counts.
MESSENGER_CONSENTS = {
    "telegram": ("marketing_telegram", "marketing_messenger"),
    "whatsapp": ("marketing_whatsapp", "marketing_messenger"),
}


class ResPartner(models.Model):
    _inherit = "res.partner"

    beauty_channel_order = fields.Selection(
        selection_add=[
            ("telegram_sms_email", "Telegram, then SMS, then e-mail"),
            ("telegram_email_sms", "Telegram, then e-mail, then SMS"),
            ("whatsapp_sms_email", "WhatsApp, then SMS, then e-mail"),
            ("whatsapp_email_sms", "WhatsApp, then e-mail, then SMS"),
        ],
        ondelete={
            "telegram_sms_email": "set null",
            "telegram_email_sms": "set null",
            "whatsapp_sms_email": "set null",
            "whatsapp_email_sms": "set null",
        },
    )
    consent_marketing_telegram = fields.Boolean(
        "Marketing by Telegram", compute="_compute_consents", store=True
    )
    consent_marketing_whatsapp = fields.Boolean(
        "Marketing by WhatsApp", compute="_compute_consents", store=True
    )
    beauty_chat_ids = fields.One2many(
        "res.partner.gateway.channel",
        "partner_id",
        "Linked chats",
        groups="beauty_crm.group_beauty_receptionist",
        help="Telegram and WhatsApp chats the salon's messages can go to.",
    )

    @api.depends(
        "is_salon_client",
        "consent_ids.kind",
        "consent_ids.state",
        "consent_ids.date",
        "consent_ids.active",
    )
    def _compute_consents(self):
        result = super()._compute_consents()
        for partner in self:
            stated = partner.consent_ids.sorted(lambda c: (c.date, c.id))
            for channel, kinds in MESSENGER_CONSENTS.items():
                mine = stated.filtered(lambda c, kinds=kinds: c.kind in kinds)
                partner[f"consent_marketing_{channel}"] = (
                    partner.is_salon_client and bool(mine) and mine[-1].state == "given"
                )
        return result

    def _beauty_marketing_allowed(self, channel):
        """Telegram and WhatsApp: the consent for that messenger and a chat to
        send to; e-mail, SMS and the general 'messenger' as before."""
        if channel not in MESSENGERS:
            return super()._beauty_marketing_allowed(channel)
        self.ensure_one()
        company = self.company_id or self.env.company
        return bool(
            self[f"consent_marketing_{channel}"] and self._beauty_chat(channel, company)
        )

    def _beauty_chat(self, channel, company):
        """The client's chat (res.partner.gateway.channel) on ``channel``
        through a gateway of ``company`` or of every company."""
        self.ensure_one()
        return (
            self.env["res.partner.gateway.channel"]
            .sudo()
            .search(
                [
                    ("partner_id", "=", self.id),
                    ("gateway_id.gateway_type", "=", channel),
                    ("gateway_id.company_id", "in", [company.id, False]),
                ],
                order="id desc",
                limit=1,
            )
        )

    @api.model
    def _beauty_gateway(self, channel, company=None):
        """The salon's gateway for ``channel`` (Settings > Technical >
        Gateways): the branch's own, else one for every company."""
        company = company or self.env.company
        return (
            self.env["mail.gateway"]
            .sudo()
            .search(
                [
                    ("gateway_type", "=", channel),
                    ("company_id", "in", [company.id, False]),
                ],
                order="company_id, id",
                limit=1,
            )
        )

    def _beauty_link_whatsapp(self):
        """Link the client's WhatsApp by the mobile number of the card: the
        Cloud API writes to a phone number."""
        self.ensure_one()
        partner = self.sudo()
        gateway = self._beauty_gateway("whatsapp", partner.company_id or None)
        if not gateway:
            raise UserError(self.env._("The salon has not set up WhatsApp."))
        number = partner.phone_sanitized
        if not number:
            raise UserError(self.env._("Add your mobile number first."))
        field = "mobile" if partner.mobile else "phone"
        partner._whatsapp_get_channel(field, gateway)
        return partner._beauty_chat(
            "whatsapp", partner.company_id or gateway.company_id
        )

    def _beauty_unlink_chat(self, channel):
        """Forget the client's chats on ``channel``: nothing more is sent
        there. The Discuss history stays."""
        self.ensure_one()
        chats = (
            self.env["res.partner.gateway.channel"]
            .sudo()
            .search(
                [
                    ("partner_id", "=", self.id),
                    ("gateway_id.gateway_type", "=", channel),
                ]
            )
        )
        chats.unlink()
        return bool(chats)
