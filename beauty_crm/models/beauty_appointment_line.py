from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

HEALTH_GROUPS = "beauty_crm.group_beauty_specialist"
# Changing one of these fields moves the busy time of the line.
BOOKING_FIELDS = {
    "appointment_id",
    "product_id",
    "employee_id",
    "start",
    "stop",
    "room_id",
}


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
    room_id = fields.Many2one(
        "resource.resource",
        "Room or device",
        compute="_compute_room_id",
        store=True,
        readonly=False,
        precompute=True,
        domain=[("resource_type", "=", "material")],
    )
    price_unit = fields.Monetary(
        "Price",
        compute="_compute_price_unit",
        store=True,
        readonly=False,
        precompute=True,
    )
    health_warning = fields.Char(
        compute="_compute_health_warning",
        help="Allergies and contraindications of the client that forbid this service.",
    )
    contraindication_override = fields.Char(
        "Override reason",
        groups=HEALTH_GROUPS,
        help="Why the service is done despite the client's allergy or "
        "contraindication; only a specialist or manager can write it.",
    )
    override_user_id = fields.Many2one("res.users", "Override by", readonly=True)
    override_date = fields.Datetime("Override on", readonly=True)

    @api.depends("start", "product_id")
    def _compute_stop(self):
        for line in self:
            if line.start and line.product_id:
                line.stop = line.start + timedelta(
                    hours=line.product_id.service_duration
                )

    @api.depends("product_id", "start", "stop")
    def _compute_room_id(self):
        scheduler = self.env["beauty.scheduler"]
        for line in self:
            rooms = line.product_id.product_tmpl_id.sudo().room_ids
            if not rooms or not line.start or not line.stop:
                line.room_id = line.room_id if line.room_id in rooms else False
                continue
            busy = scheduler._busy_intervals(
                rooms.ids, line.start, line.stop, line.appointment_id._origin.ids
            )
            free = [room for room in rooms if room.id not in busy]
            if line.room_id not in free:
                # Keep the current room when still free; otherwise take the first
                # free one, or the first one and let the booking explain the clash.
                line.room_id = free[0] if free else rooms[0]

    @api.depends("product_id")
    def _compute_price_unit(self):
        for line in self:
            line.price_unit = line.product_id.lst_price

    @api.depends("product_id", "employee_id")
    def _compute_display_name(self):
        for line in self:
            line.display_name = " - ".join(
                name for name in (line.product_id.name, line.employee_id.name) if name
            )

    @api.depends("product_id", "appointment_id.partner_id")
    def _compute_health_warning(self):
        for line in self:
            line.health_warning = ", ".join(line._get_contraindication_reasons())

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
            if line.stop - line.start > timedelta(hours=24):
                raise ValidationError(
                    self.env._(
                        "%(service)s cannot last more than 24 hours.",
                        service=line.product_id.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._stamp_override(vals)
        lines = super().create(vals_list)
        self.env["beauty.scheduler"].check_lines(lines)
        lines.appointment_id._sync_blocks()
        lines._post_override()
        return lines

    def write(self, vals):
        self._stamp_override(vals)
        moves = {}
        if {"start", "employee_id"} & set(vals):
            moves = {line: (line.start, line.employee_id.name) for line in self}
        old_appointments = self.appointment_id
        result = super().write(vals)
        if BOOKING_FIELDS & set(vals) or "contraindication_override" in vals:
            self.env["beauty.scheduler"].check_lines(self)
        if BOOKING_FIELDS & set(vals):
            (old_appointments | self.appointment_id)._sync_blocks()
        self._post_moves(moves)
        if vals.get("contraindication_override"):
            self._post_override()
        return result

    def unlink(self):
        appointments = self.appointment_id
        result = super().unlink()
        appointments.exists()._sync_blocks()
        return result

    def _stamp_override(self, vals):
        if "contraindication_override" in vals:
            # create() does not check field groups by itself: only specialists
            # and managers may override a health alert.
            self.check_field_access_rights("write", ["contraindication_override"])
        if vals.get("contraindication_override"):
            vals["override_user_id"] = self.env.uid
            vals["override_date"] = fields.Datetime.now()

    def _post_override(self):
        for line in self.sudo().filtered("contraindication_override"):
            line.appointment_id.message_post(
                body=self.env._(
                    "%(service)s booked despite %(reasons)s by %(user)s: %(reason)s",
                    service=line.product_id.display_name,
                    reasons=line.health_warning or self.env._("a health alert"),
                    user=line.override_user_id.name,
                    reason=line.contraindication_override,
                ),
                subtype_xmlid="mail.mt_note",
            )

    def _post_moves(self, moves):
        scheduler = self.env["beauty.scheduler"]
        for line, (old_start, old_employee) in moves.items():
            if (old_start, old_employee) == (line.start, line.employee_id.name):
                continue
            line.appointment_id.message_post(
                body=self.env._(
                    "%(service)s rescheduled from %(old_start)s (%(old_employee)s) "
                    "to %(start)s (%(employee)s).",
                    service=line.product_id.display_name,
                    old_start=scheduler._format(old_start),
                    old_employee=old_employee,
                    start=scheduler._format(line.start),
                    employee=line.employee_id.name,
                ),
                subtype_xmlid="mail.mt_note",
            )

    def _get_specialist_intervals(self):
        """(start, stop) datetimes during which the specialist is busy with
        this line: buffers included, processing gap left out."""
        self.ensure_one()
        tmpl = self.product_id.product_tmpl_id.sudo()
        return [
            (self.start + begin, self.start + end)
            for begin, end in tmpl._get_specialist_offsets(self.stop - self.start)
        ]

    def _get_contraindication_reasons(self):
        """Names of the client's allergies and contraindications that forbid
        this service. The card is health data the front desk cannot read; the
        names are already shown to it in the client's health alert."""
        self.ensure_one()
        client = self.appointment_id.partner_id.sudo()
        tmpl = self.product_id.product_tmpl_id.sudo()
        allergens = client.allergen_ids & tmpl.allergen_ids
        contraindications = client.contraindication_ids & tmpl.contraindication_ids
        return [
            *(self.env._("allergy to %(name)s", name=item.name) for item in allergens),
            *contraindications.mapped("name"),
        ]

    # Specialist commission (issue #7) -----------------------------------------

    def _beauty_material_cost(self):
        """Cost of the materials used for this service, deducted from the
        commission base by rules that ask for it; procedure records provide it."""
        self.ensure_one()
        return 0.0
