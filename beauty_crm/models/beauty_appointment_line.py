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

    # Specialist commission (issue #7) -----------------------------------------

    def _beauty_material_cost(self):
        """Cost of the materials used for this service, deducted from the
        commission base by rules that ask for it; procedure records provide it."""
        self.ensure_one()
        return 0.0
