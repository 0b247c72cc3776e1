from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import float_round

# Fields that move points or card balances: set by the redemption at the desk
# (account.move._beauty_redeem) only. The marker is a Python object: no RPC
# call can put it in the context (JSON has no such value).
LOYALTY_FIELDS = (
    "beauty_loyalty_card_id",
    "beauty_loyalty_points",
    "beauty_reward_line_id",
)
_REDEMPTION = object()


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    beauty_employee_id = fields.Many2one(
        "hr.employee",
        "Specialist",
        index="btree_not_null",
        help="Specialist who performed the service or sold the product; earns the "
        "commission on this line.",
    )
    beauty_appointment_line_id = fields.Many2one(
        "beauty.appointment.line",
        "Visit service",
        index="btree_not_null",
        readonly=True,
        # Copied by copy_data below, as superuser: an accountant outside the
        # salon groups reverses or duplicates any invoice.
        copy=False,
        groups="beauty_crm.group_beauty_receptionist",
    )
    beauty_loyalty_card_id = fields.Many2one(
        "loyalty.card",
        "Card used",
        index="btree_not_null",
        copy=False,
        readonly=True,
        help="Loyalty, gift, eWallet or package card this line is paid with.",
    )
    beauty_loyalty_points = fields.Float(
        "Points used", copy=False, readonly=True, digits=(16, 2)
    )
    beauty_reward_line_id = fields.Many2one(
        "account.move.line",
        "Service covered",
        copy=False,
        readonly=True,
        help="Service line made free by a package session.",
    )
    beauty_stock_move_ids = fields.One2many(
        "stock.move", "beauty_invoice_line_id", string="Stock moves", readonly=True
    )
    beauty_material_cost = fields.Monetary(
        "Material cost", copy=False, readonly=True, currency_field="company_currency_id"
    )
    beauty_commission_rule_id = fields.Many2one(
        "beauty.commission.rule", "Commission rule", copy=False, readonly=True
    )
    beauty_commission_amount = fields.Monetary(
        "Commission", copy=False, readonly=True, currency_field="company_currency_id"
    )

    @api.model_create_multi
    def create(self, vals_list):
        if any(vals.get(name) for vals in vals_list for name in LOYALTY_FIELDS):
            self._beauty_check_loyalty_write()
        return super().create(vals_list)

    def write(self, vals):
        if any(
            name in vals and (vals[name] or any(self.mapped(name)))
            for name in LOYALTY_FIELDS
        ):
            self._beauty_check_loyalty_write()
        return super().write(vals)

    def _beauty_check_loyalty_write(self):
        if not (
            self.env.su and self.env.context.get("beauty_redemption") is _REDEMPTION
        ):
            raise AccessError(
                self.env._(
                    "Cards and points on invoice lines are set only by using a card "
                    "on the invoice (Use a card)."
                )
            )

    def _beauty_set_loyalty(self, card, points, reward_line=None):
        """Mark lines made by the redemption as paid with ``card``; the only
        way to set the card fields (see _beauty_check_loyalty_write)."""
        return (
            self.sudo()
            .with_context(beauty_redemption=_REDEMPTION)
            .write(
                {
                    "beauty_loyalty_card_id": card.id,
                    "beauty_loyalty_points": points,
                    "beauty_reward_line_id": reward_line.id if reward_line else False,
                }
            )
        )

    def copy_data(self, default=None):
        # A credit note keeps the visit service of the line it reverses: its
        # commission takes back the material cost of that service.
        vals_list = super().copy_data(default=default)
        if "beauty_appointment_line_id" not in (default or {}):
            for line, vals in zip(self.sudo(), vals_list, strict=True):
                if line.beauty_appointment_line_id:
                    vals["beauty_appointment_line_id"] = (
                        line.beauty_appointment_line_id.id
                    )
        return vals_list

    @api.ondelete(at_uninstall=False)
    def _unlink_beauty_release_points(self):
        self._beauty_release_points()

    def _beauty_release_points(self):
        """Credit back to its card what a deleted card line had used: never more
        than the history of its invoice says the card paid there."""
        History = self.env["loyalty.history"].sudo()
        for line in self.filtered(
            lambda line: line.beauty_loyalty_card_id and line.beauty_loyalty_points
        ):
            rows = History.search(
                [
                    ("order_model", "=", "account.move"),
                    ("order_id", "=", line.move_id.id),
                    ("card_id", "=", line.beauty_loyalty_card_id.id),
                    ("beauty_kind", "=", "redeem"),
                ]
            )
            points = float_round(
                min(
                    line.beauty_loyalty_points,
                    sum(rows.mapped("used")) - sum(rows.mapped("issued")),
                ),
                precision_digits=2,
            )
            if points <= 0:
                continue
            line.move_id._beauty_history(
                line.beauty_loyalty_card_id,
                "redeem",
                self.env._(
                    "Given back from invoice %(move)s",
                    move=line.move_id.name or line.move_id.display_name,
                ),
                issued=points,
            )

    def _beauty_compute_commission(self):
        """Fix the specialist's commission when the invoice is posted, from the
        rule in force then: percent of the net price, optionally less the
        material cost; credit notes carry a negative commission."""
        Rule = self.env["beauty.commission.rule"].sudo()
        for line in self.filtered(
            lambda line: line.display_type == "product" and line.beauty_employee_id
        ):
            sign = -1 if line.move_id.move_type == "out_refund" else 1
            net = -line.balance
            service = line.sudo().beauty_appointment_line_id
            cost = sign * service._beauty_material_cost() if service else 0.0
            rule = Rule._beauty_find(
                line.beauty_employee_id, line.product_id, line.company_id
            )
            base = net - cost if rule.minus_material_cost else net
            line.write(
                {
                    "beauty_material_cost": cost,
                    "beauty_commission_rule_id": rule.id,
                    "beauty_commission_amount": line.company_currency_id.round(
                        base * rule.percent / 100
                    )
                    if rule
                    else 0.0,
                }
            )
