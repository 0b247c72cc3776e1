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

    # Procedure records (#5).
    repeat_interval_days = fields.Integer(
        "Repeat every (days)",
        help="When the next treatment is due; prefills the next recommended "
        "visit of a procedure record.",
    )
    kit_line_ids = fields.One2many(
        "beauty.service.kit.line", "product_tmpl_id", string="Standard kit"
    )
    procedure_template_id = fields.Many2one(
        "beauty.procedure.template",
        "Procedure record template",
        help="Structured parameters the specialist records for this service.",
    )

    @api.constrains("repeat_interval_days")
    def _check_repeat_interval_days(self):
        if any(product.repeat_interval_days < 0 for product in self):
            raise ValidationError(
                self.env._("The repeat interval of a service cannot be negative.")
            )
