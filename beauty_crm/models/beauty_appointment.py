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
            self.env["beauty.waitlist"]._offer_freed_time(
                (flipped - reactivated).line_ids
            )
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
        for appointment in self:
            if appointment.state not in allowed:
                raise UserError(
                    self.env._(
                        "%(reference)s is %(state)s and cannot become %(new_state)s.",
                        reference=appointment.name,
                        state=dict(STATES)[appointment.state],
                        new_state=dict(STATES)[state],
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
                        state=dict(STATES)[appointment.state],
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

    # Billing, deposits and cancellation policy (issue #7) ----------------------

    invoice_ids = fields.One2many(
        "account.move", "beauty_appointment_id", string="Invoices", readonly=True
    )
    invoice_count = fields.Integer(compute="_compute_invoice_count")
    deposit_amount = fields.Monetary(
        compute="_compute_deposit_amount",
        help="Deposit the salon's policy asks for this visit.",
    )
    deposit_payment_ids = fields.One2many(
        "account.payment",
        "beauty_appointment_id",
        string="Deposit payments",
        readonly=True,
    )
    deposit_paid = fields.Monetary(
        compute="_compute_deposit_paid",
        help="Deposits received, less deposits refunded.",
    )
    deposit_open = fields.Monetary(
        "Unapplied deposit",
        compute="_compute_deposit_paid",
        help="Part of the deposit still held as a customer advance: not yet "
        "applied to an invoice, kept or refunded.",
    )

    @api.depends("invoice_ids")
    def _compute_invoice_count(self):
        for appointment in self:
            appointment.invoice_count = len(appointment.invoice_ids)

    @api.depends(
        "line_ids.price_unit",
        "line_ids.product_id",
        "partner_id",
        "company_id.beauty_deposit_mode",
        "company_id.beauty_deposit_amount",
        "company_id.beauty_deposit_percent",
        "company_id.beauty_deposit_first_visit_only",
    )
    def _compute_deposit_amount(self):
        for appointment in self:
            appointment.deposit_amount = appointment._beauty_deposit_policy_amount()

    @api.depends(
        "deposit_payment_ids.state",
        "deposit_payment_ids.amount",
        "deposit_payment_ids.move_id.line_ids.amount_residual",
    )
    def _compute_deposit_paid(self):
        for appointment in self:
            payments = appointment.deposit_payment_ids.filtered(
                lambda pay: pay.state in ("in_process", "paid")
            )
            appointment.deposit_paid = sum(
                pay.amount if pay.payment_type == "inbound" else -pay.amount
                for pay in payments
            )
            appointment.deposit_open = -sum(
                appointment._beauty_deposit_open_lines().mapped("amount_residual")
            )

    def _beauty_deposit_policy_amount(self):
        """Deposit the policy asks for: services with their own deposit rule
        add it per service, the others follow the salon-wide rule."""
        self.ensure_one()
        company = self.company_id
        if (
            company.beauty_deposit_first_visit_only
            and self.partner_id
            and self.search_count(
                [
                    ("partner_id", "=", self.partner_id.id),
                    ("state", "=", "done"),
                    ("id", "not in", self.ids),
                ],
                limit=1,
            )
        ):
            return 0.0
        amount = 0.0
        salon_lines = self.env["beauty.appointment.line"]
        for line in self.line_ids:
            mode = line.product_id.beauty_deposit_mode
            if mode == "fixed":
                amount += line.product_id.beauty_deposit_amount
            elif mode == "percent":
                amount += line.price_unit * line.product_id.beauty_deposit_percent / 100
            elif mode == "company":
                salon_lines |= line
        if salon_lines and company.beauty_deposit_mode == "fixed":
            amount += company.beauty_deposit_amount
        elif salon_lines and company.beauty_deposit_mode == "percent":
            amount += (
                sum(salon_lines.mapped("price_unit"))
                * company.beauty_deposit_percent
                / 100
            )
        return self.currency_id.round(min(amount, self.amount_total))

    def _beauty_deposit_open_lines(self):
        """Receivable items of the deposit payments not yet applied, kept or
        refunded: the customer advance held for this visit."""
        return self.deposit_payment_ids.filtered(
            lambda pay: pay.state in ("in_process", "paid")
        ).move_id.line_ids.filtered(
            lambda line: (
                line.account_id.account_type == "asset_receivable"
                and not line.reconciled
            )
        )

    def _is_free_cancellation(self, now=None):
        """True while the client may still cancel without losing the deposit."""
        self.ensure_one()
        if not self.start:
            return True
        now = now or fields.Datetime.now()
        hours = self.company_id.beauty_free_cancellation_hours
        return now <= self.start - timedelta(hours=hours)

    def _beauty_register_deposit(self, payment):
        """Link a posted inbound customer payment to this visit as its deposit.

        The payment stays an open credit on the client's receivable account (a
        customer advance, not revenue) until the visit is invoiced, kept as a
        cancellation fee or refunded. Linking the same payment again does
        nothing; an invoice already posted for the visit takes it at once.
        """
        self.ensure_one()
        payment.ensure_one()
        if payment.beauty_appointment_id == self:
            return True
        if payment.beauty_appointment_id:
            raise UserError(
                self.env._(
                    "Payment %(payment)s is already the deposit of %(visit)s.",
                    payment=payment.display_name,
                    visit=payment.beauty_appointment_id.display_name,
                )
            )
        if (
            payment.payment_type != "inbound"
            or payment.partner_type != "customer"
            or payment.state not in ("in_process", "paid")
            or payment.partner_id.commercial_partner_id
            != self.partner_id.commercial_partner_id
            or payment.company_id != self.company_id
        ):
            raise UserError(
                self.env._(
                    "Only a confirmed payment received from %(client)s can be "
                    "the deposit of %(visit)s.",
                    client=self.partner_id.display_name,
                    visit=self.display_name,
                )
            )
        if not payment.move_id:
            raise UserError(
                self.env._(
                    "Payment %(payment)s has no journal entry: give the payment "
                    "method of journal %(journal)s an outstanding account.",
                    payment=payment.display_name,
                    journal=payment.journal_id.display_name,
                )
            )
        payment.sudo().beauty_appointment_id = self
        self.invoice_ids.filtered(
            lambda move: (
                move.state == "posted"
                and move.move_type == "out_invoice"
                and not move.beauty_is_cancellation_fee
            )
        )._beauty_apply_deposits()
        return True

    def _apply_cancellation_policy(self, cancelled_by="client", now=None):
        """Settle the deposit of a cancelled or missed visit.

        :param cancelled_by: 'client' (also a no-show) or 'salon'
        :return: 'none' when no deposit is held, 'kept' when it became a
            cancellation fee (income), 'refunded' when it was paid back.
        """
        self.ensure_one()
        if cancelled_by not in ("client", "salon"):
            raise UserError(
                self.env._("A visit is cancelled by the client or the salon.")
            )
        open_lines = self._beauty_deposit_open_lines()
        amount = -sum(open_lines.mapped("amount_residual"))
        if self.currency_id.compare_amounts(amount, 0) <= 0:
            return "none"
        if cancelled_by == "salon" or self._is_free_cancellation(now=now):
            self._beauty_refund_deposit(open_lines, amount)
            return "refunded"
        self._beauty_keep_deposit(open_lines, amount)
        return "kept"

    def _beauty_keep_deposit(self, open_lines, amount):
        """Turn the held deposit into income: invoice the cancellation fee and
        settle it with the advance."""
        product = self.company_id._beauty_cancellation_product()
        fee = (
            self.env["account.move"]
            .sudo()
            .with_company(self.company_id)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.partner_id.id,
                    "company_id": self.company_id.id,
                    "beauty_appointment_id": self.id,
                    "beauty_is_cancellation_fee": True,
                    "invoice_origin": self.name,
                    "invoice_line_ids": [
                        (
                            0,
                            0,
                            {
                                "product_id": product.id,
                                "name": self.env._(
                                    "%(fee)s: %(visit)s",
                                    fee=product.display_name,
                                    visit=self.name,
                                ),
                                "quantity": 1,
                                "price_unit": amount,
                                "tax_ids": [
                                    (
                                        6,
                                        0,
                                        product.taxes_id.filtered(
                                            lambda tax: (
                                                tax.price_include
                                                and tax.company_id == self.company_id
                                            )
                                        ).ids,
                                    )
                                ],
                            },
                        )
                    ],
                }
            )
        )
        fee.action_post()
        receivable = fee.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        )
        (receivable + open_lines).reconcile()
        self.message_post(
            body=self.env._(
                "Deposit kept as a cancellation fee: %(fee)s.", fee=fee.name
            )
        )
        return fee

    def _beauty_refund_deposit(self, open_lines, amount):
        """Pay the held deposit back through the journal it came in."""
        deposit = open_lines.move_id.origin_payment_id[:1]
        journal = deposit.journal_id
        method = journal.outbound_payment_method_line_ids.filtered(
            lambda line: line.payment_account_id
        )[:1]
        if not method:
            self.company_id._beauty_prepare_payment_journal(journal)
            method = journal.outbound_payment_method_line_ids[:1]
        refund = (
            self.env["account.payment"]
            .sudo()
            .create(
                {
                    "payment_type": "outbound",
                    "partner_type": "customer",
                    "partner_id": self.partner_id.commercial_partner_id.id,
                    "amount": amount,
                    "currency_id": self.currency_id.id,
                    "journal_id": journal.id,
                    "payment_method_line_id": method.id,
                    "company_id": self.company_id.id,
                    "memo": self.env._("Deposit refund %(visit)s", visit=self.name),
                    "beauty_appointment_id": self.id,
                }
            )
        )
        refund.action_post()
        receivable = refund.move_id.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        )
        (receivable + open_lines).reconcile()
        self.message_post(
            body=self.env._("Deposit refunded: %(payment)s.", payment=refund.name)
        )
        return refund

    def _beauty_visit_invoice(self):
        self.ensure_one()
        return self.invoice_ids.filtered(
            lambda move: (
                move.move_type == "out_invoice"
                and not move.beauty_is_cancellation_fee
                and move.state != "cancel"
            )
        )[:1]

    def _beauty_create_invoice(self):
        """The customer invoice of a done visit: one line per service with its
        specialist, taxes from the service, the client's tier discount. Calling
        it again returns the same invoice; retail products are added on the
        draft invoice; posting it applies the deposit."""
        self.ensure_one()
        invoice = self._beauty_visit_invoice()
        if invoice:
            return invoice
        if self.state != "done":
            raise UserError(
                self.env._(
                    "Visit %(visit)s is not done yet: only a done visit is invoiced.",
                    visit=self.name,
                )
            )
        discount = self.partner_id._beauty_tier_discount(self.company_id)
        invoice = (
            self.env["account.move"]
            .with_company(self.company_id)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.partner_id.id,
                    "company_id": self.company_id.id,
                    "invoice_origin": self.name,
                    "beauty_appointment_id": self.id,
                    "invoice_line_ids": [
                        (
                            0,
                            0,
                            {
                                "product_id": line.product_id.id,
                                "name": self.env._(
                                    "%(service)s (specialist: %(specialist)s)",
                                    service=line.product_id.display_name,
                                    specialist=line.employee_id.name,
                                ),
                                "quantity": 1,
                                "price_unit": line.price_unit,
                                "discount": discount,
                                "beauty_employee_id": line.employee_id.id,
                                "beauty_appointment_line_id": line.id,
                            },
                        )
                        for line in self.line_ids
                    ],
                }
            )
        )
        return invoice

    def _beauty_cancel_invoices(self):
        """Draft invoices of a cancelled visit are cancelled; a posted one must be
        credited by the accountant first, so its effects are reversed properly."""
        posted = self.invoice_ids.filtered(
            lambda move: (
                move.state == "posted"
                and move.move_type == "out_invoice"
                and not move.beauty_is_cancellation_fee
                and move.payment_state != "reversed"
            )
        )
        if posted:
            raise UserError(
                self.env._(
                    "Invoice %(invoice)s is posted: issue a credit note before "
                    "cancelling the visit.",
                    invoice=posted[0].name,
                )
            )
        self.invoice_ids.filtered(lambda move: move.state == "draft").button_cancel()

    def action_beauty_create_invoice(self):
        self.ensure_one()
        invoice = self._beauty_create_invoice()
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": invoice.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def action_beauty_view_invoices(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_out_invoice_type"
        )
        action["domain"] = [("id", "in", self.invoice_ids.ids)]
        action["context"] = {"create": False}
        return action

    def action_beauty_take_deposit(self):
        """The standard payment form, filled in for the deposit of this visit."""
        self.ensure_one()
        due = self.deposit_amount - self.deposit_paid
        if self.currency_id.compare_amounts(due, 0) <= 0:
            raise UserError(
                self.env._("The deposit of %(visit)s is paid.", visit=self.name)
            )
        journal = self.company_id.beauty_deposit_journal_id
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Deposit"),
            "res_model": "account.payment",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_payment_type": "inbound",
                "default_partner_type": "customer",
                "default_partner_id": self.partner_id.commercial_partner_id.id,
                "default_amount": due,
                "default_memo": self.env._("Deposit %(visit)s", visit=self.name),
                "default_beauty_appointment_id": self.id,
                "default_journal_id": journal.id,
            },
        }

    # ------------------------------------------------------------------
    # Website booking and client cabinet
    # ------------------------------------------------------------------

    hold_expires_at = fields.Datetime(
        "Hold expires",
        copy=False,
        help="An online booking waiting for the client's confirmation or deposit "
        "keeps its time until then; it is cancelled afterwards.",
    )
    transaction_ids = fields.Many2many(
        "payment.transaction",
        "beauty_appointment_transaction_rel",
        "appointment_id",
        "transaction_id",
        string="Online payments",
        copy=False,
        readonly=True,
        groups="beauty_crm.group_beauty_receptionist",
    )

    def _compute_access_url(self):
        result = super()._compute_access_url()
        for appointment in self:
            appointment.access_url = f"/my/appointments/{appointment.id}"
        return result

    def _rating_get_operator(self):
        # Reviews rate the specialist who did the (first) service.
        return self.line_ids[:1].employee_id.user_id.partner_id

    def _beauty_is_hold(self):
        self.ensure_one()
        return self.state == "draft" and bool(self.hold_expires_at)

    def _beauty_hold_expired(self, now=None):
        self.ensure_one()
        return self._beauty_is_hold() and self.hold_expires_at <= (
            now or fields.Datetime.now()
        )

    def _beauty_confirm_online(self):
        """Confirm a website booking once the client confirmed it or paid its
        deposit; the time stays held by the same busy blocks."""
        holds = self.filtered(lambda appointment: appointment.state == "draft")
        holds.write({"hold_expires_at": False})
        holds.action_confirm()

    def _beauty_deposit_due(self):
        """Deposit the client still has to pay online to confirm the visit."""
        self.ensure_one()
        due = self.deposit_amount - self.deposit_paid
        return self.currency_id.round(due) if due > 0 else 0.0

    def _beauty_can_cancel(self, now=None):
        self.ensure_one()
        now = now or fields.Datetime.now()
        return (
            self.state in ("draft", "confirmed")
            and bool(self.start)
            and (self.start > now)
        )

    def _beauty_can_reschedule(self, now=None):
        """The client moves a confirmed visit online while it could still be
        cancelled free of charge; later only the front desk moves it."""
        self.ensure_one()
        return (
            self.state == "confirmed"
            and self._beauty_can_cancel(now)
            and self._is_free_cancellation(now=now)
        )

    def _beauty_free_cancellation_until(self):
        self.ensure_one()
        return self.start - timedelta(
            hours=self.company_id.beauty_free_cancellation_hours
        )

    def _beauty_can_rate(self):
        self.ensure_one()
        return self.state == "done" and not self.rating_ids.filtered("consumed")

    def _beauty_portal_cancel(self, reason=None):
        """Cancellation by the client: the time is freed and the deposit is
        refunded or kept according to the salon's policy (see _action_cancel)."""
        self.ensure_one()
        return self._action_cancel(
            reason or self.env._("Cancelled by the client online."), "client"
        )

    def _beauty_move(self, planned_lines):
        """Move the visit to a plan offered by the engine (same services in
        the same order); all lines are written at once so that the engine and
        the database constraint judge the new visit as a whole."""
        self.ensure_one()
        lines = self.line_ids.sorted("start")
        if lines.product_id.ids != [plan["product_id"] for plan in planned_lines]:
            raise UserError(self.env._("The new time is for other services."))
        self.write(
            {
                "line_ids": [
                    fields.Command.update(
                        line.id,
                        {
                            "employee_id": plan["employee_id"],
                            "start": plan["start"],
                            "stop": plan["stop"],
                            "room_id": plan.get("room_id") or False,
                        },
                    )
                    for line, plan in zip(lines, planned_lines, strict=True)
                ]
            }
        )

    def _beauty_link_online_deposit(self, payment):
        """Book an online payment as the deposit of this visit. A payment the
        accounting cannot take as a deposit (e.g. no outstanding account on
        the provider's journal) must not undo the payment: the front desk is
        told instead."""
        self.ensure_one()
        try:
            with self.env.cr.savepoint():
                self._beauty_register_deposit(payment)
        except UserError as error:
            self.message_post(
                body=self.env._(
                    "The online payment %(payment)s could not be booked as the "
                    "deposit: %(reason)s",
                    payment=payment.display_name,
                    reason=error.args[0],
                )
            )

    @api.model
    def _cron_release_expired_holds(self):
        """Cancel online bookings whose client neither confirmed nor paid in
        time, so that their specialists and rooms become free again."""
        expired = self.sudo().search(
            [
                ("state", "=", "draft"),
                ("hold_expires_at", "!=", False),
                ("hold_expires_at", "<=", fields.Datetime.now()),
            ]
        )
        if expired:
            expired._action_cancel(self.env._("Online booking not confirmed in time."))
        return len(expired)
