from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_compare, float_round

REACTIONS = [
    ("none", "No reaction"),
    ("mild", "Mild"),
    ("moderate", "Moderate"),
    ("severe", "Severe"),
]


class BeautyProcedure(models.Model):
    _name = "beauty.procedure"
    _description = "Procedure record"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        "Reference", required=True, readonly=True, copy=False, default="/"
    )
    state = fields.Selection(
        [("draft", "Draft"), ("done", "Validated"), ("cancelled", "Cancelled")],
        required=True,
        default="draft",
        index=True,
        tracking=True,
        copy=False,
    )
    company_id = fields.Many2one(
        "res.company",
        "Branch",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    partner_id = fields.Many2one(
        "res.partner",
        "Client",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        domain=[("is_salon_client", "=", True)],
    )
    health_alert = fields.Char(related="partner_id.health_alert")
    employee_id = fields.Many2one(
        "hr.employee",
        "Specialist",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        default=lambda self: self.env.user.employee_id,
        domain=[("is_specialist", "=", True)],
    )
    product_id = fields.Many2one(
        "product.product",
        "Service",
        required=True,
        tracking=True,
        domain=[("is_salon_service", "=", True)],
    )
    appointment_line_id = fields.Many2one(
        "beauty.appointment.line",
        "Appointment service",
        index="btree_not_null",
        ondelete="set null",
        check_company=True,
        copy=False,
    )
    appointment_id = fields.Many2one(
        related="appointment_line_id.appointment_id", store=True, index=True
    )
    date = fields.Datetime(required=True, default=fields.Datetime.now, tracking=True)
    template_id = fields.Many2one(
        "beauty.procedure.template",
        "Record template",
        compute="_compute_template_id",
        store=True,
        readonly=False,
        precompute=True,
    )
    parameters = fields.Properties(
        definition="template_id.parameter_definition", copy=True
    )
    zones = fields.Text("Treated zones")
    notes = fields.Html(
        "Internal notes", help="Seen by specialists and managers, never by the client."
    )
    reaction = fields.Selection(REACTIONS, "Client's reaction", tracking=True)
    reaction_note = fields.Text("Reaction details")
    outcome = fields.Text()
    complications = fields.Text()
    recommendations = fields.Text()
    consent_id = fields.Many2one(
        "beauty.consent",
        "Treatment consent",
        readonly=True,
        copy=False,
        help="The client's treatment consent in force when the procedure was "
        "validated.",
    )
    next_visit_date = fields.Date(
        "Next recommended visit",
        compute="_compute_next_visit_date",
        store=True,
        readonly=False,
        precompute=True,
    )
    photo_before = fields.Image(max_width=1920, max_height=1920, copy=False)
    photo_after = fields.Image(max_width=1920, max_height=1920, copy=False)
    location_id = fields.Many2one(
        "stock.location",
        "Materials from",
        compute="_compute_location_id",
        store=True,
        readonly=False,
        precompute=True,
        check_company=True,
        domain=[("usage", "=", "internal")],
        help="Stock location of the branch the materials are taken from.",
    )
    material_line_ids = fields.One2many(
        "beauty.procedure.material",
        "procedure_id",
        "Materials",
        compute="_compute_material_line_ids",
        store=True,
        readonly=False,
        precompute=True,
        copy=True,
    )
    material_cost = fields.Monetary(
        compute="_compute_material_cost",
        store=True,
        help="Cost of the materials consumed, for margin and commission.",
    )

    @api.depends("product_id")
    def _compute_template_id(self):
        for procedure in self:
            procedure.template_id = procedure.product_id.procedure_template_id

    @api.depends("date", "product_id")
    def _compute_next_visit_date(self):
        for procedure in self:
            interval = procedure.product_id.repeat_interval_days
            procedure.next_visit_date = (
                procedure.date.date() + relativedelta(days=interval)
                if procedure.date and interval
                else False
            )

    @api.depends("company_id")
    def _compute_location_id(self):
        warehouses = self.env["stock.warehouse"].search(
            [("company_id", "in", self.company_id.ids)], order="sequence, id"
        )
        for procedure in self:
            warehouse = warehouses.filtered(
                lambda w, company=procedure.company_id: w.company_id == company
            )[:1]
            procedure.location_id = warehouse.lot_stock_id

    @api.depends("product_id")
    def _compute_material_line_ids(self):
        # The standard kit of the service; the specialist then corrects the
        # actual quantities and picks the lots.
        for procedure in self.filtered(lambda p: p.state == "draft"):
            kit = procedure.product_id.kit_line_ids
            procedure.material_line_ids = [Command.clear()] + [
                Command.create(
                    {
                        "product_id": line.product_id.id,
                        "quantity": line.quantity,
                        "product_uom_id": line.product_uom_id.id,
                    }
                )
                for line in kit
            ]

    @api.depends("material_line_ids.cost")
    def _compute_material_cost(self):
        for procedure in self:
            procedure.material_cost = sum(procedure.material_line_ids.mapped("cost"))

    @api.constrains("photo_before", "photo_after", "partner_id")
    def _check_photo_consent(self):
        for procedure in self:
            if (
                procedure.photo_before or procedure.photo_after
            ) and not procedure.partner_id.sudo().consent_photo:
                raise ValidationError(
                    self.env._(
                        "%(client)s has not given consent to photographs: remove "
                        "the photos or record the client's photo consent first.",
                        client=procedure.partner_id.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = (
                    self.env["ir.sequence"].next_by_code("beauty.procedure") or "/"
                )
            if vals.get("product_id") and "template_id" not in vals:
                # Odoo keeps the parameters given at creation only if their
                # template is in the values, before any compute runs.
                vals["template_id"] = (
                    self.env["product.product"]
                    .browse(vals["product_id"])
                    .procedure_template_id.id
                )
        return super().create(vals_list)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_validated(self):
        if any(procedure.state == "done" for procedure in self):
            raise UserError(
                self.env._(
                    "A validated procedure is part of the client's medical record "
                    "and of stock history: cancel it instead of deleting it."
                )
            )

    def action_validate(self):
        """Consume the materials from the branch's stock into the salon
        consumption location, the way stock.scrap does, after checking lots,
        expiry and availability of every line so that nothing moves unless
        everything can."""
        self.check_access("write")
        for procedure in self:
            if procedure.state != "draft":
                raise UserError(
                    self.env._(
                        "Procedure %(name)s is not a draft.", name=procedure.name
                    )
                )
            procedure.partner_id.sudo()._beauty_check_consent("treatment")
        self._check_materials_available()
        # Specialists need no Inventory rights: the procedure record is the
        # gate, the stock moves are its consequence.
        Move = self.env["stock.move"].sudo()
        for procedure in self:
            for line in procedure.material_line_ids:
                move = Move.create(line._prepare_move_values())
                move._action_done()
                line.move_id = move
            procedure.write(
                {"state": "done", "consent_id": procedure._current_consent().id}
            )
        return True

    def _current_consent(self):
        self.ensure_one()
        return (
            self.env["beauty.consent"]
            .sudo()
            .search(
                [
                    ("partner_id", "=", self.partner_id.id),
                    ("kind", "=", "treatment"),
                    ("state", "=", "given"),
                ],
                order="date desc, id desc",
                limit=1,
            )
        )

    def action_cancel(self):
        """Cancelling a validated procedure puts its materials back where they
        were taken from, lot by lot."""
        self.check_access("write")
        Move = self.env["stock.move"].sudo()
        for procedure in self:
            if procedure.state == "done":
                for line in procedure.material_line_ids.filtered("move_id"):
                    move = Move.create(line._prepare_move_values(reverse=True))
                    move._action_done()
                    line.return_move_id = move
        self.state = "cancelled"
        return True

    def action_draft(self):
        if any(procedure.state != "cancelled" for procedure in self):
            raise UserError(self.env._("Only cancelled procedures can be reopened."))
        self.material_line_ids.write({"move_id": False, "return_move_id": False})
        self.state = "draft"
        return True

    def action_print(self):
        return self.env.ref("beauty_crm.beauty_procedure_report_action").report_action(
            self
        )

    def _check_materials_available(self):
        """Raise one UserError listing every line that cannot be consumed:
        missing or expired lot, or not enough stock for all the procedures
        being validated together."""
        problems = []
        needed = defaultdict(float)
        for procedure in self:
            if procedure.material_line_ids and not procedure.location_id:
                problems.append(
                    self.env._(
                        "%(name)s: choose the stock location the materials come from.",
                        name=procedure.name,
                    )
                )
                continue
            for line in procedure.material_line_ids:
                problems += line._get_consumption_problems()
                product = line.product_id
                if product.is_storable:
                    key = (product, line.lot_id, procedure.location_id)
                    needed[key] += line.product_uom_id._compute_quantity(
                        line.quantity, product.uom_id
                    )
        Quant = self.env["stock.quant"].sudo()
        for (product, lot, location), quantity in needed.items():
            quants = Quant._gather(product, location, lot_id=lot or None, strict=True)
            if quants:
                # Two procedures consuming the same stock at once: the second
                # waits here, then Odoo retries it on the updated quantities.
                self.env.cr.execute(
                    "SELECT 1 FROM stock_quant WHERE id IN %s FOR NO KEY UPDATE",
                    [tuple(quants.ids)],
                )
            available = Quant._get_available_quantity(
                product, location, lot_id=lot or None, strict=True
            )
            rounding = product.uom_id.rounding
            if float_compare(available, quantity, precision_rounding=rounding) < 0:
                problems.append(
                    self.env._(
                        "Not enough %(product)s%(lot)s in %(location)s: "
                        "%(available)s %(uom)s available, %(needed)s %(uom)s needed.",
                        product=product.display_name,
                        lot=self.env._(" (lot %s)", lot.name) if lot else "",
                        location=location.display_name,
                        available=float_round(available, precision_rounding=rounding),
                        needed=float_round(quantity, precision_rounding=rounding),
                        uom=product.uom_id.name,
                    )
                )
        if problems:
            raise UserError(
                self.env._(
                    "%(names)s cannot be validated:\n%(problems)s",
                    names=", ".join(self.mapped("name")),
                    problems="\n".join(f"- {problem}" for problem in problems),
                )
            )

    def _get_parameter_lines(self):
        """(label, value) of each filled structured parameter, for the
        printed record and the portal."""
        self.ensure_one()
        lines = []
        for prop in self.read(["parameters"])[0]["parameters"] or []:
            value = prop.get("value")
            if prop["type"] == "separator" or value in (False, None, "", []):
                continue
            if prop["type"] == "selection":
                value = dict(prop.get("selection") or []).get(value, value)
            elif prop["type"] == "many2one":
                value = value[1]
            elif prop["type"] == "many2many":
                value = ", ".join(item[1] for item in value)
            elif prop["type"] == "tags":
                labels = {tag[0]: tag[1] for tag in prop.get("tags") or []}
                value = ", ".join(labels.get(tag, tag) for tag in value)
            elif prop["type"] == "boolean":
                value = self.env._("Yes")
            lines.append((prop["string"], value))
        return lines
