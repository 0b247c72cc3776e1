from odoo import fields, models


class BeautyLoyaltyTier(models.Model):
    _name = "beauty.loyalty.tier"
    _description = "Loyalty tier"
    _order = "min_yearly_spend desc, id"

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    min_yearly_spend = fields.Monetary(
        "Yearly spend from",
        required=True,
        help="Paid invoices of the last 365 days, less credit notes, from which a "
        "client holds this tier.",
    )
    discount_percent = fields.Float(
        "Discount (%)", help="Discount on the services and products of the visits."
    )

    _sql_constraints = [
        (
            "discount_range",
            "CHECK (discount_percent >= 0 AND discount_percent <= 100)",
            "A tier discount is between 0 and 100%.",
        ),
        (
            "spend_positive",
            "CHECK (min_yearly_spend >= 0)",
            "The spend of a tier cannot be negative.",
        ),
    ]
