from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    beauty_reminder_hours = fields.Float(
        related="company_id.beauty_reminder_hours", readonly=False
    )
    beauty_reminder_channel = fields.Selection(
        related="company_id.beauty_reminder_channel", readonly=False
    )
    beauty_reminder2_hours = fields.Float(
        related="company_id.beauty_reminder2_hours", readonly=False
    )
    beauty_reminder2_channel = fields.Selection(
        related="company_id.beauty_reminder2_channel", readonly=False
    )
    beauty_quiet_start = fields.Float(
        related="company_id.beauty_quiet_start", readonly=False
    )
    beauty_quiet_end = fields.Float(
        related="company_id.beauty_quiet_end", readonly=False
    )
    beauty_review_delay_hours = fields.Float(
        related="company_id.beauty_review_delay_hours", readonly=False
    )
    beauty_winback_days = fields.Integer(
        related="company_id.beauty_winback_days", readonly=False
    )
    beauty_winback_user_id = fields.Many2one(
        related="company_id.beauty_winback_user_id", readonly=False
    )
    beauty_sms_provider = fields.Selection(
        related="company_id.beauty_sms_provider", readonly=False
    )
    beauty_sms_url = fields.Char(related="company_id.beauty_sms_url", readonly=False)
    beauty_sms_api_key = fields.Char(
        related="company_id.beauty_sms_api_key", readonly=False
    )
    beauty_sms_sender = fields.Char(
        related="company_id.beauty_sms_sender", readonly=False
    )
