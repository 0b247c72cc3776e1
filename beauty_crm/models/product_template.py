from datetime import timedelta

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
    buffer_before = fields.Float(
        help="Preparation time the specialist needs before the client, in hours."
    )
    buffer_after = fields.Float(
        help="Cleaning time the specialist needs after the client, in hours."
    )
    processing_gap_start = fields.Float(
        "Processing starts after",
        help="Hours after the start of the service when the specialist leaves the "
        "client while the product works (e.g. hair dye processing).",
    )
    processing_gap_duration = fields.Float(
        "Processing time",
        help="Hours during which the specialist is free for another client. "
        "Zero when the specialist stays for the whole service.",
    )
    specialist_ids = fields.Many2many(
        "hr.employee",
        "beauty_employee_service_rel",
        "product_tmpl_id",
        "employee_id",
        string="Specialists",
        help="Specialists who perform this service.",
    )
    certification_skill_id = fields.Many2one(
        "hr.skill",
        "Required certification",
        help="Specialists need this skill, not expired on the day of the visit.",
    )
    room_ids = fields.Many2many(
        "resource.resource",
        "beauty_product_room_rel",
        "product_tmpl_id",
        "resource_id",
        string="Rooms or devices",
        domain=[("resource_type", "=", "material")],
        help="The service needs one of these rooms or devices for its whole duration.",
    )
    is_bookable_online = fields.Boolean(
        "Bookable online", default=True, help="Clients can book it on the website."
    )
    min_lead_time = fields.Float(
        "Minimum lead time",
        help="Hours between the moment of booking and the start of the visit, "
        "for bookings offered by the availability search.",
    )
    repeat_interval_days = fields.Integer(
        "Repeat every (days)",
        help="Recommended interval before the next session of this service.",
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

    @api.constrains(
        "is_salon_service",
        "service_duration",
        "buffer_before",
        "buffer_after",
        "processing_gap_start",
        "processing_gap_duration",
        "min_lead_time",
        "repeat_interval_days",
    )
    def _check_service_times(self):
        for product in self.filtered("is_salon_service"):
            if (
                min(
                    product.buffer_before,
                    product.buffer_after,
                    product.processing_gap_start,
                    product.processing_gap_duration,
                    product.min_lead_time,
                    product.repeat_interval_days,
                )
                < 0
                or max(product.buffer_before, product.buffer_after) > 4
            ):
                raise ValidationError(
                    self.env._(
                        "Buffers, processing time, lead time and repeat interval of "
                        "%(name)s cannot be negative, and a buffer is at most 4 "
                        "hours.",
                        name=product.display_name,
                    )
                )
            gap_end = product.processing_gap_start + product.processing_gap_duration
            if product.processing_gap_duration and not (
                0 < product.processing_gap_start and gap_end < product.service_duration
            ):
                raise ValidationError(
                    self.env._(
                        "The processing time of %(name)s must lie inside the "
                        "service: the specialist starts and finishes with the "
                        "client.",
                        name=product.display_name,
                    )
                )

    def _get_specialist_offsets(self, duration=None):
        """(from, to) timedelta pairs, relative to the start of the service,
        during which the specialist is busy with it: buffers included,
        processing gap left out so that another client can be served
        meanwhile. ``duration`` (timedelta) overrides the service duration for
        a line whose end was moved by hand; the gap is kept only if it still
        ends before the service."""
        self.ensure_one()
        if duration is None:
            duration = timedelta(hours=self.service_duration)
        before = -timedelta(hours=self.buffer_before)
        after = duration + timedelta(hours=self.buffer_after)
        gap_start = timedelta(hours=self.processing_gap_start)
        gap_stop = gap_start + timedelta(hours=self.processing_gap_duration)
        if not self.processing_gap_duration or gap_stop >= duration:
            return [(before, after)]
        return [(before, gap_start), (gap_stop, after)]

    # Deposit rule of the service (issue #7) -----------------------------------

    beauty_deposit_mode = fields.Selection(
        [
            ("company", "Salon policy"),
            ("none", "No deposit"),
            ("fixed", "Fixed amount"),
            ("percent", "Percentage of the price"),
        ],
        "Deposit",
        default="company",
        required=True,
        help="Deposit asked when this service is booked; 'Salon policy' follows "
        "the salon-wide setting.",
    )
    beauty_deposit_amount = fields.Monetary(
        "Deposit amount", currency_field="currency_id"
    )
    beauty_deposit_percent = fields.Float("Deposit percentage")
