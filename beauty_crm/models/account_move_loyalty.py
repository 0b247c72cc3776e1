from collections import defaultdict

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import float_round

from .account_move import PAYMENT_PROGRAMS


class AccountMove(models.Model):
    _inherit = "account.move"

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
            # Posted again after a reset: only once its points were given back.
            if any(refund._beauty_refund_net_points().values()):
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

    def _beauty_refund_net_points(self):
        """{card: points} this credit note still holds on each card (positive:
        given to the card, negative: taken from it)."""
        self.ensure_one()
        rows = (
            self.env["loyalty.history"]
            .sudo()
            .search([("order_model", "=", self._name), ("order_id", "=", self.id)])
        )
        net = defaultdict(float)
        for row in rows:
            net[row.card_id] += row.issued - row.used
        return {
            card: float_round(points, precision_digits=2)
            for card, points in net.items()
        }

    def _beauty_loyalty_undo_refund(self):
        """A credit note reset to draft or cancelled gives back the points it
        took and takes back the points and card balances it gave, as an
        invoice reset to draft takes back the points it earned."""
        for refund in self.filtered(lambda move: move.move_type == "out_refund"):
            description = self.env._(
                "Credit note %(refund)s reset",
                refund=refund.name or refund.display_name,
            )
            cards = self.env["loyalty.card"]
            for card, points in refund._beauty_refund_net_points().items():
                if points < 0:
                    refund._beauty_history(card, "refund", description, issued=-points)
                elif points > 0:
                    refund._beauty_history(
                        card, "refund", description, used=min(points, card.points)
                    )
                cards |= card
            cards._beauty_update_tier()

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
        vals, shares = [], []
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
                },
            )
            shares.append(share)
        lines = self.env["account.move.line"].create(vals)
        for line, share in zip(lines, shares, strict=True):
            line._beauty_set_loyalty(card, share)
        return lines

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
                "beauty_employee_id": line.beauty_employee_id.id,
            }
        )
        free._beauty_set_loyalty(card, reward.required_points, reward_line=line)
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
