import hashlib
import re
import secrets
from datetime import timedelta

from odoo import api, fields, models

# How long the cabinet's "link Telegram" code is valid.
LINK_TTL = timedelta(minutes=30)
# Telegram's deep link start parameter: up to 64 of A-Z a-z 0-9 _ -.
TOKEN_FORMAT = re.compile(r"[A-Za-z0-9_-]{20,64}")


def _digest(token):
    return hashlib.sha256(token.encode()).hexdigest()


class BeautyMessengerLink(models.Model):
    """A one-time code that links a messenger chat to a client: the cabinet
    shows it in a t.me/<bot>?start=<code> link; the bot's /start <code>
    spends it. Only its SHA-256 is stored."""

    _name = "beauty.messenger.link"
    _description = "Messenger link code"
    _order = "id desc"

    partner_id = fields.Many2one(
        "res.partner", "Client", required=True, index=True, ondelete="cascade"
    )
    gateway_id = fields.Many2one("mail.gateway", required=True, ondelete="cascade")
    token_hash = fields.Char(required=True, index=True)
    expires_at = fields.Datetime(required=True)
    used_at = fields.Datetime()

    _sql_constraints = [
        ("token_hash_unique", "unique(token_hash)", "This code already exists.")
    ]

    @api.model
    def _beauty_issue(self, partner, gateway):
        """A new code for ``partner`` on ``gateway``; the client's unused
        codes are withdrawn."""
        links = self.sudo()
        links.search(
            [("partner_id", "=", partner.id), ("used_at", "=", False)]
        ).unlink()
        token = secrets.token_urlsafe(24)
        links.create(
            {
                "partner_id": partner.id,
                "gateway_id": gateway.id,
                "token_hash": _digest(token),
                "expires_at": fields.Datetime.now() + LINK_TTL,
            }
        )
        return token

    @api.model
    def _beauty_spend(self, gateway, token):
        """The client whose valid code ``token`` is, the code now spent; an
        empty recordset for a wrong, used or expired code."""
        partner = self.env["res.partner"]
        if not isinstance(token, str) or not TOKEN_FORMAT.fullmatch(token):
            return partner
        link = self.sudo().search(
            [
                ("token_hash", "=", _digest(token)),
                ("gateway_id", "=", gateway.id),
                ("used_at", "=", False),
                ("expires_at", ">", fields.Datetime.now()),
            ],
            limit=1,
        )
        if not link:
            return partner
        # Two deliveries of the same update: the second one waits here and
        # then finds the code spent.
        self.env.cr.execute(
            "SELECT used_at FROM beauty_messenger_link WHERE id = %s FOR UPDATE",
            (link.id,),
        )
        if self.env.cr.fetchone()[0]:
            return partner
        link.used_at = fields.Datetime.now()
        return link.partner_id
