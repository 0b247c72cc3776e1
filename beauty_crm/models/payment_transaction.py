from odoo import fields, models


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

    def _create_payment(self, **extra_create_values):
        """A deposit must be a journal entry (a customer advance on the
        receivable account): give the provider's journal outstanding accounts
        before its first deposit payment."""
        if self.beauty_appointment_ids and self.provider_id.journal_id:
            self.company_id._beauty_prepare_payment_journal(self.provider_id.journal_id)
        return super()._create_payment(**extra_create_values)

    def _post_process(self):
        """A paid deposit confirms the online booking it was asked for."""
        result = super()._post_process()
        for tx in self.filtered(
            lambda tx: tx.state == "done" and tx.beauty_appointment_ids
        ):
            tx._beauty_apply_deposit()
        return result

    def _beauty_apply_deposit(self):
        self.ensure_one()
        appointments = self.beauty_appointment_ids.sudo()
        for appointment in appointments:
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
