from odoo import api, fields, models
from odoo.exceptions import ValidationError


class BeautyCommissionRule(models.Model):
    _name = "beauty.commission.rule"
    _description = "Specialist commission rule"
    _order = "employee_id, product_tmpl_id, id"

    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    employee_id = fields.Many2one(
        "hr.employee",
        "Specialist",
        index=True,
        help="Leave empty for a rule of every specialist.",
    )
    product_tmpl_id = fields.Many2one(
        "product.template",
        "Service or product",
        index=True,
        help="Leave empty for a rule of every service and product.",
    )
    percent = fields.Float("Commission (%)", required=True)
    minus_material_cost = fields.Boolean(
        "Less material cost",
        help="The commission is computed on the net price less the cost of the "
        "materials used for the service.",
    )

    _sql_constraints = [
        (
            "percent_range",
            "CHECK (percent >= 0 AND percent <= 100)",
            "A commission is between 0 and 100%.",
        ),
    ]

    @api.constrains("company_id", "employee_id", "product_tmpl_id", "active")
    def _check_unique(self):
        for rule in self.filtered("active"):
            if self.search_count(
                [
                    ("id", "!=", rule.id),
                    ("company_id", "=", rule.company_id.id),
                    ("employee_id", "=", rule.employee_id.id),
                    ("product_tmpl_id", "=", rule.product_tmpl_id.id),
                ],
                limit=1,
            ):
                raise ValidationError(
                    self.env._(
                        "There is already a commission rule for this specialist "
                        "and service."
                    )
                )

    @api.depends("employee_id", "product_tmpl_id", "percent")
    def _compute_display_name(self):
        for rule in self:
            rule.display_name = self.env._(
                "%(specialist)s, %(service)s: %(percent)s%%",
                specialist=rule.employee_id.name or self.env._("All specialists"),
                service=rule.product_tmpl_id.name or self.env._("all services"),
                percent=rule.percent,
            )

    @api.model
    def _beauty_find(self, employee, product, company):
        """The most specific active rule: specialist and service, then the
        specialist's general rule, then the service's, then the salon's."""
        rules = self.search(
            [
                ("company_id", "=", company.id),
                ("employee_id", "in", (employee.id, False)),
                ("product_tmpl_id", "in", (product.product_tmpl_id.id, False)),
            ]
        )
        return rules.sorted(
            lambda rule: (not rule.employee_id, not rule.product_tmpl_id)
        )[:1]
