from odoo import models
from odoo.exceptions import UserError, ValidationError


class BeautyAppointment(models.Model):
    _inherit = "beauty.appointment"

    # Deposits paid back, and kept deposits given back to a reopened visit ------

    def _beauty_refund_deposit(self, open_lines):
        """Pay the held deposit back the way each deposit payment came in: a
        desk payment through its journal, an online payment through its
        provider's refund. When the provider cannot refund, nothing is posted
        and the desk gets an activity to return the money.

        :return: 'refunded', or 'to_refund' when the desk has to return money
        """
        result = "refunded"
        for payment in open_lines.move_id.origin_payment_id:
            lines = open_lines.filtered(
                lambda line, payment=payment: line.move_id.origin_payment_id == payment
            )
            residual = -sum(lines.mapped("amount_residual"))
            tx = payment.sudo().payment_transaction_id
            if tx:
                residual -= tx._beauty_refund_pending()
            if self.currency_id.compare_amounts(residual, 0) <= 0:
                continue
            if not tx:
                self._beauty_pay_back(payment, lines, residual)
            elif not self._beauty_provider_refund(tx, residual):
                self._beauty_ask_desk_to_refund(payment, residual)
                result = "to_refund"
        return result

    def _beauty_pay_back(self, deposit, open_lines, amount):
        """Post the outbound payment of a deposit taken at the desk."""
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

    def _beauty_provider_refund(self, tx, amount):
        """Ask the payment provider to pay ``amount`` of an online deposit
        back; its payment settles the deposit when the provider confirms it
        (payment.transaction._create_payment). False when it cannot."""
        support = tx.provider_id.support_refund
        if (
            tx.state != "done"
            or support not in ("full_only", "partial")
            or (
                support == "full_only"
                and self.currency_id.compare_amounts(amount, tx.amount) != 0
            )
        ):
            return False
        try:
            with self.env.cr.savepoint():
                refund_tx = tx.sudo()._send_refund_request(amount_to_refund=amount)
        except (UserError, ValidationError) as error:
            self.message_post(
                body=self.env._(
                    "%(provider)s refused to refund the deposit: %(reason)s",
                    provider=tx.provider_id.name,
                    reason=error.args[0],
                )
            )
            return False
        self.message_post(
            body=self.env._(
                "Refund of the deposit (%(amount)s) asked from %(provider)s: "
                "%(reference)s.",
                amount=self.currency_id.format(amount),
                provider=tx.provider_id.name,
                reference=refund_tx.reference,
            )
        )
        return True

    def _beauty_ask_desk_to_refund(self, deposit, amount):
        """Leave the desk a to-do to return a deposit no provider can refund."""
        note = self.env._(
            "Return %(amount)s to %(client)s: the deposit %(payment)s was paid "
            "online and its provider cannot refund it. Then register the money sent "
            "back as a customer refund payment and reconcile it with the deposit.",
            amount=self.currency_id.format(amount),
            client=self.partner_id.display_name,
            payment=deposit.name,
        )
        if self._beauty_refund_todos():
            # Asked already (the visit was reopened and cancelled again).
            return
        self.activity_schedule(
            "mail.mail_activity_data_todo",
            summary=self.env._("Return the deposit"),
            note=note,
            user_id=self._beauty_desk_user().id,
        )
        self.message_post(body=note)

    def _beauty_refund_todos(self):
        self.ensure_one()
        todo = self.env.ref("mail.mail_activity_data_todo")
        summary = self.env._("Return the deposit")
        return self.sudo().activity_ids.filtered(
            lambda activity: (
                activity.activity_type_id == todo and activity.summary == summary
            )
        )

    def _beauty_desk_user(self):
        """Who returns money to clients: the user at work, or the branch's
        first receptionist when a client or a scheduled job cancelled."""
        user = self.env.user
        if (
            user._is_internal()
            and not user._is_superuser()
            and user.has_group("beauty_crm.group_beauty_receptionist")
        ):
            return user
        group = self.env.ref("beauty_crm.group_beauty_receptionist")
        return self.env["res.users"].sudo().search(
            [
                ("groups_id", "in", group.ids),
                ("share", "=", False),
                ("company_ids", "in", self.company_id.ids),
            ],
            order="id",
            limit=1,
        ) or self.env.ref("base.user_admin")

    def _beauty_book_provider_refund(self, tx, payment):
        """The payment of a provider's refund of this visit's deposit: it pays
        the customer advance back."""
        self.ensure_one()
        deposit = tx.source_transaction_id.payment_id
        if deposit.beauty_appointment_id != self:
            return
        payment.beauty_appointment_id = self
        lines = (deposit.move_id.line_ids | payment.move_id.line_ids).filtered(
            lambda line: (
                line.account_id.account_type == "asset_receivable"
                and not line.reconciled
            )
        )
        if len(lines.move_id) == 2:
            lines.reconcile()
        self.message_post(
            body=self.env._("Deposit refunded: %(payment)s.", payment=payment.name)
        )

    def _beauty_reverse_cancellation_fees(self):
        """A visit reopened after its deposit was kept: the fee is credited
        (Odoo's reversal) and the deposit is a customer advance again, applied
        to the visit's invoice in due course."""
        for appointment in self:
            fees = appointment.sudo().invoice_ids.filtered(
                lambda move: (
                    move.beauty_is_cancellation_fee
                    and move.move_type == "out_invoice"
                    and move.state == "posted"
                    and move.payment_state != "reversed"
                )
            )
            for fee in fees:
                fee.line_ids.filtered(
                    lambda line: line.account_id.account_type == "asset_receivable"
                ).remove_move_reconcile()
                credit = fee._reverse_moves(
                    [
                        {
                            "beauty_appointment_id": appointment.id,
                            "beauty_is_cancellation_fee": True,
                            "ref": self.env._(
                                "%(visit)s reopened", visit=appointment.name
                            ),
                        }
                    ],
                    cancel=True,
                )
                appointment.message_post(
                    body=self.env._(
                        "Visit reopened: cancellation fee %(fee)s credited by "
                        "%(credit)s; the deposit is held for the visit again.",
                        fee=fee.name,
                        credit=credit.name,
                    )
                )

    def action_draft(self):
        res = super().action_draft()
        self._beauty_reverse_cancellation_fees()
        # A deposit waiting to be returned is held for the visit again.
        for appointment in self:
            appointment._beauty_refund_todos().unlink()
        return res
