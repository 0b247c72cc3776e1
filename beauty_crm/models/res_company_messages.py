from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .beauty_message import CHANNEL_SELECTION

SMS_PROVIDERS = [
    ("odoo", "Odoo SMS (IAP credits)"),
    ("smsru", "SMS.ru"),
    ("webhook", "JSON webhook"),
    ("log", "Test mode: written to the server log, not sent"),
]


class ResCompany(models.Model):
    _inherit = "res.company"

    beauty_reminder_hours = fields.Float(
        "First reminder (hours before)",
        default=24,
        help="Zero: no first reminder.",
    )
    beauty_reminder_channel = fields.Selection(
        CHANNEL_SELECTION, "First reminder by", default="email", required=True
    )
    beauty_reminder2_hours = fields.Float(
        "Last reminder (hours before)",
        default=2,
        help="Zero: no last reminder.",
    )
    beauty_reminder2_channel = fields.Selection(
        CHANNEL_SELECTION, "Last reminder by", default="sms", required=True
    )
    beauty_quiet_start = fields.Float(
        "Quiet hours from",
        default=21,
        help="No message leaves between these hours of the client's time "
        "zone, except booking confirmations and one-time codes.",
    )
    beauty_quiet_end = fields.Float("Quiet hours until", default=9)
    beauty_review_delay_hours = fields.Float(
        "Review request (hours after the visit)", default=2
    )
    beauty_winback_days = fields.Integer(
        "Win-back after (days)",
        default=60,
        help="A client not seen for this many days, with nothing booked, gets a "
        "win-back message and the desk a call to make. Zero: never.",
    )
    beauty_winback_user_id = fields.Many2one(
        "res.users",
        "Win-back calls by",
        help="Front desk user who gets the calls; else the client's salesperson.",
    )
    beauty_sms_provider = fields.Selection(
        SMS_PROVIDERS,
        "SMS provider",
        default="odoo",
        required=True,
        help="Every SMS of this company (reminders, one-time codes, Odoo's own "
        "SMS) leaves through this provider.",
    )
    beauty_sms_url = fields.Char(
        "SMS gateway URL",
        help="SMS.ru: leave empty for https://sms.ru/sms/send. Webhook: the URL "
        "that receives the JSON.",
    )
    beauty_sms_api_key = fields.Char(
        "SMS API key", groups="base.group_system", copy=False
    )
    beauty_sms_sender = fields.Char("SMS sender name")

    @api.constrains(
        "beauty_reminder_hours",
        "beauty_reminder2_hours",
        "beauty_quiet_start",
        "beauty_quiet_end",
        "beauty_review_delay_hours",
        "beauty_winback_days",
    )
    def _check_beauty_messages(self):
        for company in self:
            if (
                min(
                    company.beauty_reminder_hours,
                    company.beauty_reminder2_hours,
                    company.beauty_review_delay_hours,
                    company.beauty_winback_days,
                )
                < 0
            ):
                raise ValidationError(
                    self.env._("Hours and days of client messages cannot be negative.")
                )
            if not (
                0 <= company.beauty_quiet_start < 24
                and 0 <= company.beauty_quiet_end < 24
            ):
                raise ValidationError(
                    self.env._("Quiet hours are hours of the day, from 0 to 24.")
                )

    @api.constrains("beauty_sms_provider", "beauty_sms_url")
    def _check_beauty_sms_url(self):
        for company in self:
            url = company.beauty_sms_url
            if url and not url.startswith(("https://", "http://")):
                raise ValidationError(
                    self.env._("The SMS gateway URL must start with https://.")
                )
            if company.beauty_sms_provider == "webhook" and not url:
                raise ValidationError(self.env._("Give the URL of the SMS webhook."))

    def _beauty_default_channel(self, kind):
        self.ensure_one()
        if kind == "reminder":
            return self.beauty_reminder_channel
        if kind == "reminder_soon":
            return self.beauty_reminder2_channel
        return "sms" if kind == "otp" else "email"

    def _beauty_tz(self):
        """The salon's time zone: its address's (the company contact), else
        its working hours'. Odoo's default working hours carry the zone of
        whoever created them (Europe/Brussels on a new database)."""
        self.ensure_one()
        return self.partner_id.tz or self.resource_calendar_id.tz or "UTC"
