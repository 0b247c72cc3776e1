from datetime import datetime, timedelta

from odoo.tests import TransactionCase

from odoo.addons.mail.tests.common import mail_new_test_user

# A Wednesday; tests that depend on "now" freeze the clock here.
NOW = datetime(2026, 3, 4, 9, 0, 0)


class BeautyCommon(TransactionCase):
    """One user per salon role, a specialist with salon hours and a client."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        cls.user_receptionist = mail_new_test_user(
            cls.env,
            login="bc_reception",
            name="Rita Reception",
            groups="beauty_crm.group_beauty_receptionist",
            tz="Europe/Moscow",
        )
        cls.user_specialist = mail_new_test_user(
            cls.env,
            login="bc_specialist",
            name="Sofia Specialist",
            groups="beauty_crm.group_beauty_specialist",
            tz="Europe/Moscow",
        )
        cls.user_manager = mail_new_test_user(
            cls.env,
            login="bc_manager",
            name="Mila Manager",
            groups="beauty_crm.group_beauty_manager",
            tz="Europe/Moscow",
        )
        cls.user_employee = mail_new_test_user(
            cls.env, login="bc_employee", name="Eva Employee", groups="base.group_user"
        )
        cls.user_portal = mail_new_test_user(
            cls.env, login="bc_portal", name="Paula Portal", groups="base.group_portal"
        )
        cls.calendar = cls.env["resource.calendar"].create(
            {
                "name": "Salon 10-20",
                "tz": "Europe/Moscow",
                "attendance_ids": [(5, 0, 0)]
                + [
                    (
                        0,
                        0,
                        {
                            "name": f"Day {day}",
                            "dayofweek": str(day),
                            "hour_from": 10,
                            "hour_to": 20,
                            "day_period": "morning",
                        },
                    )
                    for day in range(6)
                ],
            }
        )
        cls.specialist = cls.env["hr.employee"].create(
            {
                "name": "Sofia Specialist",
                "user_id": cls.user_specialist.id,
                "is_specialist": True,
                "resource_calendar_id": cls.calendar.id,
                "tz": "Europe/Moscow",
            }
        )
        cls.allergen_ppd = cls.env["beauty.allergen"].create(
            {"name": "Test dye PPD", "ingredient": "PPD", "severity": "critical"}
        )
        cls.service_colour = cls.env["product.product"].create(
            {
                "name": "Test hair colouring",
                "type": "service",
                "is_salon_service": True,
                "service_duration": 2.0,
                "list_price": 7000,
                "specialist_ids": [(4, cls.specialist.id)],
                "allergen_ids": [(4, cls.allergen_ppd.id)],
            }
        )
        cls.client = cls.env["res.partner"].create(
            {
                "name": "Katya Client",
                "is_salon_client": True,
                "email": "katya@example.com",
                "allergen_ids": [(4, cls.allergen_ppd.id)],
            }
        )


class BeautyBillingCommon(BeautyCommon):
    """A salon with its chart of accounts, a 20 % sales tax, a cash desk whose
    payments are journal entries, a retail product in stock and helpers for
    visits, deposits and account balances."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not cls.company.chart_template:
            cls.env["account.chart.template"].try_loading(
                "generic_coa", cls.company, install_demo=False
            )
        # A copy of the chart's sales tax keeps its tax accounts.
        cls.tax = cls.company.account_sale_tax_id.copy(
            {"name": "Test VAT 20%", "amount": 20, "amount_type": "percent"}
        )
        cls.tax_account = cls.tax.invoice_repartition_line_ids.account_id
        cls.cash = cls.env["account.journal"].search(
            [("type", "=", "cash"), ("company_id", "=", cls.company.id)], limit=1
        )
        cls.bank = cls.env["account.journal"].search(
            [("type", "=", "bank"), ("company_id", "=", cls.company.id)], limit=1
        )
        cls.company._beauty_prepare_payment_journal(cls.cash)
        cls.company._beauty_prepare_payment_journal(cls.bank)
        cls.company.write(
            {
                "beauty_deposit_mode": "none",
                "beauty_deposit_first_visit_only": False,
                "beauty_deposit_journal_id": cls.cash.id,
                "beauty_free_cancellation_hours": 24,
                "beauty_points_cap_percent": 30,
                "beauty_birthday_points": 0,
            }
        )
        # Tests set their own tiers and commission rules.
        cls.env["beauty.loyalty.tier"].search([]).active = False
        cls.env["beauty.commission.rule"].search([]).active = False
        cls.service_colour.taxes_id = [(6, 0, cls.tax.ids)]
        cls.receivable = cls.client.property_account_receivable_id
        cls.income = cls.service_colour.product_tmpl_id._get_product_accounts()[
            "income"
        ]
        cls.shampoo = cls.env["product.product"].create(
            {
                "name": "Test retail shampoo",
                "type": "consu",
                "is_storable": True,
                "list_price": 1000,
                "taxes_id": [(6, 0, cls.tax.ids)],
            }
        )
        cls.stock_location = (
            cls.env["stock.warehouse"]
            .search([("company_id", "=", cls.company.id)], limit=1)
            .lot_stock_id
        )
        cls.env["stock.quant"]._update_available_quantity(
            cls.shampoo, cls.stock_location, 10
        )

    # Each visit gets its own Wednesday noon (Moscow time): visits never overlap
    # and always fall within the specialist's hours.
    _week = 0

    @classmethod
    def _appointment(cls, start=None, state="done", partner=None):
        if not start:
            BeautyBillingCommon._week += 1
            start = NOW + timedelta(weeks=BeautyBillingCommon._week)
        appointment = cls.env["beauty.appointment"].create(
            {
                "partner_id": (partner or cls.client).id,
                "line_ids": [
                    (
                        0,
                        0,
                        {
                            "product_id": cls.service_colour.id,
                            "employee_id": cls.specialist.id,
                            "start": start,
                            # The test client is allergic to the dye: the
                            # specialist books it after a patch test.
                            "contraindication_override": "Patch test negative",
                        },
                    )
                ],
            }
        )
        appointment.state = state
        return appointment

    @classmethod
    def _pay(cls, amount, partner=None, journal=None, payment_type="inbound"):
        payment = cls.env["account.payment"].create(
            {
                "payment_type": payment_type,
                "partner_type": "customer",
                "partner_id": (partner or cls.client).id,
                "amount": amount,
                "journal_id": (journal or cls.cash).id,
            }
        )
        payment.action_post()
        return payment

    @classmethod
    def _pay_invoice(cls, invoice, journal=None):
        return (
            cls.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"journal_id": (journal or cls.cash).id})
            ._create_payments()
        )

    def _balance(self, account, partner=None):
        domain = [("account_id", "=", account.id), ("parent_state", "=", "posted")]
        if partner:
            domain.append(("partner_id", "=", partner.id))
        return sum(self.env["account.move.line"].search(domain).mapped("balance"))

    def _stock(self, product):
        return product.with_context(location=self.stock_location.id).qty_available
