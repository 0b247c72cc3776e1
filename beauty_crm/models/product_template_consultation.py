from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    is_beauty_consultation = fields.Boolean(
        "Consultation",
        help="A consultation before the first procedure: the Book consultation "
        "button of a lead books it, and its visit does not count as the lead's "
        "first visit.",
    )
