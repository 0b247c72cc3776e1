from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from odoo.addons.mail.tests.common import mail_new_test_user

from .common import BeautyBillingCommon


@tagged("post_install", "-at_install")
class TestBilling(BeautyBillingCommon):
    def test_invoice_from_a_done_visit(self):
        visit = self._appointment(state="arrived")
        with self.assertRaisesRegex(UserError, "not done"):
            visit._beauty_create_invoice()
        visit.state = "done"
        invoice = visit._beauty_create_invoice()
        self.assertEqual(invoice.move_type, "out_invoice")
        self.assertEqual(invoice.partner_id, self.client)
        line = invoice.invoice_line_ids
        self.assertEqual(line.product_id, self.service_colour)
        self.assertEqual(line.beauty_employee_id, self.specialist)
        self.assertIn(self.specialist.name, line.name)
        self.assertEqual(line.tax_ids, self.tax)
        self.assertAlmostEqual(invoice.amount_total, 8400)
        # Nothing twice: the visit keeps one invoice.
        self.assertEqual(visit._beauty_create_invoice(), invoice)
        self.assertEqual(visit.action_beauty_create_invoice()["res_id"], invoice.id)
        self.assertEqual(visit.invoice_count, 1)

    def test_retail_products_leave_and_return_to_stock(self):
        invoice = self._appointment()._beauty_create_invoice()
        with Form(invoice) as form, form.invoice_line_ids.new() as line:
            line.product_id = self.shampoo
            line.quantity = 2
        self.assertAlmostEqual(invoice.amount_total, 8400 + 2400)
        invoice.action_post()
        self.assertEqual(self._stock(self.shampoo), 8)
        # Posting again after a reset delivers once, cancelling gives back.
        invoice.button_draft()
        self.assertEqual(self._stock(self.shampoo), 10)
        invoice.action_post()
        self.assertEqual(self._stock(self.shampoo), 8)
        invoice.button_cancel()
        self.assertEqual(self._stock(self.shampoo), 10)

    def test_credit_note_returns_retail_products(self):
        invoice = self._appointment()._beauty_create_invoice()
        invoice.invoice_line_ids = [
            (0, 0, {"product_id": self.shampoo.id, "quantity": 3, "price_unit": 1000})
        ]
        invoice.action_post()
        self.assertEqual(self._stock(self.shampoo), 7)
        invoice._reverse_moves(cancel=True)
        self.assertEqual(invoice.payment_state, "reversed")
        self.assertEqual(self._stock(self.shampoo), 10)

    def test_cancelling_a_visit(self):
        visit = self._appointment()
        invoice = visit._beauty_create_invoice()
        invoice.action_post()
        with self.assertRaisesRegex(UserError, "credit note"):
            visit._beauty_cancel_invoices()
        invoice.button_draft()
        visit._beauty_cancel_invoices()
        self.assertEqual(invoice.state, "cancel")
        # A new invoice may follow the cancelled one.
        self.assertNotEqual(visit._beauty_create_invoice(), invoice)

    def test_amount_in_words_on_the_printed_invoice(self):
        self.env["res.lang"]._activate_lang("ru_RU")
        self.client.lang = "ru_RU"
        visit = self._appointment()
        visit.line_ids.price_unit = 123
        self.service_colour.taxes_id = False
        invoice = visit._beauty_create_invoice()
        invoice.invoice_line_ids.tax_ids = False
        invoice.action_post()
        self.assertAlmostEqual(invoice.amount_total, 123)
        words = invoice._beauty_amount_in_words()
        self.assertTrue(words.startswith("Сто двадцать три"), words)
        html = str(
            self.env["ir.actions.report"]._render_qweb_html(
                "account.account_invoices", invoice.ids
            )[0],
            "utf-8",
        )
        self.assertIn("сто двадцать три", html.lower())
        self.client.lang = "en_US"
        self.assertIn(
            "one hundred and twenty-three", invoice._beauty_amount_in_words().lower()
        )

    @mute_logger("odoo.models", "odoo.addons.base.models.ir_model")
    def test_receptionist_invoices_and_takes_payment(self):
        visit = self._appointment().with_user(self.user_receptionist)
        invoice = visit._beauty_create_invoice()
        invoice.action_post()
        payment = (
            self.env["account.payment.register"]
            .with_user(self.user_receptionist)
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"journal_id": self.bank.id})
            ._create_payments()
        )
        self.assertEqual(payment.journal_id, self.bank)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        with self.assertRaises(AccessError):
            self.cash.with_user(self.user_receptionist).write({"name": "Till"})
        with self.assertRaises(AccessError):
            self.income.with_user(self.user_receptionist).write({"name": "Revenue"})
        with self.assertRaises(AccessError):
            self.env["account.account"].with_user(self.user_receptionist).create(
                {"name": "Hidden", "code": "999999", "account_type": "income"}
            )

    def test_accountant_works_with_standard_groups(self):
        accountant = mail_new_test_user(
            self.env,
            login="bc_accountant",
            groups="account.group_account_user",
            name="Alla Accountant",
        )
        invoice = self._appointment()._beauty_create_invoice()
        invoice = invoice.with_user(accountant)
        invoice.action_post()
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(invoice.invoice_line_ids.beauty_employee_id, self.specialist)
        # The visit itself stays in the Salon app.
        with self.assertRaises(AccessError):
            invoice.read(["beauty_appointment_id"])
        self.assertFalse(accountant.has_group("beauty_crm.group_beauty_receptionist"))
