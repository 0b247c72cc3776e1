from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

DEPOSIT_MODES = [
    ("none", "No deposit"),
    ("fixed", "Fixed amount"),
    ("percent", "Percentage of the visit"),
]


class ResCompany(models.Model):
    _inherit = "res.company"

    beauty_deposit_mode = fields.Selection(
        DEPOSIT_MODES, "Deposit", default="none", required=True
    )
    beauty_deposit_amount = fields.Monetary("Deposit amount")
    beauty_deposit_percent = fields.Float("Deposit percentage")
    beauty_deposit_first_visit_only = fields.Boolean(
        "Deposit for first visits only",
        help="Clients who already completed a visit book without a deposit.",
    )
    beauty_free_cancellation_hours = fields.Integer(
        "Free cancellation (hours)",
        default=24,
        help="A client may cancel free of charge until this many hours before the "
        "visit; later, or on a no-show, the deposit is kept as a cancellation fee.",
    )
    beauty_deposit_journal_id = fields.Many2one(
        "account.journal",
        "Deposit journal",
        domain="[('type', 'in', ('bank', 'cash')), ('company_id', '=', id)]",
        help="Journal in which the front desk takes deposits.",
    )
    beauty_cancellation_product_id = fields.Many2one(
        "product.product",
        "Cancellation fee product",
        domain=[("type", "=", "service")],
        help="Service invoiced when a deposit is kept; its income account "
        "receives the kept deposit.",
    )
    beauty_points_cap_percent = fields.Float(
        "Share payable by points (%)",
        default=30.0,
        help="Loyalty points may pay at most this share of a bill.",
    )
    beauty_birthday_points = fields.Float(
        "Birthday bonus (points)",
        help="Points added to a client's loyalty card once a year on the birthday.",
    )
    beauty_loyalty_program_id = fields.Many2one(
        "loyalty.program",
        "Salon loyalty card",
        domain="[('program_type', '=', 'loyalty'), ('company_id', 'in', (id, False))]",
        help="Program of the client loyalty cards: points per amount spent, tiers "
        "and birthday bonus.",
    )

    @api.constrains(
        "beauty_deposit_amount",
        "beauty_deposit_percent",
        "beauty_free_cancellation_hours",
        "beauty_points_cap_percent",
        "beauty_birthday_points",
    )
    def _check_beauty_policy(self):
        for company in self:
            if (
                company.beauty_deposit_amount < 0
                or company.beauty_free_cancellation_hours < 0
                or company.beauty_birthday_points < 0
                or not 0 <= company.beauty_deposit_percent <= 100
                or not 0 <= company.beauty_points_cap_percent <= 100
            ):
                raise ValidationError(
                    self.env._(
                        "Deposits, hours and points cannot be negative, and "
                        "percentages must be between 0 and 100."
                    )
                )

    def _beauty_cancellation_product(self):
        self.ensure_one()
        return self.beauty_cancellation_product_id or self.env.ref(
            "beauty_crm.product_cancellation_fee"
        )

    def _beauty_loyalty_program(self):
        """The loyalty card program of this salon, created on first use with
        1 point per 20 units spent and 1 point worth 1 unit at the desk."""
        self.ensure_one()
        if self.beauty_loyalty_program_id:
            return self.beauty_loyalty_program_id
        program = (
            self.env["loyalty.program"]
            .sudo()
            .with_company(self)
            .create(
                {
                    "name": self.env._("Salon loyalty card"),
                    "program_type": "loyalty",
                    "company_id": self.id,
                    "currency_id": self.currency_id.id,
                    "portal_visible": True,
                    "portal_point_name": self.env._("Points"),
                    "applies_on": "both",
                    "trigger": "auto",
                    "rule_ids": [
                        (5, 0, 0),
                        (
                            0,
                            0,
                            {
                                "reward_point_mode": "money",
                                "reward_point_amount": 0.05,
                                "minimum_qty": 0,
                            },
                        ),
                    ],
                    "reward_ids": [
                        (5, 0, 0),
                        (
                            0,
                            0,
                            {
                                "reward_type": "discount",
                                "discount_mode": "per_point",
                                "discount": 1,
                                "discount_applicability": "order",
                                "required_points": 1,
                                "description": self.env._("Loyalty points"),
                            },
                        ),
                    ],
                }
            )
        )
        self.sudo().beauty_loyalty_program_id = program
        return program

    def _beauty_prepare_payment_journal(self, journal):
        """Give the desk/deposit journal's manual payment methods an outstanding
        account, so that every payment books a journal entry: a deposit is then
        an open credit on the client's receivable account (a customer advance)
        that can be applied to the visit invoice or refunded."""
        self.ensure_one()
        if journal.type == "cash":
            inbound = outbound = journal.default_account_id
        else:
            template = self.env["account.chart.template"].with_company(self)
            inbound = template.ref(
                "account_journal_payment_debit_account_id", raise_if_not_found=False
            )
            outbound = template.ref(
                "account_journal_payment_credit_account_id", raise_if_not_found=False
            )
        for lines, account in (
            (journal.inbound_payment_method_line_ids, inbound),
            (journal.outbound_payment_method_line_ids, outbound),
        ):
            missing = lines.filtered(lambda line: not line.payment_account_id)
            if missing and not account:
                raise UserError(
                    self.env._(
                        "Set an outstanding account on the payment methods of "
                        "journal %(journal)s: deposits must be booked as "
                        "journal entries.",
                        journal=journal.display_name,
                    )
                )
            missing.sudo().payment_account_id = account

    beauty_lost_after_days = fields.Integer(
        "Client lost after (days)",
        default=180,
        help="A client not seen for longer than this, with nothing booked, is lost.",
    )
    beauty_vip_amount = fields.Monetary(
        "VIP from (spent in 365 days)",
        default=100000,
        help="Clients who spent at least this much in the last 365 days are VIP. "
        "Zero: only the VIP tag makes a VIP.",
    )
    beauty_recall_days = fields.Integer(
        "Recall after (days)",
        default=90,
        help="Next recommended visit: this many days after the last visit.",
    )
