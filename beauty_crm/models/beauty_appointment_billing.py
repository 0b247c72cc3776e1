from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError


class BeautyAppointment(models.Model):
    _inherit = "beauty.appointment"

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
        # A new visit of the form has no branch yet when the field is hidden
        # (one company): it will get the user's on save.
        company = self.company_id or self.env.company
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
        return company.currency_id.round(min(amount, self.amount_total))

    def _beauty_deposit_open_lines(self):
        """Receivable items of the deposit payments not yet applied, kept or
        refunded: the customer advance the client holds for this visit."""
        self.ensure_one()
        return self.deposit_payment_ids.filtered(
            lambda pay: pay.state in ("in_process", "paid")
        ).move_id.line_ids.filtered(
            lambda line: (
                line.account_id.account_type == "asset_receivable"
                and not line.reconciled
                and line.partner_id.commercial_partner_id
                == self.partner_id.commercial_partner_id
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
            cancellation fee (income), 'refunded' when it was paid back (or
            its refund asked from the payment provider), 'to_refund' when the
            desk has to return it (see _beauty_refund_deposit).
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
            return self._beauty_refund_deposit(open_lines)
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
        return (
            self.env["account.move"]
            .with_company(self.company_id)
            .create(self._beauty_invoice_values())
        )

    def _beauty_invoice_values(self):
        """Values of the customer invoice of this visit (see
        _beauty_create_invoice)."""
        self.ensure_one()
        discount = self.partner_id._beauty_tier_discount(self.company_id)
        return {
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
