from odoo import api, fields, models

STATES = [
    ("draft", "Draft"),
    ("confirmed", "Confirmed"),
    ("arrived", "Arrived"),
    ("in_progress", "In progress"),
    ("done", "Done"),
    ("cancelled", "Cancelled"),
    ("no_show", "No-show"),
]
# States in which an appointment holds its specialists and rooms.
ACTIVE_STATES = ("draft", "confirmed", "arrived", "in_progress", "done")


class BeautyAppointment(models.Model):
    _name = "beauty.appointment"
    _description = "Appointment"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "start desc, id desc"

    name = fields.Char(
        "Reference", required=True, readonly=True, copy=False, default="/"
    )
    partner_id = fields.Many2one(
        "res.partner",
        "Client",
        required=True,
        index=True,
        tracking=True,
        domain=[("is_salon_client", "=", True)],
    )
    company_id = fields.Many2one(
        "res.company",
        "Branch",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    state = fields.Selection(
        STATES, required=True, default="draft", index=True, tracking=True
    )
    channel = fields.Selection(
        [
            ("phone", "Phone"),
            ("walk_in", "Walk-in"),
            ("website", "Website"),
            ("messenger", "Messenger"),
            ("staff", "Staff"),
        ],
        default="phone",
        required=True,
        tracking=True,
    )
    line_ids = fields.One2many(
        "beauty.appointment.line", "appointment_id", string="Services", copy=True
    )
    start = fields.Datetime(
        compute="_compute_start_stop", store=True, index=True, tracking=True
    )
    stop = fields.Datetime(compute="_compute_start_stop", store=True)
    amount_total = fields.Monetary("Total", compute="_compute_amount_total", store=True)
    note = fields.Html()
    health_alert = fields.Char(related="partner_id.health_alert")

    @api.depends("line_ids.start", "line_ids.stop")
    def _compute_start_stop(self):
        for appointment in self:
            lines = appointment.line_ids.filtered(lambda line: line.start)
            appointment.start = min(lines.mapped("start"), default=False)
            appointment.stop = max(lines.mapped("stop"), default=False)

    @api.depends("line_ids.price_unit")
    def _compute_amount_total(self):
        for appointment in self:
            appointment.amount_total = sum(appointment.line_ids.mapped("price_unit"))

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = (
                    self.env["ir.sequence"].next_by_code("beauty.appointment") or "/"
                )
        return super().create(vals_list)

    # Procedure records (#5).
    procedure_ids = fields.One2many(
        "beauty.procedure",
        "appointment_id",
        string="Procedure records",
        groups="beauty_crm.group_beauty_specialist",
    )
    procedure_count = fields.Integer(
        compute="_compute_procedure_count",
        groups="beauty_crm.group_beauty_specialist",
    )

    @api.depends("procedure_ids")
    def _compute_procedure_count(self):
        for appointment in self:
            appointment.procedure_count = len(appointment.procedure_ids)

    def action_view_procedures(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "beauty_crm.beauty_procedure_action"
        )
        action["domain"] = [("appointment_id", "=", self.id)]
        action["context"] = {"create": False}
        return action
