from datetime import date, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged

from ..models.loyalty_card import _is_birthday
from .common import NOW, BeautyBillingCommon


class LoyaltyCommon(BeautyBillingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.program = cls.company._beauty_loyalty_program()

    def _invoice(self, partner=None, product=None, price=None, quantity=1):
        product = product or self.service_colour
        return self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": (partner or self.client).id,
                "invoice_line_ids": [
                    (
                        0,
                        0,
                        {
                            "product_id": product.id,
                            "quantity": quantity,
                            "price_unit": product.lst_price if price is None else price,
                        },
                    )
                ],
            }
        )

    def _paid(self, invoice):
        invoice.action_post()
        self._pay_invoice(invoice)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        return invoice

    def _money_program(self, program_type, product_xmlid):
        """A gift card or eWallet program as Odoo's form sets it up: the product
        sold loads its price onto the card, one point pays one unit. Vouchers
        are sold without VAT: the visit they pay is taxed."""
        self.env.ref(product_xmlid).taxes_id = False
        return self.env["loyalty.program"].create(
            {
                "name": f"Test {program_type}",
                "program_type": program_type,
                "applies_on": "future",
                "trigger": "auto",
                "rule_ids": [
                    (
                        0,
                        0,
                        {
                            "reward_point_mode": "money",
                            "reward_point_amount": 1,
                            "reward_point_split": program_type == "gift_card",
                            "product_ids": [(6, 0, self.env.ref(product_xmlid).ids)],
                            "minimum_qty": 0,
                        },
                    )
                ],
                "reward_ids": [
                    (
                        0,
                        0,
                        {
                            "reward_type": "discount",
                            "discount_mode": "per_point",
                            "discount": 1,
                            "discount_applicability": "order",
                            "required_points": 1,
                        },
                    )
                ],
            }
        )

    def _card(self, partner=None):
        return (partner or self.client)._beauty_loyalty_card(self.company)


