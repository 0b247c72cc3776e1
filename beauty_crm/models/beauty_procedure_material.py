from odoo import Command, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import float_compare


class BeautyProcedureMaterial(models.Model):
    _name = "beauty.procedure.material"
    _description = "Material used in a procedure"
    _order = "procedure_id, sequence, id"
    _check_company_auto = True

    sequence = fields.Integer(default=10)
    procedure_id = fields.Many2one(
        "beauty.procedure", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="procedure_id.company_id", store=True)
    currency_id = fields.Many2one(related="procedure_id.currency_id")
    partner_id = fields.Many2one(
        related="procedure_id.partner_id", store=True, index=True, string="Client"
    )
    date = fields.Datetime(related="procedure_id.date", store=True)
    state = fields.Selection(related="procedure_id.state", store=True)
    product_id = fields.Many2one(
        "product.product",
        "Material",
        required=True,
        index=True,
        check_company=True,
        domain=[("type", "=", "consu")],
    )
    tracking = fields.Selection(related="product_id.tracking")
    lot_id = fields.Many2one(
        "stock.lot",
        "Lot",
        index="btree_not_null",
        check_company=True,
        domain="[('product_id', '=', product_id)]",
    )
    expiration_date = fields.Datetime(related="lot_id.expiration_date")
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
    cost = fields.Monetary(
        compute="_compute_cost",
        store=True,
        help="Valuation of the stock consumed once the procedure is validated; "
        "an estimate at the product's cost before.",
    )
    move_id = fields.Many2one("stock.move", "Stock move", readonly=True, copy=False)
    return_move_id = fields.Many2one(
        "stock.move",
        "Return move",
        readonly=True,
        copy=False,
        help="Stock move that put the material back when the procedure was cancelled.",
    )

    @api.depends("product_id")
    def _compute_product_uom_id(self):
        for line in self:
            line.product_uom_id = line.product_id.uom_id

    @api.depends(
        "product_id",
        "quantity",
        "product_uom_id",
        "move_id.stock_valuation_layer_ids.value",
        "return_move_id.stock_valuation_layer_ids.value",
    )
    def _compute_cost(self):
        for line in self:
            if line.move_id:
                layers = (
                    line.move_id.stock_valuation_layer_ids
                    | line.return_move_id.stock_valuation_layer_ids
                )
                line.cost = -sum(layers.mapped("value"))
            elif (
                line.product_id
                and line.product_uom_id.category_id == line.product_uom_category_id
            ):
                product = line.product_id.with_company(line.company_id)
                line.cost = (
                    product.standard_price
                    * line.product_uom_id._compute_quantity(
                        line.quantity, product.uom_id
                    )
                )
            else:
                line.cost = 0.0

    @api.model
    def _check_material_values(self, product, quantity, uom):
        if product.type != "consu":
            raise ValidationError(
                self.env._(
                    "%(product)s is not a material: only goods can be consumed "
                    "in a procedure.",
                    product=product.display_name,
                )
            )
        if float_compare(quantity, 0.0, precision_rounding=uom.rounding) <= 0:
            raise ValidationError(
                self.env._(
                    "The quantity of %(product)s must be positive.",
                    product=product.display_name,
                )
            )
        if uom.category_id != product.uom_id.category_id:
            raise ValidationError(
                self.env._(
                    "%(uom)s cannot measure %(product)s (counted in %(product_uom)s).",
                    uom=uom.name,
                    product=product.display_name,
                    product_uom=product.uom_id.name,
                )
            )

    @api.constrains("product_id", "quantity", "product_uom_id", "lot_id")
    def _check_material(self):
        for line in self:
            self._check_material_values(
                line.product_id, line.quantity, line.product_uom_id
            )
            if line.lot_id and line.lot_id.product_id != line.product_id:
                raise ValidationError(
                    self.env._(
                        "Lot %(lot)s is a lot of %(lot_product)s, not of %(product)s.",
                        lot=line.lot_id.name,
                        lot_product=line.lot_id.product_id.display_name,
                        product=line.product_id.display_name,
                    )
                )

    def _get_consumption_problems(self):
        """What prevents consuming this line, in the specialist's words."""
        self.ensure_one()
        self._check_material_values(self.product_id, self.quantity, self.product_uom_id)
        problems = []
        product, lot = self.product_id, self.lot_id
        if product.tracking != "none" and not lot:
            problems.append(
                self.env._(
                    "%(product)s is tracked by lot: choose the lot used.",
                    product=product.display_name,
                )
            )
        if lot.expiration_date and lot.expiration_date <= self.procedure_id.date:
            problems.append(
                self.env._(
                    "Lot %(lot)s of %(product)s expired on %(date)s.",
                    lot=lot.name,
                    product=product.display_name,
                    date=fields.Date.to_string(lot.expiration_date.date()),
                )
            )
        return problems

    def _prepare_move_values(self, reverse=False):
        """Values of the stock move consuming this material, or with reverse
        of the move putting it back where it was taken from."""
        self.ensure_one()
        procedure = self.procedure_id
        source = procedure.location_id
        destination = self.env.ref("beauty_crm.stock_location_salon_consumption")
        if reverse:
            source, destination = (
                self.move_id.location_dest_id,
                self.move_id.location_id,
            )
        return {
            "name": procedure.name,
            "origin": procedure.name,
            "company_id": procedure.company_id.id,
            "product_id": self.product_id.id,
            "product_uom": self.product_uom_id.id,
            "product_uom_qty": self.quantity,
            "location_id": source.id,
            "location_dest_id": destination.id,
            "picked": True,
            "move_line_ids": [
                Command.create(
                    {
                        "product_id": self.product_id.id,
                        "product_uom_id": self.product_uom_id.id,
                        "quantity": self.quantity,
                        "location_id": source.id,
                        "location_dest_id": destination.id,
                        "lot_id": self.lot_id.id,
                    }
                )
            ],
        }
