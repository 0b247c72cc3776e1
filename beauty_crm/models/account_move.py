from collections import defaultdict

from num2words import num2words

from odoo import fields, models
from odoo.exceptions import UserError
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
        invoice's 'outstanding credits' widget would (js_assign_outstanding_line)."""
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
                lambda line, accounts=receivable.account_id: line.account_id in accounts
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

    # Loyalty -------------------------------------------------------------------

    def _beauty_history(self, card, kind, description, issued=0.0, used=0.0):
        """Book points on a card with the history line that explains them."""
        self.ensure_one()
        card = card.sudo()
        card.points += issued - used
        return (
            self.env["loyalty.history"]
            .sudo()
            .create(
                {
                    "card_id": card.id,
                    "description": description,
                    "issued": issued,
                    "used": used,
                    "order_model": self._name,
                    "order_id": self.id,
                    "beauty_kind": kind,
                }
            )
        )

    def _beauty_earn_rows(self):
        self.ensure_one()
        return (
            self.env["loyalty.history"]
            .sudo()
            .search(
                [
                    ("order_model", "=", self._name),
                    ("order_id", "=", self.id),
                    ("beauty_kind", "=", "earn"),
                ]
            )
        )

    def _beauty_loyalty_programs(self):
        self.ensure_one()
        today = self.invoice_date or fields.Date.context_today(self)
        return (
            self.env["loyalty.program"]
            .sudo()
            .search(
                [
                    ("program_type", "in", ("loyalty", "gift_card", "ewallet")),
                    ("company_id", "in", (self.company_id.id, False)),
                    "|",
                    ("date_from", "=", False),
                    ("date_from", "<=", today),
                    "|",
                    ("date_to", "=", False),
                    ("date_to", ">=", today),
                ]
            )
        )

    def _beauty_loyalty_points(self):
        """Points each program grants for this invoice: {program: [(points,
        lines)]}; gift cards give one card per unit sold."""
        self.ensure_one()
        programs = self._beauty_loyalty_programs()
        payment_products = programs.filtered(
            lambda p: p.program_type in PAYMENT_PROGRAMS
        ).rule_ids.product_ids
        lines = self.invoice_line_ids.filtered(
            lambda line: (
                line.display_type == "product"
                and line.product_id
                and line.beauty_loyalty_card_id.program_type not in PAYMENT_PROGRAMS
            )
        )
        result = defaultdict(list)
        for program in programs:
            for rule in program.rule_ids:
                if program.program_type in PAYMENT_PROGRAMS:
                    matching = lines.filtered(
                        lambda line, rule=rule: line.product_id in rule.product_ids
                    )
                else:
                    domain = rule._get_valid_product_domain()
                    matching = lines.filtered(
                        lambda line, domain=domain: (
                            line.product_id not in payment_products
                            and line.product_id.filtered_domain(domain)
                        )
                    )
                amount = sum(matching.mapped("price_total"))
                if not matching or amount < rule.minimum_amount:
                    continue
                if rule.reward_point_mode == "money":
                    points = rule.reward_point_amount * amount
                elif rule.reward_point_mode == "unit":
                    points = rule.reward_point_amount * sum(matching.mapped("quantity"))
                else:
                    points = rule.reward_point_amount
                if program.program_type == "gift_card":
                    for line in matching:
                        unit = line.price_total / (line.quantity or 1)
                        result[program] += [
                            (rule.reward_point_amount * unit, line)
                        ] * int(line.quantity)
                elif points > 0:
                    result[program].append((points, matching))
        return result

    def _beauty_loyalty_sync_earned(self):
        """Points for a paid invoice, once; taken back when it returns to draft.

        History lines of kind 'earn' on the invoice tell what it already gave,
        so calling this any number of times books the points once."""
        for move in self.filtered(
            lambda m: (
                m.move_type == "out_invoice"
                and not m.beauty_is_cancellation_fee
                and m._beauty_is_loyalty_sale()
            )
        ):
            rows = move._beauty_earn_rows()
            earned = defaultdict(float)
            for row in rows:
                earned[row.card_id] += row.issued - row.used
            paid = move.state == "posted" and move.payment_state in (
                "paid",
                "in_payment",
            )
            if not paid:
                for card, points in earned.items():
                    if points > 0:
                        move._beauty_history(
                            card,
                            "earn",
                            self.env._("Invoice %(move)s reset", move=move.name),
                            used=min(points, card.points),
                        )
                continue
            if any(points > 0 for points in earned.values()):
                continue
            partner = move.partner_id.commercial_partner_id
            # The salon's own program is set up by its first paid sale.
            move.company_id._beauty_loyalty_program()
            for program, grants in move._beauty_loyalty_points().items():
                for points, _lines in grants:
                    if program.program_type == "gift_card":
                        card = (
                            self.env["loyalty.card"]
                            .sudo()
                            .create({"program_id": program.id, "points": 0})
                        )
                    elif program == move.company_id.beauty_loyalty_program_id:
                        card = partner._beauty_loyalty_card(move.company_id)
                    else:
                        card = self.env["loyalty.card"].sudo().search(
                            [
                                ("program_id", "=", program.id),
                                ("partner_id", "=", partner.id),
                            ],
                            limit=1,
                        ) or self.env["loyalty.card"].sudo().with_context(
                            loyalty_no_mail=True
                        ).create({"program_id": program.id, "partner_id": partner.id})
                    move._beauty_history(
                        card,
                        "earn",
                        self.env._("Invoice %(move)s", move=move.name),
                        issued=float_round(points, precision_digits=2),
                    )
            partner._beauty_loyalty_card(
                move.company_id, create=False
            )._beauty_update_tier()

    def _beauty_loyalty_reverse_refund(self):
        """A credit note takes back the share of points its invoice earned and
        gives back the same share of points and card balances the invoice used."""
        for refund in self:
            invoice = refund.reversed_entry_id
            if not invoice or not invoice._beauty_is_loyalty_sale():
                continue
            if (
                self.env["loyalty.history"]
                .sudo()
                .search_count(
                    [("order_model", "=", refund._name), ("order_id", "=", refund.id)],
                    limit=1,
                )
            ):
                continue
            # A bill fully paid by a package or a card is credited in full.
            ratio = (
                min(1.0, refund.amount_total / invoice.amount_total)
                if invoice.amount_total
                else 1.0
            )
            earned = defaultdict(float)
            for row in invoice._beauty_earn_rows():
                earned[row.card_id] += row.issued - row.used
            description = self.env._(
                "Credit note %(refund)s for %(move)s",
                refund=refund.name,
                move=invoice.name,
            )
            for card, points in earned.items():
                if points > 0:
                    refund._beauty_history(
                        card,
                        "refund",
                        description,
                        used=min(
                            float_round(points * ratio, precision_digits=2), card.points
                        ),
                    )
            for line in invoice.line_ids.filtered("beauty_loyalty_card_id"):
                refund._beauty_history(
                    line.beauty_loyalty_card_id,
                    "refund",
                    description,
                    issued=float_round(
                        line.beauty_loyalty_points * ratio, precision_digits=2
                    ),
                )
            self.env["loyalty.card"].union(*earned)._beauty_update_tier()

    def _beauty_redeem(self, card, points=0.0, line=None):
        """Use a card on this draft invoice at the desk.

        Loyalty points and money cards (gift card, eWallet) add a negative line
        with the reward's discount product for ``points`` of the card; points may
        pay at most the salon's share of the bill. A package card (a program
        whose reward is a free service) makes one service line free for one
        session. The card is debited at once and credited back if the line, the
        invoice or its posting is undone.

        :return: the new invoice lines
        """
        self.ensure_one()
        card = card.sudo()
        if self.state != "draft" or self.move_type != "out_invoice":
            raise UserError(
                self.env._("Cards are used on draft customer invoices only.")
            )
        program = card.program_id
        if program.company_id and program.company_id != self.company_id:
            raise UserError(self.env._("This card belongs to another salon."))
        partner = self.partner_id.commercial_partner_id
        if (
            program.program_type != "gift_card"
            and card.partner_id.commercial_partner_id != partner
        ):
            raise UserError(
                self.env._(
                    "Card %(card)s is not a card of %(client)s.",
                    card=card.code,
                    client=partner.display_name,
                )
            )
        if card.expiration_date and card.expiration_date < fields.Date.context_today(
            self
        ):
            raise UserError(self.env._("Card %(card)s has expired.", card=card.code))
        product_reward = program.reward_ids.filtered(
            lambda r: r.reward_type == "product"
        )[:1]
        if product_reward:
            return self._beauty_redeem_session(card, product_reward, line)
        reward = program.reward_ids.filtered(
            lambda r: r.reward_type == "discount" and r.discount_mode == "per_point"
        )[:1]
        if not reward:
            raise UserError(
                self.env._(
                    "Program %(program)s has no reward paid in points.",
                    program=program.name,
                )
            )
        if points <= 0 or float_round(points - card.points, precision_digits=2) > 0:
            raise UserError(
                self.env._(
                    "Card %(card)s holds %(balance)s: use more than zero and no more "
                    "than that.",
                    card=card.code,
                    balance=card.points_display,
                )
            )
        value = self.currency_id.round(points * reward.discount)
        if self.currency_id.compare_amounts(value, self.amount_total) > 0:
            raise UserError(
                self.env._(
                    "%(value)s is more than the bill (%(total)s).",
                    value=self.currency_id.format(value),
                    total=self.currency_id.format(self.amount_total),
                )
            )
        if program.program_type not in PAYMENT_PROGRAMS:
            self._beauty_check_points_cap(value)
        lines = self._beauty_add_reward_lines(card, reward, points, value)
        self._beauty_history(
            card,
            "redeem",
            self.env._("Used on invoice %(move)s", move=self.name or self.display_name),
            used=points,
        )
        return lines

    def _beauty_check_points_cap(self, value):
        cap = self.company_id.beauty_points_cap_percent
        reward_lines = self.invoice_line_ids.filtered(
            lambda line: (
                line.beauty_loyalty_card_id.program_type == "loyalty"
                and line.price_total < 0
            )
        )
        gross = sum(
            (self.invoice_line_ids - reward_lines)
            .filtered(lambda line: not line.beauty_loyalty_card_id)
            .mapped("price_total")
        )
        used = -sum(reward_lines.mapped("price_total"))
        limit = self.currency_id.round(gross * cap / 100)
        if self.currency_id.compare_amounts(used + value, limit) > 0:
            raise UserError(
                self.env._(
                    "Points may pay at most %(cap)s%% of this bill, i.e. %(limit)s; "
                    "%(used)s is already paid by points.",
                    cap=cap,
                    limit=self.currency_id.format(limit),
                    used=self.currency_id.format(used),
                )
            )

    def _beauty_add_reward_lines(self, card, reward, points, value):
        """Negative lines worth ``value``. A points discount lowers the taxable
        base of each tax group in proportion, as sale_loyalty does; a gift card
        or eWallet is a means of payment and carries no tax."""
        self.ensure_one()
        product = reward.discount_line_product_id
        name = self.env._(
            "%(reward)s (card %(card)s)", reward=reward.description, card=card.code
        )
        base_lines = self.invoice_line_ids.filtered(
            lambda line: (
                line.display_type == "product" and not line.beauty_loyalty_card_id
            )
        )
        groups = defaultdict(float)
        if card.program_type in PAYMENT_PROGRAMS:
            groups[self.env["account.tax"]] = value
        else:
            totals = defaultdict(float)
            for line in base_lines:
                totals[line.tax_ids] += line.price_total
            gross = sum(totals.values()) or 1.0
            for taxes, total in totals.items():
                groups[taxes] += value * total / gross
        vals = []
        remaining_points = points
        for index, (taxes, amount) in enumerate(groups.items()):
            share = (
                remaining_points
                if index == len(groups) - 1
                else float_round(points * amount / value, precision_digits=2)
            )
            remaining_points -= share
            # Taxes here are percentages: the price that gives ``amount`` with
            # them is ``amount`` divided by the taxed total of one unit.
            factor = taxes.compute_all(100.0)["total_included"] / 100 if taxes else 1.0
            price = amount / factor
            vals.append(
                {
                    "move_id": self.id,
                    "product_id": product.id,
                    "name": name,
                    "quantity": 1,
                    "price_unit": -price,
                    "tax_ids": [(6, 0, taxes.ids)],
                    "beauty_loyalty_card_id": card.id,
                    "beauty_loyalty_points": share,
                }
            )
        return self.env["account.move.line"].create(vals)

    def _beauty_redeem_session(self, card, reward, line):
        self.ensure_one()
        if float_round(card.points - reward.required_points, precision_digits=2) < 0:
            raise UserError(
                self.env._("Package %(card)s has no session left.", card=card.code)
            )
        covered = self.invoice_line_ids.filtered(
            lambda l: l.beauty_loyalty_card_id
        ).mapped("beauty_reward_line_id")
        candidates = self.invoice_line_ids.filtered(
            lambda l: (
                l.product_id == reward.reward_product_id
                and not l.beauty_loyalty_card_id
                and l not in covered
            )
        )
        line = line or candidates[:1]
        if not line or line not in candidates:
            raise UserError(
                self.env._(
                    "Package %(card)s covers %(service)s, which is not on this "
                    "invoice or is already covered.",
                    card=card.code,
                    service=reward.reward_product_id.display_name,
                )
            )
        free = self.env["account.move.line"].create(
            {
                "move_id": self.id,
                "product_id": reward.discount_line_product_id.id,
                "name": self.env._(
                    "%(service)s: package session (card %(card)s)",
                    service=line.product_id.display_name,
                    card=card.code,
                ),
                "quantity": 1,
                "price_unit": -line.price_unit * (1 - line.discount / 100),
                "tax_ids": [(6, 0, line.tax_ids.ids)],
                "beauty_loyalty_card_id": card.id,
                "beauty_loyalty_points": reward.required_points,
                "beauty_reward_line_id": line.id,
                "beauty_employee_id": line.beauty_employee_id.id,
            }
        )
        self._beauty_history(
            card,
            "redeem",
            self.env._(
                "Session used on invoice %(move)s", move=self.name or self.display_name
            ),
            used=reward.required_points,
        )
        return free

    def action_beauty_redeem(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Loyalty card, gift card or package"),
            "res_model": "beauty.loyalty.redeem.wizard",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_move_id": self.id},
        }
