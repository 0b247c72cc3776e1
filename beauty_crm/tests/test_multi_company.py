from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.mail.tests.common import mail_new_test_user

from .common import BeautyBillingCommon


@tagged("post_install", "-at_install")
class TestMultiCompany(BeautyBillingCommon):
    """Commission rules, commission reports and loyalty tiers stay within the
    branches a user works for."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "Test branch B"})
        cls.manager_a = mail_new_test_user(
            cls.env,
            login="bc_manager_a",
            groups="beauty_crm.group_beauty_manager",
            company_id=cls.company.id,
            company_ids=[(6, 0, cls.company.ids)],
        )
        cls.manager_b = mail_new_test_user(
            cls.env,
            login="bc_manager_b",
            groups="beauty_crm.group_beauty_manager",
            company_id=cls.company_b.id,
            company_ids=[(6, 0, cls.company_b.ids)],
        )
        Rule = cls.env["beauty.commission.rule"]
        cls.rule_a = Rule.create({"percent": 10, "company_id": cls.company.id})
        cls.rule_b = Rule.create({"percent": 15, "company_id": cls.company_b.id})
        Tier = cls.env["beauty.loyalty.tier"]
        cls.tier_a = Tier.create(
            {"name": "Gold A", "min_yearly_spend": 100, "company_id": cls.company.id}
        )
        cls.tier_b = Tier.create(
            {"name": "Gold B", "min_yearly_spend": 100, "company_id": cls.company_b.id}
        )
        cls._appointment()._beauty_create_invoice().action_post()

    def test_commission_rules_per_branch(self):
        Rule = self.env["beauty.commission.rule"]
        self.assertEqual(Rule.with_user(self.manager_a).search([]), self.rule_a)
        self.assertEqual(Rule.with_user(self.manager_b).search([]), self.rule_b)
        with self.assertRaises(AccessError):
            self.rule_b.with_user(self.manager_a).percent = 50
        with self.assertRaises(AccessError):
            self.rule_a.with_user(self.manager_b).read(["percent"])

    def test_loyalty_tiers_per_branch(self):
        Tier = self.env["beauty.loyalty.tier"]
        self.assertEqual(Tier.with_user(self.manager_a).search([]), self.tier_a)
        self.assertEqual(Tier.with_user(self.manager_b).search([]), self.tier_b)
        with self.assertRaises(AccessError):
            self.tier_a.with_user(self.manager_b).read(["name"])
        with self.assertRaises(AccessError):
            self.tier_a.with_user(self.manager_b).unlink()

    def test_commission_report_per_branch(self):
        Report = self.env["beauty.commission.report"]
        rows = Report.with_user(self.manager_a).search([])
        self.assertTrue(rows, "the branch's own posted visit is reported")
        self.assertEqual(rows.company_id, self.company)
        self.assertFalse(Report.with_user(self.manager_b).search([]))
        with self.assertRaises(AccessError):
            rows[:1].with_user(self.manager_b).read(["commission"])