@tagged("post_install", "-at_install")
class TestLoyalty(LoyaltyCommon):
    def test_points_on_paid_invoices_once(self):
        invoice = self._appointment()._beauty_create_invoice()
        invoice.action_post()
        self.assertFalse(self.client._beauty_loyalty_card(create=False).points)
        self._pay_invoice(invoice)
        card = self._card()
        self.assertEqual(card.program_id, self.program)
        # 1 point per 20 spent: 8 400 incl. VAT gives 420 points.
        self.assertAlmostEqual(card.points, 420)
        invoice._beauty_loyalty_sync_earned()
        self.assertAlmostEqual(card.points, 420)
        row = card.history_ids
        self.assertEqual(len(row), 1)
        self.assertEqual((row.beauty_kind, row.issued), ("earn", 420))
        self.assertEqual(row._get_order_portal_url(), invoice.get_portal_url())

    def test_reset_to_draft_takes_points_back(self):
        invoice = self._paid(self._invoice())
        card = self._card()
        self.assertAlmostEqual(card.points, 420)
        invoice.button_draft()
        self.assertAlmostEqual(card.points, 0)
        invoice.action_post()
        credit = self.env["account.move.line"].search(
            [
                ("partner_id", "=", self.client.id),
                ("account_id", "=", self.receivable.id),
                ("reconciled", "=", False),
                ("balance", "<", 0),
            ]
        )
        invoice.js_assign_outstanding_line(credit.id)
        self.assertEqual(invoice.payment_state, "paid")
        self.assertAlmostEqual(card.points, 420)

    def test_credit_note_reverses_earned_and_used_points(self):
        card = self._card()
        card.points = 1000
        invoice = self._invoice()
        invoice._beauty_redeem(card, points=1000)
        self.assertAlmostEqual(card.points, 0)
        self._paid(invoice)
        # Points are earned on what the client paid: (8 400 - 1 000) / 20.
        self.assertAlmostEqual(card.points, 370)
        refund = invoice._reverse_moves()
        refund.action_post()
        self.assertAlmostEqual(card.points, 1000)
        refund._beauty_loyalty_reverse_refund()
        self.assertAlmostEqual(card.points, 1000)
        self.assertEqual(
            card.history_ids.filtered(lambda row: row.beauty_kind == "refund").mapped(
                "order_id"
            ),
            [refund.id, refund.id],
        )

    def test_credit_note_reset_or_cancelled_gives_its_points_back(self):
        card = self._card()
        card.points = 1000
        invoice = self._invoice()
        invoice._beauty_redeem(card, points=1000)
        self._paid(invoice)
        self.assertAlmostEqual(card.points, 370)
        refund = invoice._reverse_moves()
        refund.action_post()
        self.assertAlmostEqual(card.points, 1000)
        # As an invoice reset to draft: what the credit note moved goes back.
        refund.button_draft()
        self.assertAlmostEqual(card.points, 370)
        refund.action_post()
        self.assertAlmostEqual(card.points, 1000)
        refund.button_cancel()
        self.assertEqual(refund.state, "cancel")
        self.assertAlmostEqual(card.points, 370)
        refund.button_draft()
        self.assertAlmostEqual(card.points, 370)

    def test_redemption_at_the_desk_is_capped(self):
        card = self._card()
        card.points = 3000
        invoice = self._appointment()._beauty_create_invoice()
        wizard = (
            self.env["beauty.loyalty.redeem.wizard"]
            .with_user(self.user_receptionist)
            .create({"move_id": invoice.id, "code": card.code, "points": 3000})
        )
        self.assertEqual(wizard.card_id, card)
        # 30 % of 8 400 is 2 520.
        with self.assertRaisesRegex(UserError, "at most 30"):
            wizard.action_apply()
        wizard.points = 2000
        wizard.action_apply()
        self.assertAlmostEqual(invoice.amount_total, 6400)
        self.assertAlmostEqual(invoice.amount_tax, 1400 - 2000 / 1.2 * 0.2, places=1)
        self.assertAlmostEqual(card.points, 1000)
        with self.assertRaisesRegex(UserError, "at most 30"):
            invoice._beauty_redeem(card, points=600)
        with self.assertRaisesRegex(UserError, "holds"):
            invoice._beauty_redeem(card, points=1500)
        with self.assertRaises(AccessError):
            card.with_user(self.user_receptionist).write({"points": 99999})
        # Deleting the line gives the points back, so does cancelling.
        invoice.invoice_line_ids.filtered("beauty_loyalty_card_id").unlink()
        self.assertAlmostEqual(card.points, 3000)
        invoice._beauty_redeem(card, points=500)
        self.assertAlmostEqual(card.points, 2500)
        invoice.button_cancel()
        self.assertAlmostEqual(card.points, 3000)

    def test_card_of_another_client_is_refused(self):
        other = self.env["res.partner"].create({"name": "Other client"})
        card = self._card(other)
        card.points = 100
        with self.assertRaisesRegex(UserError, "not a card of"):
            self._invoice()._beauty_redeem(card, points=50)

    def test_tiers_up_and_down_with_the_yearly_spend(self):
        Tier = self.env["beauty.loyalty.tier"]
        silver = Tier.create(
            {"name": "Silver", "min_yearly_spend": 5000, "discount_percent": 5}
        )
        gold = Tier.create(
            {"name": "Gold", "min_yearly_spend": 15000, "discount_percent": 10}
        )
        with freeze_time(NOW):
            self._paid(self._invoice())
            card = self._card()
            self.assertEqual(card.beauty_tier_id, silver)
            self._paid(self._invoice())
            self.assertEqual(card.beauty_tier_id, gold)
            self.assertAlmostEqual(card.beauty_yearly_spend, 16800)
            invoice = self._appointment()._beauty_create_invoice()
            self.assertEqual(invoice.invoice_line_ids.discount, 10)
        with freeze_time(NOW + timedelta(days=200)):
            self.env["loyalty.card"]._cron_beauty_update_tiers()
            self.assertEqual(card.beauty_tier_id, gold)
        with freeze_time(NOW + timedelta(days=366)):
            self.env["loyalty.card"]._cron_beauty_update_tiers()
            self.assertFalse(card.beauty_tier_id)
            self.assertAlmostEqual(card.beauty_yearly_spend, 0)

    def test_birthday_bonus_once_a_year(self):
        self.company.beauty_birthday_points = 100
        card = self._card()
        card._beauty_grant_birthday_bonus(date(2026, 3, 4))
        card._beauty_grant_birthday_bonus(date(2026, 3, 4))
        self.assertAlmostEqual(card.points, 100)
        self.assertEqual(
            card.history_ids.mapped("beauty_kind"), ["birthday"], "one bonus a year"
        )
        card._beauty_grant_birthday_bonus(date(2027, 3, 4))
        self.assertAlmostEqual(card.points, 200)
        # Without a known birthday the daily job gives nothing.
        self.env["loyalty.card"]._cron_beauty_birthday_bonus()
        self.assertAlmostEqual(card.points, 200)
        self.assertTrue(_is_birthday(date(1990, 3, 4), date(2026, 3, 4)))
        self.assertFalse(_is_birthday(date(1990, 3, 5), date(2026, 3, 4)))
        self.assertTrue(_is_birthday(date(2000, 2, 29), date(2027, 2, 28)))
        self.assertFalse(_is_birthday(False, date(2027, 2, 28)))

    def test_gift_card_sold_then_used_without_cap(self):
        gift = self._money_program("gift_card", "loyalty.gift_card_product_50")
        product = gift.rule_ids.product_ids
        self.assertTrue(product)
        self._paid(self._invoice(product=product, price=5000))
        card = gift.coupon_ids
        self.assertEqual(len(card), 1)
        self.assertAlmostEqual(card.points, 5000)
        # Buying a gift card earns no loyalty points: the visit will.
        self.assertFalse(self.client._beauty_loyalty_card(create=False).points)

        invoice = self._appointment()._beauty_create_invoice()
        self.env["beauty.loyalty.redeem.wizard"].with_user(
            self.user_receptionist
        ).create(
            {"move_id": invoice.id, "code": card.code, "points": 5000}
        ).action_apply()
        line = invoice.invoice_line_ids.filtered("beauty_loyalty_card_id")
        self.assertFalse(line.tax_ids, "a gift card is a means of payment")
        self.assertAlmostEqual(invoice.amount_total, 3400)
        self.assertAlmostEqual(card.points, 0)
        self._paid(invoice)
        self.assertAlmostEqual(self._card().points, 420)
        refund = invoice._reverse_moves()
        refund.action_post()
        self.assertAlmostEqual(card.points, 5000)
        self.assertAlmostEqual(self._card().points, 0)

    def test_ewallet_top_up_and_payment(self):
        wallet = self._money_program("ewallet", "loyalty.ewallet_product_50")
        self._paid(self._invoice(product=wallet.rule_ids.product_ids, price=1000))
        card = wallet.coupon_ids.filtered(lambda c: c.partner_id == self.client)
        self.assertAlmostEqual(card.points, 1000)
        invoice = self._invoice()
        invoice._beauty_redeem(card, points=300)
        self.assertAlmostEqual(invoice.amount_total, 8100)
        self.assertAlmostEqual(card.points, 700)

    def test_package_of_sessions(self):
        package = self.env["product.product"].create(
            {"name": "Test 10 colourings", "type": "service", "list_price": 60000}
        )
        program = self.env["loyalty.program"].create(
            {
                "name": "Test 10 colourings",
                "program_type": "loyalty",
                "portal_point_name": "Sessions",
                "rule_ids": [
                    (5, 0, 0),
                    (
                        0,
                        0,
                        {
                            "reward_point_mode": "unit",
                            "reward_point_amount": 10,
                            "product_ids": [(6, 0, package.ids)],
                        },
                    ),
                ],
                "reward_ids": [
                    (5, 0, 0),
                    (
                        0,
                        0,
                        {
                            "reward_type": "product",
                            "reward_product_id": self.service_colour.id,
                            "required_points": 1,
                        },
                    ),
                ],
            }
        )
        self._paid(self._invoice(product=package))
        card = program.coupon_ids.filtered(lambda c: c.partner_id == self.client)
        self.assertAlmostEqual(card.points, 10)

        invoice = self._appointment()._beauty_create_invoice()
        invoice._beauty_redeem(card)
        self.assertAlmostEqual(invoice.amount_total, 0)
        self.assertAlmostEqual(card.points, 9)
        with self.assertRaisesRegex(UserError, "already covered"):
            invoice._beauty_redeem(card)
        invoice.button_cancel()
        self.assertAlmostEqual(card.points, 10)


