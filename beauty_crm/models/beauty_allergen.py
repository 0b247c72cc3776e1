from odoo import fields, models

SEVERITY = [
    ("low", "Low"),
    ("medium", "Medium"),
    ("high", "High"),
    ("critical", "Critical"),
]


class BeautyAllergen(models.Model):
    _name = "beauty.allergen"
    _description = "Allergen"
    _order = "name"

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    severity = fields.Selection(SEVERITY, required=True, default="high")
    ingredient = fields.Char(
        help="Substance the reaction is to, e.g. p-phenylenediamine (PPD)."
    )
    description = fields.Text(translate=True)
    product_ids = fields.Many2many(
        "product.template",
        "beauty_allergen_product_rel",
        "allergen_id",
        "product_tmpl_id",
        string="Products and services",
        help="Materials that contain this allergen and services that use them.",
    )

    _sql_constraints = [
        ("name_uniq", "unique(name)", "An allergen with this name already exists."),
    ]
