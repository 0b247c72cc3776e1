from odoo.exceptions import AccessError
from odoo.tests import HttpCase, JsonRpcException, tagged

from .test_loyalty import LoyaltyCommon


@tagged("post_install", "-at_install")
class TestLoyaltyGuard(LoyaltyCommon, HttpCase):
    """Points reach a card only through the redemption at the desk: the card
    and points of an invoice line cannot be set by any other create or write,
    over RPC or in code."""

    def _call(self, model, method, *args, **kwargs):
        return self.make_jsonrpc_request(
            "/web/dataset/call_kw",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    def test_receptionist_cannot_credit_a_card_over_rpc(self):
        card = self._card()
        self.assertEqual(card.points, 0)
        invoice = self._invoice()
        line = invoice.invoice_line_ids
        bonus = {
            "name": "Bonus",
            "quantity": 1,
            "price_unit": 0,
            "beauty_loyalty_card_id": card.id,
            "beauty_loyalty_points": 10000,
        }
        self.authenticate("bc_reception", "bc_reception")
        for context in ({}, {"beauty_redemption": True}):
            with self.subTest(context=context), self.assertRaises(JsonRpcException):
                self._call(
                    "account.move.line",
                    "create",
                    [dict(bonus, move_id=invoice.id)],
                    context=context,
                )
        calls = (
            ("account.move", [invoice.id], {"invoice_line_ids": [(0, 0, bonus)]}),
            (
                "account.move",
                [invoice.id],
                {"invoice_line_ids": [(1, line.id, {"beauty_loyalty_points": 10000})]},
            ),
            (
                "account.move.line",
                line.ids,
                {"beauty_loyalty_card_id": card.id, "beauty_loyalty_points": 10000},
            ),
        )
        for model, ids, vals in calls:
            with (
                self.subTest(model=model, vals=vals),
                self.assertRaises(JsonRpcException),
            ):
                self._call(model, "write", ids, vals)
        # Ordinary edits of the invoice go on.
        self._call("account.move.line", "write", line.ids, {"name": "Long hair"})
        self.assertEqual(line.name, "Long hair")
        self.assertFalse(invoice.line_ids.filtered("beauty_loyalty_card_id"))
        self._call("account.move.line", "unlink", line.ids)
        self.assertEqual(card.points, 0)
        self.assertFalse(card.history_ids)

    def test_orm_refuses_the_card_fields_outside_the_redemption(self):
        card = self._card()
        invoice = self._invoice()
        vals = {
            "move_id": invoice.id,
            "name": "Bonus",
            "price_unit": 0,
            "beauty_loyalty_card_id": card.id,
            "beauty_loyalty_points": 10000,
        }
        Line = self.env["account.move.line"]
        for env_line in (Line.with_user(self.user_receptionist), Line.sudo(), Line):
            with self.assertRaises(AccessError):
                env_line.create(vals)
        with self.assertRaises(AccessError):
            invoice.invoice_line_ids.sudo().beauty_loyalty_points = 10000
        self.assertEqual(card.points, 0)

    def test_deleting_a_card_line_gives_back_only_what_it_used(self):
        card = self._card()
        card.points = 100
        invoice = self._invoice().with_user(self.user_receptionist)
        line = invoice._beauty_redeem(card, points=10)
        self.assertEqual(line.beauty_loyalty_card_id, card)
        self.assertAlmostEqual(card.points, 90)
        # Whatever the line says (here: altered in the database), deleting it
        # gives back what the card paid on this invoice, once.
        self.env.cr.execute(
            "UPDATE account_move_line SET beauty_loyalty_points = 10000 WHERE id = %s",
            line.ids,
        )
        line.invalidate_recordset()
        line.unlink()
        self.assertAlmostEqual(card.points, 100)
