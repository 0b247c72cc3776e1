from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import BeautyBillingCommon


@tagged("post_install", "-at_install")
class TestCommission(BeautyBillingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_specialist = cls.env["hr.employee"].create(
            {"name": "Olga Other", "is_specialist": True}
        )
        Rule = cls.env["beauty.commission.rule"]
        cls.rule_salon = Rule.create({"percent": 10})
        cls.rule_specialist = Rule.create(
            {
                "employee_id": cls.specialist.id,
                "product_tmpl_id": cls.service_colour.product_tmpl_id.id,
                "percent": 20,
                "minus_material_cost": True,
            }
        )

    def _report(self, employee):
        return self.env["beauty.commission.report"].search(
            [("employee_id", "=", employee.id)]
        )

    def test_most_specific_rule_wins(self):
        Rule = self.env["beauty.commission.rule"]
        self.assertEqual(
            Rule._beauty_find(self.specialist, self.service_colour, self.company),
            self.rule_specialist,
        )
        self.assertEqual(
            Rule._beauty_find(self.other_specialist, self.service_colour, self.company),
            self.rule_salon,
        )
        with self.assertRaisesRegex(ValidationError, "already a commission rule"):
            Rule.create({"employee_id": self.specialist.id, "percent": 5}).copy()

    def test_commission_per_period_and_reversal(self):
        invoice = self._appointment()._beauty_create_invoice()
        invoice.invoice_line_ids = [
            (
                0,
                0,
                {
                    "product_id": self.shampoo.id,
                    "quantity": 1,
                    "price_unit": 1000,
                    "beauty_employee_id": self.other_specialist.id,
                },
            )
        ]
        self.assertFalse(self._report(self.specialist), "draft lines earn nothing")
        invoice.action_post()
        report = self._report(self.specialist)
        self.assertEqual(report.move_id, invoice)
        # 20 % of the net 7 000 (VAT excluded), no material recorded.
        self.assertAlmostEqual(report.net_amount, 7000)
        self.assertAlmostEqual(report.commission, 1400)
        self.assertAlmostEqual(self._report(self.other_specialist).commission, 100)
        groups = self.env["beauty.commission.report"]._read_group(
            [
                ("date", ">=", invoice.invoice_date),
                ("date", "<=", invoice.invoice_date),
            ],
            ["employee_id"],
            ["commission:sum"],
        )
        self.assertIn((self.specialist, 1400), groups)

        refund = invoice._reverse_moves(cancel=True)
        self.assertEqual(refund.state, "posted")
        self.assertAlmostEqual(
            sum(self._report(self.specialist).mapped("commission")), 0
        )

    def test_report_is_for_managers(self):
        self.env["beauty.commission.report"].with_user(self.user_manager).search([])
        with self.assertRaises(AccessError):
            self.env["beauty.commission.report"].with_user(
                self.user_receptionist
            ).search([])
        with self.assertRaises(AccessError):
            self.env["beauty.commission.rule"].with_user(self.user_specialist).search(
                []
            )
