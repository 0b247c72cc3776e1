from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import BeautyBillingCommon


@tagged("post_install", "-at_install")
class TestDeposit(BeautyBillingCommon):
    def _deposit(self, appointment, amount=2000, journal=None):
        payment = self._pay(amount, journal=journal)
        appointment._beauty_register_deposit(payment)
        return payment

    def test_policy_amount(self):
        visit = self._appointment(state="confirmed")
        self.assertEqual(visit.deposit_amount, 0.0)
        self.company.write(
            {"beauty_deposit_mode": "fixed", "beauty_deposit_amount": 1000}
        )
        visit.invalidate_recordset(["deposit_amount"])
        self.assertEqual(visit.deposit_amount, 1000.0)
        self.company.write(
            {"beauty_deposit_mode": "percent", "beauty_deposit_percent": 30}
        )
        visit.invalidate_recordset(["deposit_amount"])
        self.assertEqual(visit.deposit_amount, 2100.0)
        # The service's own rule wins over the salon's.
        self.service_colour.write(
            {"beauty_deposit_mode": "fixed", "beauty_deposit_amount": 500}
        )
        visit.invalidate_recordset(["deposit_amount"])
        self.assertEqual(visit.deposit_amount, 500.0)
        # First visits only: a client with a done visit books without deposit.
        self.company.beauty_deposit_first_visit_only = True
        visit.invalidate_recordset(["deposit_amount"])
        self.assertEqual(visit.deposit_amount, 500.0)
        self._appointment(state="done")
        visit.invalidate_recordset(["deposit_amount"])
        self.assertEqual(visit.deposit_amount, 0.0)

    def test_deposit_is_an_advance_then_applied_to_the_invoice(self):
        income_before = self._balance(self.income)
        tax_before = self._balance(self.tax_account)
        cash_before = self._balance(self.cash.default_account_id)
        visit = self._appointment(state="confirmed")
        self._deposit(visit, 2000)
        self.assertEqual(visit.deposit_paid, 2000)
        self.assertEqual(visit.deposit_open, 2000)
        # An advance: a credit on the client's receivable, no income yet.
        self.assertAlmostEqual(self._balance(self.receivable, self.client), -2000)
        self.assertAlmostEqual(self._balance(self.income) - income_before, 0.0)

        visit.state = "done"
        invoice = visit._beauty_create_invoice()
        invoice.action_post()
        self.assertAlmostEqual(invoice.amount_total, 8400)
        self.assertAlmostEqual(invoice.amount_residual, 6400)
        self.assertEqual(invoice.payment_state, "partial")
        self.assertEqual(visit.deposit_open, 0.0)
        self.assertAlmostEqual(self._balance(self.income) - income_before, -7000)
        self.assertAlmostEqual(self._balance(self.tax_account) - tax_before, -1400)
        self.assertAlmostEqual(self._balance(self.receivable, self.client), 6400)

        self._pay_invoice(invoice)
        self.assertEqual(invoice.payment_state, "paid")
        self.assertAlmostEqual(self._balance(self.receivable, self.client), 0.0)
        self.assertAlmostEqual(
            self._balance(self.cash.default_account_id) - cash_before, 8400
        )

    def test_deposit_paid_after_the_invoice_is_applied(self):
        visit = self._appointment()
        invoice = visit._beauty_create_invoice()
        invoice.action_post()
        self._deposit(visit, 1000)
        self.assertAlmostEqual(invoice.amount_residual, 7400)

    def test_late_cancellation_keeps_the_deposit_as_income(self):
        visit = self._appointment(state="confirmed")
        self._deposit(visit, 2000)
        fee_account = self.env.ref(
            "beauty_crm.product_cancellation_fee"
        ).product_tmpl_id._get_product_accounts()["income"]
        before = self._balance(fee_account)
        now = visit.start - timedelta(hours=2)
        self.assertFalse(visit._is_free_cancellation(now=now))
        self.assertEqual(visit._apply_cancellation_policy("client", now=now), "kept")
        fee = visit.invoice_ids.filtered("beauty_is_cancellation_fee")
        self.assertEqual(fee.state, "posted")
        self.assertAlmostEqual(fee.amount_total, 2000)
        self.assertEqual(fee.payment_state, "paid")
        self.assertAlmostEqual(self._balance(fee_account) - before, -2000)
        self.assertAlmostEqual(self._balance(self.receivable, self.client), 0.0)
        self.assertEqual(visit.deposit_open, 0.0)
        # Nothing is posted twice.
        self.assertEqual(visit._apply_cancellation_policy("client", now=now), "none")
        self.assertEqual(len(visit.invoice_ids), 1)

    def test_no_show_keeps_the_deposit(self):
        visit = self._appointment(state="confirmed")
        self._deposit(visit, 1500)
        with freeze_time(visit.start + timedelta(hours=1)):
            self.assertTrue(visit.action_no_show())
        self.assertEqual(visit.state, "no_show")
        fee = visit.invoice_ids.filtered("beauty_is_cancellation_fee")
        self.assertEqual(fee.state, "posted")
        self.assertAlmostEqual(fee.amount_total, 1500)
        self.assertEqual(fee.payment_state, "paid")
        self.assertEqual(visit.deposit_open, 0.0)
        self.assertAlmostEqual(self._balance(self.receivable, self.client), 0.0)
        with self.assertRaisesRegex(UserError, "cannot become"):
            visit.action_no_show()
        self.assertEqual(len(visit.invoice_ids), 1)

    def test_reopened_expired_hold_is_not_cancelled_again(self):
        Appointment = self.env["beauty.appointment"]
        hold = self._appointment(state="draft")
        self._deposit(hold, 2000)
        with freeze_time(hold.start - timedelta(hours=2)):
            hold.hold_expires_at = fields.Datetime.now() - timedelta(minutes=1)
            self.assertEqual(Appointment._cron_release_expired_holds(), 1)
            self.assertEqual(hold.state, "cancelled")
            self.assertEqual(hold.deposit_open, 0.0, "kept: a late cancellation")
            hold.action_draft()
            self.assertFalse(hold.hold_expires_at)
            self.assertEqual(Appointment._cron_release_expired_holds(), 0)
            self.assertEqual(hold.state, "draft")
            fees = hold.invoice_ids.filtered(
                lambda move: move.move_type == "out_invoice"
            )
            self.assertEqual(len(fees), 1, "the policy was applied once")
            # Confirmed by the desk: no longer a hold either.
            other = self._appointment(state="draft")
            other.hold_expires_at = fields.Datetime.now() + timedelta(minutes=5)
            other.action_confirm()
            self.assertFalse(other.hold_expires_at)

    def test_reopened_visit_gets_its_kept_deposit_back(self):
        def income_of(product):
            return sum(
                self.env["account.move.line"]
                .search(
                    [("product_id", "=", product.id), ("parent_state", "=", "posted")]
                )
                .mapped("balance")
            )

        fee_product = self.env.ref("beauty_crm.product_cancellation_fee")
        fee_before = income_of(fee_product)
        cash_before = self._balance(self.cash.default_account_id)
        visit = self._appointment(state="confirmed")
        self._deposit(visit, 2000)
        with freeze_time(visit.start - timedelta(hours=2)):
            visit._action_cancel("Late call", "client")
        fee = visit.invoice_ids.filtered("beauty_is_cancellation_fee")
        self.assertEqual(fee.payment_state, "paid")
        self.assertAlmostEqual(income_of(fee_product) - fee_before, -2000)
        visit.action_draft()
        self.assertEqual(fee.payment_state, "reversed")
        credit = fee.reversal_move_ids
        self.assertEqual(credit.state, "posted")
        self.assertEqual(credit.beauty_appointment_id, visit)
        self.assertEqual(visit.deposit_open, 2000, "an advance again")
        self.assertAlmostEqual(income_of(fee_product), fee_before)
        visit.action_confirm()
        visit.action_arrive()
        visit.action_done()
        invoice = visit._beauty_create_invoice()
        invoice.action_post()
        self.assertAlmostEqual(invoice.amount_residual, 6400)
        self._pay_invoice(invoice)
        # The client paid exactly the price of the visit: 2 000 + 6 400.
        self.assertAlmostEqual(
            self._balance(self.cash.default_account_id) - cash_before, 8400
        )
        self.assertAlmostEqual(self._balance(self.receivable, self.client), 0.0)
        self.assertAlmostEqual(income_of(fee_product), fee_before)
        self.assertAlmostEqual(income_of(self.service_colour), -7000)

    def test_deposits_are_matched_by_client(self):
        olga = self.env["res.partner"].create(
            {"name": "Olga Client", "is_salon_client": True}
        )
        visit_katya = self._appointment(state="confirmed")
        visit_olga = self._appointment(state="confirmed", partner=olga)
        self._deposit(visit_katya, 1000)
        visit_olga._beauty_register_deposit(self._pay(2000, partner=olga))
        # Olga comes instead of her sister: the visit is hers now, Katya's
        # advance stays Katya's.
        visit_katya.write({"partner_id": olga.id, "state": "done"})
        invoice = visit_katya._beauty_create_invoice()
        invoice.action_post()
        self.assertAlmostEqual(invoice.amount_residual, 8400)
        self.assertEqual(visit_katya.deposit_open, 0.0)
        self.assertAlmostEqual(self._balance(self.receivable, self.client), -1000)
        self.assertEqual(visit_olga.deposit_open, 2000)
        # A deposit taken for Olga's visit from somebody else is refused.
        self.company.write(
            {"beauty_deposit_mode": "fixed", "beauty_deposit_amount": 3000}
        )
        action = visit_olga.action_beauty_take_deposit()
        payment = (
            self.env["account.payment"]
            .with_context(**action["context"])
            .create({"partner_id": self.client.id, "amount": 100})
        )
        with self.assertRaisesRegex(UserError, "paid by its client"):
            payment.action_post()

    def test_salon_cancellation_refunds_the_deposit(self):
        visit = self._appointment(state="confirmed")
        self._deposit(visit, 2000)
        cash_before = self._balance(self.cash.default_account_id)
        now = visit.start - timedelta(hours=1)
        self.assertEqual(visit._apply_cancellation_policy("salon", now=now), "refunded")
        refund = visit.deposit_payment_ids.filtered(
            lambda pay: pay.payment_type == "outbound"
        )
        self.assertAlmostEqual(refund.amount, 2000)
        self.assertEqual(visit.deposit_paid, 0.0)
        self.assertAlmostEqual(self._balance(self.receivable, self.client), 0.0)
        self.assertAlmostEqual(
            self._balance(self.cash.default_account_id) - cash_before, -2000
        )
        self.assertFalse(visit.invoice_ids)
        self.assertEqual(visit._apply_cancellation_policy("salon", now=now), "none")

    def test_early_client_cancellation_is_free(self):
        visit = self._appointment(state="confirmed")
        self._deposit(visit, 2000, journal=self.bank)
        now = visit.start - timedelta(hours=25)
        self.assertTrue(visit._is_free_cancellation(now=now))
        self.assertFalse(
            visit._is_free_cancellation(now=visit.start - timedelta(hours=23))
        )
        self.assertEqual(
            visit._apply_cancellation_policy("client", now=now), "refunded"
        )
        refund = visit.deposit_payment_ids.filtered(
            lambda pay: pay.payment_type == "outbound"
        )
        self.assertEqual(refund.journal_id, self.bank)
        self.assertAlmostEqual(self._balance(self.receivable, self.client), 0.0)

    def test_register_deposit_checks_the_payment(self):
        visit = self._appointment(state="confirmed")
        other_client = self.env["res.partner"].create({"name": "Other client"})
        with self.assertRaisesRegex(UserError, "received from"):
            visit._beauty_register_deposit(self._pay(100, partner=other_client))
        with self.assertRaisesRegex(UserError, "received from"):
            visit._beauty_register_deposit(self._pay(100, payment_type="outbound"))
        payment = self._deposit(visit, 300)
        # Registering again changes nothing; another visit cannot take it.
        self.assertTrue(visit._beauty_register_deposit(payment))
        self.assertEqual(visit.deposit_paid, 300)
        with self.assertRaisesRegex(UserError, "already the deposit"):
            self._appointment(state="confirmed")._beauty_register_deposit(payment)
        with self.assertRaisesRegex(UserError, "client or the salon"):
            visit._apply_cancellation_policy("nobody")

    def test_take_deposit_from_the_appointment(self):
        self.company.write(
            {"beauty_deposit_mode": "fixed", "beauty_deposit_amount": 1000}
        )
        visit = self._appointment(state="confirmed").with_user(self.user_receptionist)
        action = visit.action_beauty_take_deposit()
        payment = (
            self.env["account.payment"]
            .with_user(self.user_receptionist)
            .with_context(**action["context"])
            .create({})
        )
        payment.action_post()
        self.assertEqual(payment.amount, 1000)
        self.assertEqual(payment.journal_id, self.cash)
        self.assertEqual(visit.deposit_payment_ids, payment)
        self.assertEqual(visit.deposit_open, 1000)
        with self.assertRaisesRegex(UserError, "is paid"):
            visit.action_beauty_take_deposit()
