from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

REPORTS = [
    ("birthdays", "Birthdays in a period"),
    ("due", "Visits due"),
    ("new_clients", "New clients by source and reason"),
    ("rating", "Client rating by amount"),
    ("lost", "Lost clients by branch"),
]


class BeautyReportWizard(models.TransientModel):
    """Opens one of the salon's client reports for a period and branches."""

    _name = "beauty.report.wizard"
    _description = "Salon client report"

    report = fields.Selection(REPORTS, required=True, default="birthdays")
    date_from = fields.Date(
        "From", required=True, default=lambda self: fields.Date.context_today(self)
    )
    date_to = fields.Date(
        "To",
        required=True,
        default=lambda self: fields.Date.context_today(self) + relativedelta(months=1),
    )
    company_ids = fields.Many2many(
        "res.company",
        string="Branches",
        default=lambda self: self.env.company,
        domain=lambda self: [("id", "in", self.env.companies.ids)],
        help="Empty: every branch you work for.",
    )
    rating_limit = fields.Integer(
        "Clients ranked",
        default=1000,
        help="Client rating: how many of the best clients to rank (0: all).",
    )
    lost_days = fields.Integer(
        "Not seen for (days)",
        default=60,
        help="Lost clients: came at least once, last visit longer ago than this, "
        "and nothing booked.",
    )

    @api.onchange("report")
    def _onchange_report(self):
        today = fields.Date.context_today(self)
        if self.report in ("new_clients", "rating"):
            self.date_from, self.date_to = today - relativedelta(months=1), today
        elif self.report in ("birthdays", "due"):
            self.date_from, self.date_to = today, today + relativedelta(months=1)

    def _companies(self):
        return self.company_ids or self.env.companies

    def _check(self):
        if self.company_ids - self.env.user.company_ids:
            raise UserError(self.env._("Choose branches you work for."))
        if self.report != "lost" and self.date_to < self.date_from:
            raise UserError(self.env._("The period ends before it starts."))
        if self.rating_limit < 0:
            raise UserError(self.env._("Give a number of clients, or 0 for all."))
        if self.report == "lost" and self.lost_days <= 0:
            raise UserError(self.env._("Give a number of days greater than zero."))

    def action_open(self):
        self.ensure_one()
        self._check()
        return getattr(self, f"_open_{self.report}")()

    def _action(self, xmlid, domain, name, context=None):
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        action.update(
            name=f"{name} ({self._period_label()})",
            domain=domain,
            context=dict(context or {}),
            target="current",
        )
        return action

    def _period_label(self):
        if self.report == "lost":
            return self.env._("%(days)s days", days=self.lost_days)
        lang = self.env["res.lang"]._get_data(code=self.env.lang or "en_US")
        return " - ".join(
            day.strftime(lang.date_format) for day in (self.date_from, self.date_to)
        )

    @api.model
    def _birthday_domain(self, date_from, date_to):
        """Clients whose birthday (month and day) falls in the period, across
        the turn of the year; a period of a year or more holds them all."""
        if date_to - date_from >= timedelta(days=365):
            return [("birthday_day", "!=", False)]
        first = date_from.month * 100 + date_from.day
        last = date_to.month * 100 + date_to.day
        if first <= last and date_from.year == date_to.year:
            return [("birthday_day", ">=", first), ("birthday_day", "<=", last)]
        return [
            ("birthday_day", "!=", False),
            "|",
            ("birthday_day", ">=", first),
            ("birthday_day", "<=", last),
        ]

    def _client_domain(self):
        return [
            ("is_salon_client", "=", True),
            ("company_id", "in", self._companies().ids),
        ]

    def _open_birthdays(self):
        return self._action(
            "beauty_crm.res_partner_action_beauty_report_clients",
            self._client_domain() + self._birthday_domain(self.date_from, self.date_to),
            self.env._("Birthdays"),
            {"beauty_report": "birthdays"},
        )

    def _open_due(self):
        return self._action(
            "beauty_crm.beauty_report_due_action",
            [
                ("company_id", "in", self._companies().ids),
                ("due_date", ">=", self.date_from),
                ("due_date", "<=", self.date_to),
            ],
            self.env._("Visits due"),
        )

    def _visit_domain(self):
        start, stop = self.env["beauty.kpi"]._period(self.date_from, self.date_to)
        return [
            ("company_id", "in", self._companies().ids),
            ("start", ">=", start),
            ("start", "<", stop),
        ]

    def _open_new_clients(self):
        return self._action(
            "beauty_crm.beauty_report_visit_action_new_clients",
            self._visit_domain() + [("first_visit", "=", 1)],
            self.env._("New clients"),
        )

    def _open_rating(self):
        start, stop = self.env["beauty.kpi"]._period(self.date_from, self.date_to)
        self.env["beauty.report.client.rating"]._beauty_fill(self, start, stop)
        return self._action(
            "beauty_crm.beauty_report_client_rating_action",
            [("wizard_id", "=", self.id)],
            self.env._("Client rating"),
        )

    def _open_lost(self):
        cutoff = fields.Datetime.now() - timedelta(days=self.lost_days)
        return self._action(
            "beauty_crm.res_partner_action_beauty_report_clients",
            self._client_domain()
            + [
                ("last_visit_date", "!=", False),
                ("last_visit_date", "<", cutoff),
                "|",
                ("next_appointment_start", "=", False),
                ("next_appointment_start", "<", fields.Datetime.now()),
            ],
            self.env._("Lost clients"),
            {"search_default_group_company": 1, "beauty_report": "lost"},
        )
