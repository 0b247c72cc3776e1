from datetime import timedelta

from odoo import Command, fields
from odoo.tests import HttpCase, JsonRpcException, tagged

from .common import BeautyBillingCommon


@tagged("post_install", "-at_install")
class TestOnlineDeposit(BeautyBillingCommon, HttpCase):
    """Online deposits: what the payment route accepts from a browser, which
    transactions confirm a hold, and how a kept or refunded deposit is paid
    back through the provider."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {"beauty_deposit_mode": "fixed", "beauty_deposit_amount": 500}
        )
        cls.owner = cls.user_portal.partner_id
        cls.owner.is_salon_client = True
        cls.method = cls.env.ref("payment_demo.payment_method_demo")
        cls.method.active = True
        cls.provider = cls.env.ref("payment.payment_provider_demo")
        cls.provider.write(
            {
                "state": "test",
                "is_published": True,
                "company_id": cls.company.id,
                "journal_id": cls.bank.id,
                "payment_method_ids": [Command.set(cls.method.ids)],
            }
        )
        cls.card = cls.env["payment.token"].create(
            {
                "provider_id": cls.provider.id,
                "payment_method_id": cls.method.id,
                "partner_id": cls.owner.id,
                "provider_ref": "demo-card",
                "payment_details": "4242",
                "demo_simulated_state": "done",
            }
        )

    def _hold(self, partner=None):
        hold = self._appointment(state="draft", partner=partner or self.owner)
        hold.hold_expires_at = fields.Datetime.now() + timedelta(hours=1)
        hold._portal_ensure_token()
        self.assertEqual(hold._beauty_deposit_due(), 500)
        return hold

    def _pay_online(self, hold, **params):
        values = {
            "access_token": hold.access_token,
            "provider_id": self.provider.id,
            "payment_method_id": self.method.id,
            "token_id": None,
            "amount": 500,
            "flow": "direct",
            "tokenization_requested": False,
            "landing_route": hold.get_portal_url(),
            "is_validation": False,
            **params,
        }
        return self.make_jsonrpc_request(
            f"/my/appointments/{hold.id}/transaction", values
        )

    def _tx(self, hold, amount=500, operation="online_direct"):
        return self.env["payment.transaction"].create(
            {
                "provider_id": self.provider.id,
                "payment_method_id": self.method.id,
                "reference": f"{hold.name}-{operation}-{amount}",
                "amount": amount,
                "currency_id": hold.currency_id.id,
                "partner_id": hold.partner_id.id,
                "operation": operation,
                "beauty_appointment_ids": [Command.set(hold.ids)],
            }
        )

    # Item 2: a deposit cannot be skipped -----------------------------------

    def test_validation_or_smaller_payment_never_confirms(self):
        hold = self._hold()
        for amount, operation in ((0, "validation"), (100, "online_direct")):
            tx = self._tx(hold, amount, operation)
            tx._set_done()
            tx._post_process()
            self.assertEqual(hold.state, "draft", operation)
            self.assertTrue(hold.hold_expires_at)
            self.assertEqual(hold.deposit_paid, 0.0)
        self.assertIn("does not pay the deposit", hold.message_ids[0].body)
        tx = self._tx(hold, 500)
        tx._set_done()
        tx._post_process()
        self.assertEqual(hold.state, "confirmed")
        self.assertEqual(hold.deposit_paid, 500)

    def test_visitor_with_the_link_cannot_skip_or_use_the_saved_card(self):
        hold = self._hold()
        Tx = self.env["payment.transaction"]
        for params in (
            {"is_validation": True},
            {"flow": "token", "token_id": self.card.id},
            {"flow": "nonsense"},
            {"provider_id": 999999},
        ):
            with self.subTest(**params), self.assertRaises(JsonRpcException):
                self._pay_online(hold, **params)
        self.assertFalse(Tx.search([("beauty_appointment_ids", "in", hold.ids)]))
        self.assertEqual(hold.state, "draft")
        # The visitor pays by card: 500, never saved on the client's account.
        values = self._pay_online(hold, tokenization_requested=True, amount=1)
        tx = Tx.search([("reference", "=", values["reference"])])
        self.assertEqual(tx.amount, 500)
        self.assertEqual(tx.operation, "online_direct")
        self.assertFalse(tx.tokenize)
        self.assertEqual(tx.landing_route, hold.get_portal_url())

    def test_saved_card_only_for_its_logged_in_owner(self):
        other = self._hold(partner=self.client)
        # Logged in, but the card belongs to somebody else than the payer.
        self.authenticate("bc_portal", "bc_portal")
        with self.assertRaises(JsonRpcException):
            self._pay_online(other, flow="token", token_id=self.card.id)
        self.assertFalse(other.transaction_ids)
        hold = self._hold()
        values = self._pay_online(hold, flow="token", token_id=self.card.id)
        tx = self.env["payment.transaction"].search(
            [("reference", "=", values["reference"])]
        )
        self.assertEqual(tx.token_id, self.card)
        self.assertEqual(tx.state, "done")
        tx._post_process()
        self.assertEqual(hold.state, "confirmed")
        self.assertEqual(tx.payment_id.beauty_appointment_id, hold)

    # Item 6c: an online deposit is paid back by the provider ----------------

    def _paid_online(self, provider=None):
        hold = self._hold(partner=self.client)
        tx = self._tx(hold)
        if provider:
            tx.provider_id = provider
        tx._set_done()
        tx._post_process()
        self.assertEqual(hold.state, "confirmed")
        self.assertEqual(hold.deposit_open, 500)
        return hold, tx

    def test_refund_through_a_provider_that_refunds(self):
        self.assertEqual(self.provider.support_refund, "partial")
        hold, tx = self._paid_online()
        hold._action_cancel("Specialist ill", "salon")
        refund_tx = tx.child_transaction_ids
        self.assertEqual(refund_tx.operation, "refund")
        self.assertEqual(refund_tx.amount, -500)
        self.assertEqual(refund_tx.state, "done")
        refund_tx._post_process()
        refund = refund_tx.payment_id
        self.assertEqual(refund.payment_type, "outbound")
        self.assertEqual(refund.beauty_appointment_id, hold)
        self.assertEqual(hold.deposit_paid, 0.0)
        self.assertEqual(hold.deposit_open, 0.0)
        self.assertAlmostEqual(self._balance(self.receivable, self.client), 0.0)
        self.assertEqual(
            len(hold.deposit_payment_ids), 2, "no other payment was posted"
        )
        # Settling the deposit again asks nothing more from the provider.
        self.assertEqual(hold._apply_cancellation_policy("salon"), "none")
        self.assertEqual(len(tx.child_transaction_ids), 1)

    def test_refund_pending_at_the_provider_is_not_asked_twice(self):
        hold, tx = self._paid_online()
        hold._action_cancel("Specialist ill", "salon")
        self.assertEqual(len(tx.child_transaction_ids), 1)
        # The provider has not confirmed it yet (no payment booked).
        self.assertEqual(hold.deposit_open, 500)
        self.assertEqual(hold._apply_cancellation_policy("salon"), "refunded")
        self.assertEqual(len(tx.child_transaction_ids), 1)

    def test_provider_without_refunds_leaves_the_desk_a_todo(self):
        self.env["account.payment.method"].sudo().create(
            {"name": "Test provider", "code": "none", "payment_type": "inbound"}
        )
        provider = self.env["payment.provider"].create(
            {
                "name": "Wire transfer test",
                "code": "none",
                "state": "test",
                "company_id": self.company.id,
                "journal_id": self.bank.id,
            }
        )
        self.assertEqual(provider.support_refund, "none")
        hold, tx = self._paid_online(provider)
        bank_before = self._balance(self.bank.default_account_id)
        self.assertEqual(
            hold.with_user(self.user_receptionist)._apply_cancellation_policy("salon"),
            "to_refund",
        )
        self.assertFalse(tx.child_transaction_ids)
        self.assertEqual(hold.deposit_payment_ids, tx.payment_id, "nothing posted")
        self.assertEqual(hold.deposit_open, 500, "the client's money is still owed")
        self.assertAlmostEqual(self._balance(self.bank.default_account_id), bank_before)
        activity = hold.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(
            activity.activity_type_id, self.env.ref("mail.mail_activity_data_todo")
        )
        self.assertEqual(activity.user_id, self.user_receptionist)
        self.assertIn("500.00", activity.note)
        self.assertIn(self.client.name, activity.note)
        # Cancelled later on, the desk is asked once; reopened, the deposit
        # is held for the visit again and there is no money to return.
        hold._action_cancel("Specialist ill", "salon")
        self.assertEqual(len(hold.activity_ids), 1)
        hold.action_draft()
        self.assertFalse(hold.activity_ids)
        self.assertEqual(hold.deposit_open, 500)
