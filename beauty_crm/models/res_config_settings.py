from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    beauty_lost_after_days = fields.Integer(
        related="company_id.beauty_lost_after_days", readonly=False
    )
    beauty_vip_amount = fields.Monetary(
        related="company_id.beauty_vip_amount",
        readonly=False,
        currency_field="currency_id",
    )
    beauty_recall_days = fields.Integer(
        related="company_id.beauty_recall_days", readonly=False
    )
