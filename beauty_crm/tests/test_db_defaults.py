from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestDbDefaults(TransactionCase):
    """Odoo's own tests of the modules beauty_crm extends run, on update, before
    beauty_crm is loaded: the NOT NULL columns it adds need database defaults."""

    def _not_null_without_default(self, table):
        self.env.cr.execute(
            """SELECT column_name FROM information_schema.columns
                WHERE table_name = %s AND column_name LIKE 'beauty\\_%%'
                  AND is_nullable = 'NO' AND column_default IS NULL""",
            [table],
        )
        return [row[0] for row in self.env.cr.fetchall()]

    def test_required_columns_have_defaults(self):
        for table in ("res_company", "product_template", "res_partner", "hr_employee"):
            self.assertEqual(self._not_null_without_default(table), [], table)

    def test_default_is_the_orm_default(self):
        self.env.cr.execute(
            """SELECT column_default FROM information_schema.columns
                WHERE table_name = 'res_company'
                  AND column_name = 'beauty_reminder2_channel'"""
        )
        self.assertEqual(self.env.cr.fetchone()[0], "'sms'::character varying")
        company = self.env["res.company"].create({"name": "Plain company"})
        self.assertEqual(company.beauty_reminder2_channel, "sms")
