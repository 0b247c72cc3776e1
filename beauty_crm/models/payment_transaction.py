from odoo import fields, models

# Operations in which the client's money actually moves to the salon; a
# validation (saving a card, often for 0) or a refund never pays a deposit.
PAYING_OPERATIONS = ("online_redirect", "online_direct", "online_token", "offline")


class PaymentTransaction(models.Model):
    _inherit = "payment.transaction"

    beauty_appointment_ids = fields.Many2many(
        "beauty.appointment",
        "beauty_appointment_transaction_rel",
        "transaction_id",
        "appointment_id",
        string="Salon appointments",
        readonly=True,
        copy=False,
    )

    def _compute_reference_prefix(self, provider_code, separator, **values):
        """Name deposit payments after the appointment (APT/2026/00001-1)."""
        command_list = values.get("beauty_appointment_ids")
        if command_list:
            ids = self._fields["beauty_appointment_ids"].convert_to_cache(
                command_list, self
            )
            appointments = self.env["beauty.appointment"].sudo().browse(ids).exists()
            if appointments:
                return separator.join(appointments.mapped("name"))
        return super()._compute_reference_prefix(provider_code, separator, **values)

    def _beauty_appointments(self):
        """Visits this transaction pays, or whose deposit it refunds."""
        self.ensure_one()
        if self.operation == "refund":
            return self.source_transaction_id.beauty_appointment_ids
        return self.beauty_appointment_ids

    def _create_payment(self, **extra_create_values):
        """A deposit must be a journal entry (a customer advance on the
        receivable account): give the provider's journal outstanding accounts
        before its first deposit payment. The payment of a provider's refund
        settles the deposit it pays back."""
        appointments = self._beauty_appointments()
        if appointments and self.provider_id.journal_id:
            self.company_id._beauty_prepare_payment_journal(self.provider_id.journal_id)
        payment = super()._create_payment(**extra_create_values)
        if self.operation == "refund" and len(appointments) == 1:
            appointments.sudo()._beauty_book_provider_refund(self, payment)
        return payment

    def _beauty_refund_pending(self):
        """Amount of refunds asked from the provider whose payment is not
        booked yet: a second refund must not ask for it again."""
        self.ensure_one()
        pending = self.child_transaction_ids.filtered(
            lambda tx: (
                tx.operation == "refund"
                and tx.state not in ("cancel", "error")
                and not tx.payment_id
            )
        )
        return -sum(pending.mapped("amount"))

    def _post_process(self):
        """A paid deposit confirms the online booking it was asked for."""
        result = super()._post_process()
        for tx in self.filtered(
            lambda tx: (
                tx.state == "done"
                and tx.operation != "refund"
                and tx.beauty_appointment_ids
            )
        ):
            tx._beauty_apply_deposit()
        return result

    def _beauty_pays_deposit(self, appointment):
        """Whether this done transaction is money received for at least the
        deposit the visit still owes (a validation or a smaller payment is not)."""
        self.ensure_one()
        if (
            self.state != "done"
            or self.operation not in PAYING_OPERATIONS
            or self.currency_id != appointment.currency_id
            or self.currency_id.compare_amounts(self.amount, 0) <= 0
        ):
            return False
        if self.payment_id and self.payment_id.beauty_appointment_id == appointment:
            return True
        due = appointment._beauty_deposit_due()
        return self.currency_id.compare_amounts(self.amount, due) >= 0

    def _beauty_apply_deposit(self):
        self.ensure_one()
        appointments = self.beauty_appointment_ids.sudo()
        for appointment in appointments:
            if not self._beauty_pays_deposit(appointment):
                appointment.message_post(
                    body=self.env._(
                        "Online transaction %(reference)s (%(amount)s %(currency)s) "
                        "does not pay the deposit of %(due)s %(currency_due)s: the "
                        "booking is not confirmed by it.",
                        reference=self.reference,
                        amount=self.amount,
                        currency=self.currency_id.name,
                        due=appointment._beauty_deposit_due(),
                        currency_due=appointment.currency_id.name,
                    )
                )
                continue
            if self.payment_id and len(appointments) == 1:
                appointment._beauty_link_online_deposit(self.payment_id)
            if appointment.state == "draft":
                appointment._beauty_confirm_online()
            elif appointment.state == "cancelled":
                # The hold ran out before the provider confirmed the payment:
                # the money came in for a visit that no longer holds its time.
                appointment.message_post(
                    body=self.env._(
                        "A deposit of %(amount)s %(currency)s was paid (%(reference)s) "
                        "after this online booking expired. Book the client again or "
                        "refund the deposit.",
                        amount=self.amount,
                        currency=self.currency_id.name,
                        reference=self.reference,
                    )
                )
