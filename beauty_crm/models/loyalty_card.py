from datetime import date, timedelta

from odoo import api, fields, models


class LoyaltyCard(models.Model):
    _inherit = "loyalty.card"

    beauty_tier_id = fields.Many2one(
        "beauty.loyalty.tier", "Tier", readonly=True, tracking=True
    )
    beauty_yearly_spend = fields.Monetary(
        "Spend over 365 days", readonly=True, currency_field="currency_id"
    )
    beauty_birthday_bonus_year = fields.Integer(
        "Birthday bonus given in", readonly=True, copy=False
    )
    beauty_qr_code = fields.Char(
        "QR code", compute="_compute_beauty_qr_code", help="Image of the card code."
    )

    @api.depends("code")
    def _compute_beauty_qr_code(self):
        for card in self:
            card.beauty_qr_code = (
                f"/report/barcode/?barcode_type=QR&value={card.code}&width=200&height=200"
                if card.code
                else False
            )

    def _beauty_is_salon_card(self):
        self.ensure_one()
        return self.program_id == self.company_id.beauty_loyalty_program_id

    def _beauty_yearly_spend(self, today=None):
        """What each card's client paid over the last 365 days: posted customer
        invoices that are paid, less credit notes."""
        today = today or fields.Date.context_today(self)
        partners = self.partner_id.commercial_partner_id
        if not partners:
            return {}
        groups = (
            self.env["account.move"]
            .sudo()
            ._read_group(
                [
                    ("state", "=", "posted"),
                    "|",
                    "&",
                    ("move_type", "=", "out_invoice"),
                    ("payment_state", "in", ("paid", "in_payment", "reversed")),
                    ("move_type", "=", "out_refund"),
                    ("beauty_is_cancellation_fee", "=", False),
                    ("invoice_date", ">", today - timedelta(days=365)),
                    ("invoice_date", "<=", today),
                    ("commercial_partner_id", "in", partners.ids),
                    ("company_id", "in", self.company_id.ids),
                ],
                ["commercial_partner_id", "company_id"],
                ["amount_total_signed:sum"],
            )
        )
        return {(partner, company): total for partner, company, total in groups}

    def _beauty_update_tier(self, today=None):
        """Put each salon card in the highest tier its yearly spend reaches:
        clients move up and down as the 365-day window moves."""
        cards = self.sudo().filtered(
            lambda card: card.partner_id and card._beauty_is_salon_card()
        )
        spend = cards._beauty_yearly_spend(today=today)
        tiers = (
            self.env["beauty.loyalty.tier"]
            .sudo()
            .search([("company_id", "in", cards.company_id.ids)])
        )
        for card in cards:
            total = spend.get(
                (card.partner_id.commercial_partner_id, card.company_id), 0.0
            )
            tier = tiers.filtered(
                lambda tier, card=card, total=total: (
                    tier.company_id == card.company_id
                    and tier.min_yearly_spend <= total
                )
            )[:1]
            # Most cards keep their spend and tier from one day to the next:
            # write only what changed.
            values = {}
            if card.currency_id.compare_amounts(total, card.beauty_yearly_spend):
                values["beauty_yearly_spend"] = total
            if tier != card.beauty_tier_id:
                values["beauty_tier_id"] = tier.id
            if values:
                card.write(values)

    @api.model
    def _cron_beauty_update_tiers(self):
        programs = self.env["res.company"].sudo().search([]).beauty_loyalty_program_id
        self.sudo().search(
            [("program_id", "in", programs.ids), ("partner_id", "!=", False)]
        )._beauty_update_tier()

    def _beauty_grant_birthday_bonus(self, today=None):
        """The yearly birthday bonus, at most once per card and calendar year."""
        today = today or fields.Date.context_today(self)
        granted = self.browse()
        for card in self.sudo():
            points = card.company_id.beauty_birthday_points
            if not points or card.beauty_birthday_bonus_year == today.year:
                continue
            card.points += points
            card.beauty_birthday_bonus_year = today.year
            self.env["loyalty.history"].sudo().create(
                {
                    "card_id": card.id,
                    "description": self.env._("Happy birthday!"),
                    "issued": points,
                    "beauty_kind": "birthday",
                }
            )
            granted |= card
        return granted

    def _beauty_book_points(self, points, description, kind, origin=None):
        """Put ``points`` on this card with the history line that explains
        them (``origin``: the record they come from, e.g. a complaint)."""
        self.ensure_one()
        card = self.sudo()
        card.points += points
        return (
            self.env["loyalty.history"]
            .sudo()
            .create(
                {
                    "card_id": card.id,
                    "description": description,
                    "issued": points,
                    "order_model": origin._name if origin else False,
                    "order_id": origin.id if origin else False,
                    "beauty_kind": kind,
                }
            )
        )

    @api.model
    def _cron_beauty_birthday_bonus(self):
        today = fields.Date.context_today(self)
        programs = self.env["res.company"].sudo().search([]).beauty_loyalty_program_id
        cards = self.sudo().search(
            [("program_id", "in", programs.ids), ("partner_id", "!=", False)]
        )
        cards.filtered(
            lambda card: _is_birthday(card.partner_id._beauty_birthday(), today)
        )._beauty_grant_birthday_bonus(today)


def _is_birthday(birthday, today):
    """Clients born on 29 February celebrate on 28 February in other years."""
    if not birthday:
        return False
    try:
        return birthday.replace(year=today.year) == today
    except ValueError:
        return today == date(today.year, 2, 28)
