import secrets
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import consteq
from odoo.tools.misc import hmac

CODE_VALIDITY = timedelta(minutes=10)
# Codes sent to one client card within CODE_VALIDITY.
MAX_SENDS = 3
# Wrong guesses before a code is dead.
MAX_FAILURES = 5


class BeautyBookingOtp(models.Model):
    """A one-time code that proves a website visitor owns the phone number or
    e-mail address of a client card, so that the online booking goes on that
    card. Only a keyed hash of the code is stored."""

    _name = "beauty.booking.otp"
    _description = "Online booking one-time code"
    _order = "id desc"

    partner_id = fields.Many2one(
        "res.partner", required=True, index=True, ondelete="cascade", readonly=True
    )
    channel = fields.Selection(
        [("email", "E-mail"), ("sms", "SMS")], required=True, readonly=True
    )
    code_hash = fields.Char(required=True, readonly=True)
    expires_at = fields.Datetime(required=True, readonly=True)
    failure_count = fields.Integer(readonly=True)
    used = fields.Boolean(readonly=True)

    @api.model
    def _code_hash(self, partner_id, code):
        return hmac(self.env(su=True), "beauty_booking_otp", f"{partner_id}:{code}")

    @api.model
    def _send_code(self, partner, channel):
        """Send a new code to the phone (``"sms"``) or e-mail (``"email"``)
        of ``partner`` through Odoo's SMS or mail queue, whichever gateway is
        configured. False when the card has no such contact or when too many
        codes were sent to it lately."""
        partner = partner.sudo()
        address = partner.phone_sanitized or partner.phone
        if channel == "email":
            address = partner.email_normalized
        if not address:
            return False
        now = fields.Datetime.now()
        recent = self.sudo().search_count(
            [
                ("partner_id", "=", partner.id),
                ("create_date", ">", now - CODE_VALIDITY),
            ]
        )
        if recent >= MAX_SENDS:
            return False
        code = f"{secrets.randbelow(10**6):06d}"
        self.sudo().create(
            {
                "partner_id": partner.id,
                "channel": channel,
                "code_hash": self._code_hash(partner.id, code),
                "expires_at": now + CODE_VALIDITY,
            }
        )
        company = partner.company_id or self.env.company
        text = self.env._(
            "%(code)s is your code to book online at %(salon)s. It is valid for "
            "10 minutes. If you did not ask for it, ignore this message.",
            code=code,
            salon=company.name,
        )
        if channel == "sms":
            self.env["sms.sms"].sudo().create(
                {"number": address, "body": text, "partner_id": partner.id}
            )
            self.env.ref("sms.ir_cron_sms_scheduler_action").sudo()._trigger()
        else:
            self.env["mail.mail"].sudo().create(
                {
                    "subject": self.env._("Your booking code"),
                    "email_from": company.email_formatted
                    or self.env["ir.mail_server"]._get_default_from_address(),
                    "recipient_ids": [fields.Command.link(partner.id)],
                    "body_html": Markup("<p>%s</p>") % text,
                    "auto_delete": True,
                }
            )
            self.env.ref("mail.ir_cron_mail_scheduler_action").sudo()._trigger()
        return True

    @api.model
    def _check_code(self, partner, code):
        """The live code record of ``partner`` matching ``code``, or an empty
        recordset; a wrong guess counts against the newest live code."""
        code = (code or "").strip()
        otp = self.sudo().search(
            [
                ("partner_id", "=", partner.id),
                ("used", "=", False),
                ("expires_at", ">", fields.Datetime.now()),
                ("failure_count", "<", MAX_FAILURES),
            ],
            limit=1,
        )
        if not otp or not code:
            return self.browse()
        if not consteq(otp.code_hash, self._code_hash(partner.id, code[:32])):
            otp.failure_count += 1
            return self.browse()
        return otp

    @api.autovacuum
    def _gc_codes(self):
        self.sudo().search(
            [("create_date", "<", fields.Datetime.now() - timedelta(days=1))]
        ).unlink()
