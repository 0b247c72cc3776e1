from odoo import fields, models
from odoo.exceptions import UserError


class AccountPayment(models.Model):
    _inherit = "account.payment"

    beauty_appointment_id = fields.Many2one(
        "beauty.appointment",
        "Deposit for visit",
        index="btree_not_null",
        copy=False,
        readonly=True,
        groups="beauty_crm.group_beauty_receptionist",
        help="Visit this payment is the deposit (or deposit refund) of.",
    )

    def action_post(self):
        deposits = self.sudo().filtered("beauty_appointment_id")
        res = super().action_post()
        if any(not pay.move_id for pay in deposits):
            raise UserError(
                self.env._(
                    "A deposit must be booked as a journal entry: give the payment "
                    "method of journal %(journal)s an outstanding account.",
                    journal=deposits.filtered(lambda pay: not pay.move_id)[
                        :1
                    ].journal_id.display_name,
                )
            )
        strangers = deposits.filtered(
            lambda pay: (
                pay.partner_id.commercial_partner_id
                != pay.beauty_appointment_id.partner_id.commercial_partner_id
            )
        )
        if strangers:
            raise UserError(
                self.env._(
                    "The deposit of %(visit)s is paid by its client %(client)s, "
                    "not by %(payer)s.",
                    visit=strangers[0].beauty_appointment_id.name,
                    client=strangers[0].beauty_appointment_id.partner_id.display_name,
                    payer=strangers[0].partner_id.display_name,
                )
            )
        for appointment in deposits.filtered(
            lambda pay: pay.payment_type == "inbound"
        ).beauty_appointment_id:
            appointment.invoice_ids.filtered(
                lambda move: move.state == "posted" and move.move_type == "out_invoice"
            )._beauty_apply_deposits()
        # Payments without a journal entry settle invoices without reconciling,
        # so no reconciliation hook tells the invoice it is paid.
        self.invoice_ids._beauty_loyalty_sync_earned()
        return res
