from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError

DEFAULT_MONTHS = 12


class BeautySpecialistPerformance(models.TransientModel):
    """Each specialist's figures month by month, as the Salon KPIs compute
    them (beauty.kpi._specialist_metrics_periods, all months in one grouped
    query): one row per specialist and month, made when the manager opens the
    report."""

    _name = "beauty.specialist.performance"
    _description = "Specialist performance"
    _order = "month desc, employee_id"
    _rec_name = "employee_id"

    employee_id = fields.Many2one("hr.employee", "Specialist", readonly=True)
    company_id = fields.Many2one("res.company", "Branch", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    month = fields.Date(readonly=True)
    revenue = fields.Monetary(readonly=True, aggregator="sum")
    services = fields.Integer("Services done", readonly=True, aggregator="sum")
    booked_hours = fields.Float(readonly=True, aggregator="sum")
    working_hours = fields.Float(readonly=True, aggregator="sum")
    utilisation = fields.Float(
        "Utilisation (%)",
        readonly=True,
        aggregator="avg",
        help="Booked hours / working hours of the month; over several months "
        "read booked and working hours.",
    )
    rating = fields.Float(
        "Average rating",
        readonly=True,
        aggregator="avg",
        help="Average stars of the month's reviews (0 without reviews).",
    )
    reviews = fields.Integer(readonly=True, aggregator="sum")
    visits = fields.Integer(
        readonly=True, aggregator="sum", help="Done visits whose first service it was."
    )
    rebooked = fields.Integer("Booked before leaving", readonly=True, aggregator="sum")
    rebooking = fields.Float("Rebooking (%)", readonly=True, aggregator="avg")

    @api.model
    def _beauty_build(self, employees=None, months=DEFAULT_MONTHS):
        """Rows of the last ``months`` months (this one included) for
        ``employees``, or every specialist of the user's current branch."""
        if not self.env.user.has_group("beauty_crm.group_beauty_manager"):
            raise AccessError(self.env._("Only salon managers see performance."))
        company = self.env.company
        if company not in self.env.user.company_ids:
            raise AccessError(self.env._("You do not work for %s.", company.name))
        today = fields.Date.context_today(self)
        first = date(today.year, today.month, 1) - relativedelta(months=months - 1)
        Kpi = self.env["beauty.kpi"]
        self.env.flush_all()
        months_list = [first + relativedelta(months=index) for index in range(months)]
        periods = [
            Kpi._period(month, min(month + relativedelta(months=1, days=-1), today))
            for month in months_list
        ]
        vals_list = []
        tables = Kpi._specialist_metrics_periods(company, periods)
        for month, table in zip(months_list, tables, strict=True):
            for row in table:
                if employees is not None and row["employee"] not in employees:
                    continue
                vals_list.append(
                    {
                        "employee_id": row["employee"].id,
                        "company_id": company.id,
                        "month": month,
                        "revenue": row["revenue"],
                        "services": row["services"],
                        "booked_hours": row["booked_hours"],
                        "working_hours": row["working_hours"],
                        "utilisation": 100 * row["utilisation"],
                        "rating": row["rating"],
                        "reviews": row["reviews"],
                        "visits": row["visits"],
                        "rebooked": row["rebooked"],
                        "rebooking": 100 * row["rebooking_rate"],
                    }
                )
        return self.create(vals_list)

    @api.model
    def action_beauty_open(self, employees=None):
        rows = self._beauty_build(employees)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "beauty_crm.beauty_specialist_performance_action"
        )
        action["domain"] = [("id", "in", rows.ids)]
        if employees is not None and len(employees) == 1:
            action["name"] = self.env._("Performance: %s", employees.name)
        return action
