from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

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
# A confirmed client this late is shown as late on the front desk board.
LATE_AFTER = timedelta(minutes=10)
ICS_STATUS = {"draft": "TENTATIVE", "cancelled": "CANCELLED", "no_show": "CANCELLED"}


def _ics_text(value):
    """Escape a TEXT value of RFC 5545."""
    return (
        (value or "")
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\n", "\\n")
    )


def _ics_fold(line):
    """Fold a content line at 75 octets (RFC 5545, 3.1)."""
    data = line.encode()
    parts = []
    while len(data) > 75:
        cut = 75 if not parts else 74
        while cut and (data[cut] & 0xC0) == 0x80:
            cut -= 1
        parts.append(data[:cut])
        data = data[cut:]
    parts.append(data)
    return b"\r\n ".join(parts).decode()


class BeautyAppointment(models.Model):
    _name = "beauty.appointment"
    _description = "Appointment"
    _inherit = ["portal.mixin", "rating.mixin", "mail.thread", "mail.activity.mixin"]
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
    cancel_reason = fields.Text(tracking=True, copy=False)
    is_late = fields.Boolean(
        "Late",
        compute="_compute_is_late",
        search="_search_is_late",
        help="Confirmed, and the client has not arrived ten minutes after the start.",
    )

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

    @api.depends("state", "start")
    @api.depends_context("uid")
    def _compute_is_late(self):
        limit = fields.Datetime.now() - LATE_AFTER
        for appointment in self:
            appointment.is_late = (
                appointment.state == "confirmed"
                and bool(appointment.start)
                and appointment.start < limit
            )

    def _search_is_late(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Search late appointments with = or !=."))
        late = [
            ("state", "=", "confirmed"),
            ("start", "<", fields.Datetime.now() - LATE_AFTER),
        ]
        if (operator == "=") == value:
            return late
        return ["!", "&", *late]

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = (
                    self.env["ir.sequence"].next_by_code("beauty.appointment") or "/"
                )
        return super().create(vals_list)

    def write(self, vals):
        was_active = {}
        if "state" in vals:
            was_active = {
                appointment: appointment.state in ACTIVE_STATES for appointment in self
            }
        result = super().write(vals)
        flipped = self.filtered(
            lambda appointment: (
                appointment in was_active
                and was_active[appointment] != (appointment.state in ACTIVE_STATES)
            )
        )
        if flipped:
            reactivated = flipped.filtered(lambda a: a.state in ACTIVE_STATES)
            self.env["beauty.scheduler"].check_lines(reactivated.line_ids)
            flipped._sync_blocks()
            # Offered to the waitlist after this request, by a cron.
            self.env["beauty.waitlist.freed"]._record((flipped - reactivated).line_ids)
        if {"partner_id", "company_id"} & set(vals):
            self.env["beauty.scheduler"].check_lines(self.line_ids)
        return result

    def _sync_blocks(self):
        """Keep the busy time of specialists and rooms in step with the
        lines and the state (see beauty.scheduler._write_blocks)."""
        self.env["beauty.scheduler"]._write_blocks(self)

    # ------------------------------------------------------------------
    # Front desk actions
    # ------------------------------------------------------------------

    def _set_state(self, state, allowed):
        labels = dict(self._fields["state"]._description_selection(self.env))
        for appointment in self:
            if appointment.state not in allowed:
                raise UserError(
                    self.env._(
                        "%(reference)s is %(state)s and cannot become %(new_state)s.",
                        reference=appointment.name,
                        state=labels[appointment.state],
                        new_state=labels[state],
                    )
                )
        self.write({"state": state})
        return True

    def action_confirm(self):
        return self._set_state("confirmed", ("draft",))

    def action_arrive(self):
        return self._set_state("arrived", ("draft", "confirmed"))

    def action_start(self):
        return self._set_state("in_progress", ("confirmed", "arrived"))

    def action_done(self):
        return self._set_state("done", ("arrived", "in_progress"))

    def action_no_show(self):
        self._set_state("no_show", ("draft", "confirmed"))
        for appointment in self:
            appointment._apply_cancellation_policy("client")
        return True

    def action_draft(self):
        return self._set_state("draft", ("cancelled", "no_show"))

    def action_cancel(self):
        """Ask for the reason (wizard) before cancelling."""
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Cancel appointment"),
            "res_model": "beauty.appointment.cancel",
            "view_mode": "form",
            "target": "new",
            "context": {"default_appointment_ids": self.ids},
        }

    def _action_cancel(self, reason, cancelled_by="client"):
        """Cancel with a reason; the time of the specialists and rooms is
        freed and offered to the waitlist, draft invoices are cancelled and
        the deposit is settled by the cancellation policy
        (see _apply_cancellation_policy)."""
        if not (reason or "").strip():
            raise UserError(self.env._("Give the reason of the cancellation."))
        for appointment in self:
            if appointment.state not in ("draft", "confirmed", "arrived"):
                raise UserError(
                    self.env._(
                        "%(reference)s is %(state)s and cannot be cancelled.",
                        reference=appointment.name,
                        state=dict(
                            self._fields["state"]._description_selection(self.env)
                        )[appointment.state],
                    )
                )
        self._beauty_cancel_invoices()
        self.write({"state": "cancelled", "cancel_reason": reason.strip()})
        for appointment in self:
            appointment._apply_cancellation_policy(cancelled_by)
        return True

    # ------------------------------------------------------------------
    # Calendar file for the client
    # ------------------------------------------------------------------

    def _get_ics(self):
        """The appointment as an iCalendar (RFC 5545) file, times in UTC."""
        self.ensure_one()
        stamp = "%Y%m%dT%H%M%SZ"
        company = self.company_id
        uuid = self.env["ir.config_parameter"].sudo().get_param("database.uuid", "")
        summary = (
            f"{company.name}: {', '.join(self.line_ids.product_id.mapped('name'))}"
        )
        description = "\n".join(
            f"{line.product_id.display_name} - {line.employee_id.name}"
            for line in self.line_ids
        )
        address = company.partner_id._display_address(without_company=True)
        lines = [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//beauty_crm//Odoo 18.0//EN",
            "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH",
            "BEGIN:VEVENT",
            f"UID:beauty-appointment-{self.id}-{uuid}",
            f"DTSTAMP:{fields.Datetime.now().strftime(stamp)}",
            f"DTSTART:{self.start.strftime(stamp)}",
            f"DTEND:{self.stop.strftime(stamp)}",
            f"SUMMARY:{_ics_text(summary)}",
            f"DESCRIPTION:{_ics_text(description)}",
            f"LOCATION:{_ics_text(address.replace(chr(10), ', '))}",
            f"STATUS:{ICS_STATUS.get(self.state, 'CONFIRMED')}",
            "END:VEVENT",
            "END:VCALENDAR",
        ]
        return "".join(_ics_fold(line) + "\r\n" for line in lines).encode()

    def action_download_ics(self):
        self.ensure_one()
        if not self.start:
            raise UserError(self.env._("Add a service before sending the visit."))
        attachment = self.env["ir.attachment"].create(
            {
                "name": f"{self.name.replace('/', '-')}.ics",
                "raw": self._get_ics(),
                "mimetype": "text/calendar",
                "res_model": self._name,
                "res_id": self.id,
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }

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
