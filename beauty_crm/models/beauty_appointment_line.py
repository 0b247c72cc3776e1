from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class BeautyAppointmentLine(models.Model):
    _name = "beauty.appointment.line"
    _description = "Appointment service"
    _order = "start, id"

    appointment_id = fields.Many2one(
        "beauty.appointment", required=True, ondelete="cascade", index=True
    )
    partner_id = fields.Many2one(related="appointment_id.partner_id", store=True)
    company_id = fields.Many2one(related="appointment_id.company_id", store=True)
    currency_id = fields.Many2one(related="appointment_id.currency_id")
    state = fields.Selection(related="appointment_id.state", store=True)
    product_id = fields.Many2one(
        "product.product",
        "Service",
        required=True,
        domain=[("is_salon_service", "=", True)],
    )
    employee_id = fields.Many2one(
        "hr.employee",
        "Specialist",
        required=True,
        index=True,
        domain=[("is_specialist", "=", True)],
    )
    start = fields.Datetime(required=True)
    stop = fields.Datetime(
        compute="_compute_stop",
        store=True,
        readonly=False,
        required=True,
        precompute=True,
    )
    price_unit = fields.Monetary(
        "Price",
        compute="_compute_price_unit",
        store=True,
        readonly=False,
        precompute=True,
    )

    @api.depends("start", "product_id")
    def _compute_stop(self):
        for line in self:
            if line.start and line.product_id:
                line.stop = line.start + timedelta(
                    hours=line.product_id.service_duration
                )

    @api.depends("product_id")
    def _compute_price_unit(self):
        for line in self:
            line.price_unit = line.product_id.lst_price

    @api.constrains("start", "stop")
    def _check_dates(self):
        for line in self:
            if line.stop <= line.start:
                raise ValidationError(
                    self.env._(
                        "%(service)s must end after it starts.",
                        service=line.product_id.display_name,
                    )
                )

    # Procedure records (#5).
    procedure_ids = fields.One2many(
        "beauty.procedure",
        "appointment_line_id",
        string="Procedure records",
        groups="beauty_crm.group_beauty_specialist",
    )

    def action_create_procedure(self):
        """Open the procedure record of this service, creating it from the
        visit the first time."""
        self.ensure_one()
        if self.state not in ("in_progress", "done"):
            raise ValidationError(
                self.env._(
                    "Record a procedure once the client is being treated or the "
                    "visit is done."
                )
            )
        procedure = self.procedure_ids[:1] or self.env["beauty.procedure"].create(
            {
                "appointment_line_id": self.id,
                "partner_id": self.partner_id.id,
                "employee_id": self.employee_id.id,
                "product_id": self.product_id.id,
                "company_id": self.company_id.id,
                "date": self.start,
            }
        )
        return procedure.get_formview_action()
