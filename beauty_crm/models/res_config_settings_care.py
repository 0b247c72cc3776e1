from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    beauty_complaint_days = fields.Integer(
        related="company_id.beauty_complaint_days", readonly=False
    )
    beauty_certification_reminder_days = fields.Integer(
        related="company_id.beauty_certification_reminder_days", readonly=False
    )