@tagged("post_install", "-at_install")
class TestLoyaltyOutsideTheSalon(BeautyBillingCommon):
    """Invoices of customers who are not salon clients (Odoo's own flows, other
    trades of the company) leave loyalty alone: no program, card or points."""

    def test_paid_invoice_of_another_customer_earns_nothing(self):
        self.company.beauty_loyalty_program_id = False
        customer = self.env["res.partner"].create({"name": "Test wholesale buyer"})
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": customer.id,
                "invoice_line_ids": [
                    (0, 0, {"product_id": self.shampoo.id, "price_unit": 1000})
                ],
            }
        )
        invoice.action_post()
        self._pay_invoice(invoice)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.assertFalse(self.company.beauty_loyalty_program_id)
        self.assertFalse(
            self.env["loyalty.card"].search([("partner_id", "=", customer.id)])
        )
        self.assertFalse(
            self.env["loyalty.history"].search(
                [("order_model", "=", "account.move"), ("order_id", "=", invoice.id)]
            )
        )
        # The same sale to a salon client sets the salon's program up and
        # earns points on the client's card.
        customer.is_salon_client = True
        invoice.button_draft()
        invoice.action_post()
        self._pay_invoice(invoice)
        card = customer._beauty_loyalty_card(self.company, create=False)
        self.assertEqual(card.program_id, self.company.beauty_loyalty_program_id)
        self.assertAlmostEqual(card.points, 60)  # 1 200 incl. VAT / 20


@tagged("post_install", "-at_install")
class TestLoyaltyPortal(LoyaltyCommon, HttpCase):
    def test_points_history_in_the_portal(self):
        partner = self.user_portal.partner_id
        # The portal user books online: a salon client, whose purchases earn.
        partner.is_salon_client = True
        invoice = self._paid(self._invoice(partner=partner))
        card = self._card(partner)
        self.assertAlmostEqual(card.points, 420)
        other_card = self._card()
        self.authenticate("bc_portal", "bc_portal")
        response = self.url_open(f"/my/loyalty_card/{card.id}/history")
        self.assertEqual(response.status_code, 200)
        self.assertIn(invoice.name, response.text)
        response = self.url_open(f"/my/loyalty_card/{other_card.id}/history")
        self.assertNotIn(f"/my/loyalty_card/{other_card.id}", response.url)
        home = self.url_open("/my/home")
        self.assertIn("420", home.text)
