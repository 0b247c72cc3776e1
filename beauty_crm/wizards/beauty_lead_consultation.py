from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.crm_lead import APPOINTMENT_CHANNEL

# How far ahead the wizard looks for the first free time.
SEARCH_DAYS = 14


class BeautyLeadConsultation(models.TransientModel):
    """Book a consultation visit for a lead through the booking engine."""

    _name = "beauty.lead.consultation"
    _description = "Book a consultation for a lead"

    lead_id = fields.Many2one("crm.lead", required=True, ondelete="cascade")
    product_id = fields.Many2one(
        "product.product",
        "Consultation",
        required=True,
        domain=[("is_beauty_consultation", "=", True), ("is_salon_service", "=", True)],
        default=lambda self: self._default_product(),
    )
    employee_id = fields.Many2one(
        "hr.employee",
        "Specialist",
        domain=[("is_specialist", "=", True)],
        help="Empty: the first free specialist who gives this consultation.",
    )
    start = fields.Datetime(
        compute="_compute_start",
        store=True,
        precompute=True,
        readonly=False,
        required=True,
        help="The first free time from now; change it to what the client wants.",
    )

    def _default_product(self):
        return self.env["product.product"].search(
            [
                ("is_beauty_consultation", "=", True),
                ("is_salon_service", "=", True),
                ("company_id", "in", [False, self.env.company.id]),
            ],
            limit=1,
        )

    def _tz(self):
        company = self.env.company
        return (
            self.env.user.tz
            or company.resource_calendar_id.tz
            or company.partner_id.tz
            or "UTC"
        )

    def _first_free(self, since):
        self.ensure_one()
        slots = (
            self.env["beauty.scheduler"]
            .with_context(tz=self._tz())
            .get_available_slots(
                self.product_id,
                since,
                since + timedelta(days=SEARCH_DAYS),
                employee=self.employee_id or None,
                tz=self._tz(),
            )
        )
        return slots[0] if slots else None

    @api.depends("product_id", "employee_id")
    def _compute_start(self):
        for wizard in self:
            slot = wizard.product_id and wizard._first_free(fields.Datetime.now())
            wizard.start = slot["start"] if slot else False

    def action_book(self):
        self.ensure_one()
        lead = self.lead_id
        lead._beauty_check_open()
        Scheduler = self.env["beauty.scheduler"].with_context(tz=self._tz())
        slot = Scheduler.find_slot(
            self.product_id,
            self.start,
            employee=self.employee_id or None,
            tz=self._tz(),
        )
        if not slot and not self.employee_id:
            raise UserError(self._nobody_free_message())
        partner = lead._beauty_client_card()
        channel = APPOINTMENT_CHANNEL.get(lead.beauty_channel, "phone")
        if slot:
            appointment = Scheduler.book(partner, slot["lines"], channel=channel)
        else:
            # As on the appointment form: the engine accepts the time or says
            # why not ("... is already booked from ... to ...").
            appointment = self.env["beauty.appointment"].create(
                {
                    "partner_id": partner.id,
                    "channel": channel,
                    "line_ids": [
                        fields.Command.create(
                            {
                                "product_id": self.product_id.id,
                                "employee_id": self.employee_id.id,
                                "start": self.start,
                            }
                        )
                    ],
                }
            )
        appointment.lead_id = lead
        appointment.action_confirm()
        lead._beauty_move("consultation_booked", appointment)
        return {"type": "ir.actions.act_window_close"}

    def _nobody_free_message(self):
        scheduler = self.env["beauty.scheduler"].with_context(tz=self._tz())
        slot = self._first_free(self.start)
        if slot:
            return self.env._(
                "Nobody is free for %(service)s at %(time)s. The first free time "
                "after it: %(free)s.",
                service=self.product_id.display_name,
                time=scheduler._format(self.start),
                free=scheduler._format(slot["start"]),
            )
        return self.env._(
            "Nobody is free for %(service)s at %(time)s, nor in the %(days)s days "
            "after it.",
            service=self.product_id.display_name,
            time=scheduler._format(self.start),
            days=SEARCH_DAYS,
        )
