from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ProductTemplate(models.Model):
    _inherit = "product.template"

    is_salon_service = fields.Boolean(
        "Salon service", index=True, help="Bookable treatment of the salon."
    )
    service_duration = fields.Float(
        "Duration", default=1.0, help="Time the treatment takes, in hours."
    )
    specialist_ids = fields.Many2many(
        "hr.employee",
        "beauty_employee_service_rel",
        "product_tmpl_id",
        "employee_id",
        string="Specialists",
        help="Specialists who perform this service.",
    )
    allergen_ids = fields.Many2many(
        "beauty.allergen",
        "beauty_allergen_product_rel",
        "product_tmpl_id",
        "allergen_id",
        string="Allergens",
    )
    contraindication_ids = fields.Many2many(
        "beauty.contraindication",
        "beauty_contraindication_product_rel",
        "product_tmpl_id",
        "contraindication_id",
        string="Contraindications",
    )

    @api.constrains("is_salon_service", "service_duration")
    def _check_service_duration(self):
        for product in self:
            if product.is_salon_service and not 0 < product.service_duration <= 24:
                raise ValidationError(
                    self.env._(
                        "The duration of service %(name)s must be between a minute"
                        " and 24 hours.",
                        name=product.display_name,
                    )
                )

    # Deposit rule of the service (issue #7) -----------------------------------

    beauty_deposit_mode = fields.Selection(
        [
            ("company", "Salon policy"),
            ("none", "No deposit"),
            ("fixed", "Fixed amount"),
            ("percent", "Percentage of the price"),
        ],
        "Deposit",
        default="company",
        required=True,
        help="Deposit asked when this service is booked; 'Salon policy' follows "
        "the salon-wide setting.",
    )
    beauty_deposit_amount = fields.Monetary(
        "Deposit amount", currency_field="currency_id"
    )
    beauty_deposit_percent = fields.Float("Deposit percentage")
