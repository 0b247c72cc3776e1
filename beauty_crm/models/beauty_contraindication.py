from odoo import fields, models

from .beauty_allergen import SEVERITY


class BeautyContraindication(models.Model):
    _name = "beauty.contraindication"
    _description = "Contraindication"
    _order = "name"

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    severity = fields.Selection(SEVERITY, required=True, default="high")
    description = fields.Text(translate=True)
    product_ids = fields.Many2many(
        "product.template",
        "beauty_contraindication_product_rel",
        "contraindication_id",
        "product_tmpl_id",
        string="Services",
        help="Services that must not be performed on a client with this "
        "contraindication.",
    )

    _sql_constraints = [
        (
            "name_uniq",
            "unique(name)",
            "A contraindication with this name already exists.",
        ),
    ]
