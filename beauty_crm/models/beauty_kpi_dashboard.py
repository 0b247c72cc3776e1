from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

from .beauty_kpi import DEFAULT_RETENTION_DAYS


class BeautyKpiDashboard(models.TransientModel):
    """The manager's figures of one branch over a period (Salon > Reporting >
    Salon KPIs); the weekly KPI e-mail renders the same template."""

    _name = "beauty.kpi.dashboard"
    _description = "Salon KPIs"

    date_from = fields.Date(
        "From",
        required=True,
        default=lambda self: fields.Date.context_today(self) - relativedelta(months=1),
    )
    date_to = fields.Date(
        "To", required=True, default=lambda self: fields.Date.context_today(self)
    )
    company_id = fields.Many2one(
        "res.company",
        "Branch",
        required=True,
        default=lambda self: self.env.company,
        domain=lambda self: [("id", "in", self.env.companies.ids)],
    )
    retention_days = fields.Integer(
        "Came back within (days)", default=DEFAULT_RETENTION_DAYS, required=True
    )
    report_html = fields.Html(
        "Figures", compute="_compute_report_html", sanitize=False, readonly=True
    )

    @api.depends("date_from", "date_to", "company_id", "retention_days")
    def _compute_report_html(self):
        for dashboard in self:
            if not (dashboard.date_from and dashboard.date_to and dashboard.company_id):
                dashboard.report_html = False
                continue
            dashboard.report_html = self.env["beauty.kpi"]._render_html(
                dashboard.company_id,
                dashboard.date_from,
                dashboard.date_to,
                dashboard.retention_days,
            )
