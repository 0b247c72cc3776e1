from num2words import num2words

from odoo import fields, models
from odoo.tools import float_round

# Loyalty programs whose cards are money: they pay a bill, they are not a
# discount, and they earn no points themselves.
PAYMENT_PROGRAMS = ("gift_card", "ewallet")


class AccountMove(models.Model):
    _inherit = "account.move"

    beauty_appointment_id = fields.Many2one(
        "beauty.appointment",
        "Salon visit",
        index="btree_not_null",
        copy=False,
        readonly=True,
        groups="beauty_crm.group_beauty_receptionist",
    )
    beauty_is_cancellation_fee = fields.Boolean(
        "Cancellation fee",
        copy=False,
        readonly=True,
        help="Invoice of a deposit kept after a late cancellation or a no-show.",
    )

    # Amount in words -----------------------------------------------------------

    def _beauty_amount_in_words(self, amount=None):
        """The invoice total in words, in the client's language, with the
        currency declined as that language requires (num2words); languages or
        currencies num2words does not know fall back to Odoo's own
        res.currency.amount_to_text."""
        self.ensure_one()
        amount = self.amount_total if amount is None else amount
        lang_code = self.partner_id.lang or self.env.lang or "en_US"
        lang = self.env["res.lang"]._lang_get(lang_code)
        iso = (lang.iso_code or "en").replace("-", "_")
        try:
            words = num2words(
                float(amount), lang=iso, to="currency", currency=self.currency_id.name
            )
        except (NotImplementedError, KeyError):
            words = self.currency_id.with_context(lang=lang_code).amount_to_text(amount)
        return words[:1].upper() + words[1:]

    # Posting and reversal ------------------------------------------------------

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        sales = posted.filtered(
            lambda move: move.move_type in ("out_invoice", "out_refund")
        )
        sales.line_ids._beauty_compute_commission()
        sales.filtered(lambda move: move._beauty_is_salon_sale())._beauty_sync_stock()
        sales.filtered(
            lambda move: move.move_type == "out_refund"
        )._beauty_loyalty_reverse_refund()
        sales.filtered(
            lambda move: (
                move.move_type == "out_invoice" and move._beauty_is_salon_sale()
            )
        )._beauty_apply_deposits()
        return posted

    def button_draft(self):
        res = super().button_draft()
        self.filtered(lambda move: move._beauty_is_salon_sale())._beauty_sync_stock()
        self._beauty_loyalty_sync_earned()
        self._beauty_loyalty_undo_refund()
        return res

    def button_cancel(self):
        # A cancelled invoice gives back the points and card balances it used:
        # its card lines go (account.move.line.unlink credits the cards back).
        self.filtered(lambda move: move.state == "posted").button_draft()
        self.line_ids.filtered("beauty_loyalty_card_id").unlink()
        return super().button_cancel()

    def _invoice_paid_hook(self):
        res = super()._invoice_paid_hook()
        self._beauty_loyalty_sync_earned()
        return res

    def _beauty_is_loyalty_sale(self):
        """Whether this invoice earns salon loyalty points: a salon visit, a
        sale to a salon client or a bill paid with a card at the desk. Other
        invoices neither create cards nor look for them."""
        self.ensure_one()
        move = self.sudo()
        return bool(
            move.beauty_appointment_id
            or move.commercial_partner_id.is_salon_client
            or move.line_ids.beauty_loyalty_card_id
        )

    def _beauty_is_salon_sale(self):
        self.ensure_one()
        move = self.sudo()
        return bool(
            move.beauty_appointment_id or move.reversed_entry_id.beauty_appointment_id
        ) and not (
            move.beauty_is_cancellation_fee
            or move.reversed_entry_id.beauty_is_cancellation_fee
        )

    # Deposits --------------------------------------------------------------------

    def _beauty_apply_deposits(self):
        """Settle the visit invoice with the deposit held for the visit, as the
        invoice's 'outstanding credits' widget would (js_assign_outstanding_line):
        only the invoiced client's own advances, on the invoice's account."""
        for move in self.filtered(
            lambda m: m.state == "posted" and m.move_type == "out_invoice"
        ):
            appointment = move.sudo().beauty_appointment_id
            receivable = move.line_ids.filtered(
                lambda line: (
                    line.account_id.account_type == "asset_receivable"
                    and not line.reconciled
                )
            )
            deposits = appointment._beauty_deposit_open_lines().filtered(
                lambda line, move=move, accounts=receivable.account_id: (
                    line.account_id in accounts
                    and line.partner_id.commercial_partner_id
                    == move.commercial_partner_id
                )
            )
            if receivable and deposits:
                (receivable + deposits).reconcile()

    # Retail products: stock -----------------------------------------------------

    def _beauty_sync_stock(self):
        """Deliver the retail products of a posted salon invoice from the salon's
        stock and take them back when it is reset to draft or credited: each
        invoice line's net delivered quantity follows its posted quantity."""
        for move in self:
            warehouse = (
                self.env["stock.warehouse"]
                .sudo()
                .search([("company_id", "=", move.company_id.id)], limit=1)
            )
            if not warehouse:
                continue
            customers = self.env.ref("stock.stock_location_customers")
            sign = 1 if move.move_type == "out_invoice" else -1
            for line in move.invoice_line_ids.filtered(
                lambda line: line.product_id.is_storable
            ):
                target = line.quantity * sign if move.state == "posted" else 0.0
                done = line.beauty_stock_move_ids.filtered(
                    lambda sm: sm.state == "done"
                )
                delivered = sum(
                    sm.product_uom_qty * (1 if sm.location_dest_id == customers else -1)
                    for sm in done
                )
                delta = float_round(
                    target - delivered,
                    precision_rounding=line.product_uom_id.rounding or 0.01,
                )
                if not delta:
                    continue
                source, dest = warehouse.lot_stock_id, customers
                if delta < 0:
                    source, dest = dest, source
                stock_move = (
                    self.env["stock.move"]
                    .sudo()
                    .create(
                        {
                            "name": move.name,
                            "origin": move.name,
                            "product_id": line.product_id.id,
                            "product_uom": line.product_uom_id.id,
                            "product_uom_qty": abs(delta),
                            "location_id": source.id,
                            "location_dest_id": dest.id,
                            "company_id": move.company_id.id,
                            "partner_id": move.partner_id.id,
                            "beauty_invoice_line_id": line.id,
                        }
                    )
                )
                stock_move._action_confirm()
                stock_move._action_assign()
                stock_move.quantity = abs(delta)
                stock_move.picked = True
                stock_move._action_done()
