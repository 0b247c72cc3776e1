from odoo import api, fields, models


class BeautyServiceKitLine(models.Model):
    _name = "beauty.service.kit.line"
    _description = "Standard material of a service"
    _order = "product_tmpl_id, sequence, id"

    sequence = fields.Integer(default=10)
    product_tmpl_id = fields.Many2one(
        "product.template",
        "Service",
        required=True,
        index=True,
        ondelete="cascade",
        domain=[("is_salon_service", "=", True)],
    )
    product_id = fields.Many2one(
        "product.product",
        "Material",
        required=True,
        domain=[("type", "=", "consu")],
    )
    quantity = fields.Float(
        required=True, default=1.0, digits="Product Unit of Measure"
    )
    product_uom_id = fields.Many2one(
        "uom.uom",
        "Unit",
        compute="_compute_product_uom_id",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        domain="[('category_id', '=', product_uom_category_id)]",
    )
    product_uom_category_id = fields.Many2one(related="product_id.uom_id.category_id")

    @api.depends("product_id")
    def _compute_product_uom_id(self):
        for line in self:
            line.product_uom_id = line.product_id.uom_id

    @api.constrains("product_id", "quantity", "product_uom_id")
    def _check_material(self):
        for line in self:
            line.env["beauty.procedure.material"]._check_material_values(
                line.product_id, line.quantity, line.product_uom_id
            )
