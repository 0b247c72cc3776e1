from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    beauty_deposit_mode = fields.Selection(
        related="company_id.beauty_deposit_mode", readonly=False
    )
    beauty_deposit_amount = fields.Monetary(
        related="company_id.beauty_deposit_amount", readonly=False
    )
    beauty_deposit_percent = fields.Float(
        related="company_id.beauty_deposit_percent", readonly=False
    )
    beauty_deposit_first_visit_only = fields.Boolean(
        related="company_id.beauty_deposit_first_visit_only", readonly=False
    )
    beauty_free_cancellation_hours = fields.Integer(
        related="company_id.beauty_free_cancellation_hours", readonly=False
    )
    beauty_deposit_journal_id = fields.Many2one(
        related="company_id.beauty_deposit_journal_id", readonly=False
    )
    beauty_cancellation_product_id = fields.Many2one(
        related="company_id.beauty_cancellation_product_id", readonly=False
    )
    beauty_points_cap_percent = fields.Float(
        related="company_id.beauty_points_cap_percent", readonly=False
    )
    beauty_birthday_points = fields.Float(
        related="company_id.beauty_birthday_points", readonly=False
    )
    beauty_loyalty_program_id = fields.Many2one(
        related="company_id.beauty_loyalty_program_id", readonly=False
    )

    def set_values(self):
        res = super().set_values()
        if self.beauty_deposit_journal_id:
            self.company_id._beauty_prepare_payment_journal(
                self.beauty_deposit_journal_id
            )
        return res

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
