from odoo import api, fields, models
from odoo.exceptions import ValidationError


class BeautyAdSpend(models.Model):
    """What the salon spent on an advertising channel in a month: the cost
    side of CAC and ROI per channel."""

    _name = "beauty.ad.spend"
    _description = "Advertising spend"
    _order = "month desc, source_id"
    _check_company_auto = True

    month = fields.Date(
        required=True,
        default=lambda self: fields.Date.context_today(self).replace(day=1),
        help="Any day of the month; stored as its first day.",
    )
    company_id = fields.Many2one(
        "res.company", "Branch", required=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    source_id = fields.Many2one(
        "utm.source", "Source", required=True, ondelete="restrict"
    )
    campaign_id = fields.Many2one("utm.campaign", "Campaign", ondelete="restrict")
    amount = fields.Monetary(required=True)
    note = fields.Char()

    _sql_constraints = [
        (
            "amount_positive",
            "CHECK (amount >= 0)",
            "An advertising spend cannot be negative.",
        )
    ]

    @api.constrains("amount")
    def _check_amount(self):
        if any(spend.amount < 0 for spend in self):
            raise ValidationError(
                self.env._("An advertising spend cannot be negative.")
            )

    @api.constrains("month")
    def _check_month(self):
        for spend in self:
            if spend.month.day != 1:
                raise ValidationError(
                    self.env._("The month is stored as its first day.")
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._beauty_first_day(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._beauty_first_day(vals)
        return super().write(vals)

    @api.model
    def _beauty_first_day(self, vals):
        if vals.get("month"):
            vals["month"] = fields.Date.to_date(vals["month"]).replace(day=1)
