"""Salon metrics with published definitions (README.md, Salon analytics).

Every figure is computed in SQL over stored, indexed columns, for one branch
and a period of whole days in the user's time zone, so that the cost follows
the period, not the size of the history.
"""

from datetime import datetime, time, timedelta

import pytz

from odoo import api, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, formatLang

from .beauty_report_visit import EXPIRED_HOLD

DEFAULT_RETENTION_DAYS = 90


def _ratio(part, whole):
    return part / whole if whole else 0.0


class BeautyKpi(models.AbstractModel):
    _name = "beauty.kpi"
    _description = "Salon metrics"

    # ------------------------------------------------------------------
    # Period
    # ------------------------------------------------------------------

    @api.model
    def _period(self, date_from, date_to):
        """Naive UTC bounds [start, stop) of the days date_from..date_to in
        the user's time zone."""
        if not date_from or not date_to:
            raise UserError(
                self.env._("Choose the first and the last day of the period.")
            )
        if date_to < date_from:
            raise UserError(self.env._("The period ends before it starts."))
        zone = pytz.timezone(self.env.user.tz or "UTC")

        def utc(day):
            return (
                zone.localize(datetime.combine(day, time.min))
                .astimezone(pytz.utc)
                .replace(tzinfo=None)
            )

        return utc(date_from), utc(date_to + timedelta(days=1))

    # ------------------------------------------------------------------
    # Metrics
    # ------------------------------------------------------------------

    @api.model
    def _beauty_metrics(
        self, company, date_from, date_to, retention_days=DEFAULT_RETENTION_DAYS
    ):
        """All metrics of one branch over a period: a dict of figures plus the
        per-specialist, per-channel and per-service tables."""
        company.ensure_one()
        if not self.env.su and company not in self.env.user.company_ids:
            raise AccessError(self.env._("You do not work for %s.", company.name))
        if retention_days <= 0:
            raise UserError(
                self.env._("The retention window must be at least one day.")
            )
        start, stop = self._period(date_from, date_to)
        self.env.flush_all()
        metrics = self._visit_metrics(company, start, stop)
        metrics.update(self._new_client_metrics(company, start, stop, retention_days))
        metrics.update(
            specialists=self._specialist_metrics(company, start, stop),
            channels=self._channel_metrics(company, start, stop, date_from, date_to),
            campaigns=self._channel_metrics(
                company, start, stop, date_from, date_to, "campaign_id"
            ),
            services=self._service_metrics(company, start, stop),
            company=company,
            currency=company.currency_id,
            date_from=date_from,
            date_to=date_to,
            retention_days=retention_days,
        )
        return metrics

    def _visit_metrics(self, company, start, stop):
        """The columns of beauty.report.visit, read from the appointments
        (every one has a client and a branch: the view's joins keep every
        row) through an index holding them all."""
        self.env.cr.execute(
            SQL(
                """
            SELECT count(*) FILTER (WHERE a.state = 'done'),
                   count(DISTINCT a.partner_id) FILTER (WHERE a.state = 'done'),
                   COALESCE(sum(a.amount_total) FILTER (WHERE a.state = 'done'), 0),
                   count(*) FILTER (WHERE a.state = 'no_show'),
                   count(*) FILTER (WHERE a.state = 'cancelled' AND NOT (%(expired)s)),
                   COALESCE(sum((a.state = 'done' AND a.beauty_rebooked)::int), 0)
              FROM beauty_appointment a
             WHERE a.company_id = %(company)s
               AND a.start >= %(start)s AND a.start < %(stop)s
            """,
                company=company.id,
                start=start,
                stop=stop,
                expired=SQL(EXPIRED_HOLD),
            )
        )
        visits, clients, revenue, no_shows, cancelled, rebooked = self.env.cr.fetchone()
        return {
            "visits": visits,
            "clients": clients,
            "revenue": float(revenue),
            "no_shows": no_shows,
            "cancellations": cancelled,
            "rebooked": rebooked,
            "average_ticket": _ratio(float(revenue), visits),
            "visits_per_client": _ratio(visits, clients),
            "no_show_rate": _ratio(no_shows, visits + no_shows),
            "cancellation_rate": _ratio(cancelled, visits + no_shows + cancelled),
            "rebooking_rate": _ratio(rebooked, visits),
        }

    def _new_clients_sql(self, company, start, stop):
        """Clients whose first visit ever is a done visit of this branch in
        the period (``first_visit`` of beauty.report.visit), found from the
        clients' indexed first visit date rather than the period's visits."""
        return SQL(
            """
            SELECT a.partner_id, a.start AS first_start
              FROM res_partner client
              JOIN beauty_appointment a
                ON a.partner_id = client.id AND a.start = client.first_visit_date
             WHERE client.first_visit_date >= %s AND client.first_visit_date < %s
               AND a.company_id = %s AND a.state = 'done'
            """,
            start,
            stop,
            company.id,
        )

    def _new_client_metrics(self, company, start, stop, retention_days):
        self.env.cr.execute(
            SQL(
                """
            WITH new AS (%(new)s)
            SELECT count(*),
                   count(*) FILTER (WHERE EXISTS (
                        SELECT 1 FROM beauty_appointment b
                         WHERE b.partner_id = new.partner_id
                           AND b.state = 'done'
                           AND b.start > new.first_start
                           AND b.start <= new.first_start + %(window)s)),
                   count(*) FILTER (WHERE client.visit_count >= 2),
                   count(*) FILTER (WHERE client.visit_count >= 3)
              FROM new
              JOIN res_partner client ON client.id = new.partner_id
            """,
                new=self._new_clients_sql(company, start, stop),
                window=timedelta(days=retention_days),
            )
        )
        new, retained, second, regular = self.env.cr.fetchone()
        return {
            "new_clients": new,
            "retained": retained,
            "retention_rate": _ratio(retained, new),
            "funnel_second_visit": second,
            "funnel_regular": regular,
            "second_visit_rate": _ratio(second, new),
            "regular_rate": _ratio(regular, new),
        }

    def _specialist_metrics(self, company, start, stop):
        return self._specialist_metrics_periods(company, [(start, stop)])[0]

    def _specialist_metrics_periods(self, company, periods):
        """The table per specialist of each period [start, stop) of
        ``periods`` (naive UTC, in order, not overlapping): one list of rows
        per period, from one grouped query per source whatever the number of
        periods (the specialist performance screen asks for 12 months)."""
        cr = self.env.cr
        cr.execute(
            SQL(
                """
            WITH period AS (%(periods)s)
            SELECT period.idx, s.employee_id, COALESCE(sum(s.revenue), 0),
                   COALESCE(sum(s.done), 0), COALESCE(sum(s.booked_hours), 0)
              FROM beauty_report_service s
              JOIN period ON s.start >= period.start AND s.start < period.stop
             WHERE s.company_id = %(company)s
               AND s.start >= %(first)s AND s.start < %(last)s
               AND s.employee_id IS NOT NULL
             GROUP BY period.idx, s.employee_id
            """,
                **self._periods_sql(company, periods),
            )
        )
        rows = {(row[0], row[1]): row[2:] for row in cr.fetchall()}
        cr.execute(
            SQL(
                """
            WITH period AS (%(periods)s)
            SELECT period.idx, employee.id, avg(rating.rating), count(rating.id)
              FROM rating_rating rating
              JOIN beauty_appointment a
                ON rating.res_model = 'beauty.appointment' AND a.id = rating.res_id
              JOIN period ON a.start >= period.start AND a.start < period.stop
              JOIN res_users operator ON operator.partner_id = rating.rated_partner_id
              JOIN hr_employee employee
                ON employee.user_id = operator.id AND employee.company_id = a.company_id
             WHERE a.company_id = %(company)s
               AND a.start >= %(first)s AND a.start < %(last)s
               AND rating.consumed AND rating.rating > 0
             GROUP BY period.idx, employee.id
            """,
                **self._periods_sql(company, periods),
            )
        )
        ratings = {(row[0], row[1]): row[2:] for row in cr.fetchall()}
        Employee = self.env["hr.employee"].sudo()
        employees = Employee.search(
            [("company_id", "=", company.id), ("is_specialist", "=", True)]
        ) | Employee.browse({key[1] for key in rows})
        # One walk over the calendars of the whole span, cut into the periods.
        work = self.env["beauty.scheduler"]._work_intervals(
            employees, periods[0][0], periods[-1][1]
        )
        result = []
        for idx, (start, stop) in enumerate(periods):
            table = []
            for employee in employees.sorted("name"):
                revenue, done, booked = rows.get((idx, employee.id), (0, 0, 0))
                working = sum(
                    (min(end, stop) - max(begin, start)).total_seconds() / 3600.0
                    for begin, end in work.get(employee.id, [])
                    if begin < stop and end > start
                )
                rating, reviews = ratings.get((idx, employee.id), (0.0, 0))
                table.append(
                    {
                        "employee": employee,
                        "revenue": float(revenue),
                        "services": int(done),
                        "booked_hours": float(booked),
                        "working_hours": working,
                        "utilisation": _ratio(float(booked), working),
                        "rating": float(rating or 0.0),
                        "reviews": reviews,
                    }
                )
            result.append(table)
        return result

    @api.model
    def _periods_sql(self, company, periods):
        """Parameters of the queries over several periods: ``periods`` as a
        table (idx, start, stop), the branch and the bounds of the span."""
        return {
            "periods": SQL(
                "SELECT * FROM unnest(%s::int[], %s::timestamp[], %s::timestamp[])"
                " AS period(idx, start, stop)",
                list(range(len(periods))),
                [start for start, _stop in periods],
                [stop for _start, stop in periods],
            ),
            "company": company.id,
            "first": periods[0][0],
            "last": periods[-1][1],
        }

    def _channel_metrics(
        self, company, start, stop, date_from, date_to, fname="source_id"
    ):
        """New clients, spend, CAC, ROI and LTV per UTM source (or campaign,
        with ``fname="campaign_id"``) of the clients."""
        column = SQL.identifier(fname)
        self.env.cr.execute(
            SQL(
                """
            WITH new AS (%(new)s)
            SELECT client.%(column)s, count(*),
                   COALESCE(sum((
                        SELECT sum(b.amount_total) FROM beauty_appointment b
                         WHERE b.partner_id = new.partner_id AND b.state = 'done'
                           AND b.company_id = %(company)s AND b.start < %(stop)s)), 0)
              FROM new
              JOIN res_partner client ON client.id = new.partner_id
             GROUP BY client.%(column)s
            """,
                new=self._new_clients_sql(company, start, stop),
                company=company.id,
                stop=stop,
                column=column,
            )
        )
        new = {row[0]: row[1:] for row in self.env.cr.fetchall()}
        self.env.cr.execute(
            SQL(
                """
            SELECT %(column)s, count(*), sum(total_spent)
              FROM res_partner
             WHERE company_id = %(company)s AND is_salon_client AND visit_count > 0
             GROUP BY %(column)s
            """,
                company=company.id,
                column=column,
            )
        )
        lifetime = {row[0]: row[1:] for row in self.env.cr.fetchall()}
        spend = dict(
            self.env["beauty.ad.spend"]
            .sudo()
            ._read_group(
                [
                    ("company_id", "=", company.id),
                    ("month", ">=", date_from.replace(day=1)),
                    ("month", "<=", date_to),
                ],
                [fname],
                ["amount:sum"],
            )
        )
        spend = {channel.id or None: amount for channel, amount in spend.items()}
        comodel = self.env["res.partner"]._fields[fname].comodel_name
        result = []
        for key in sorted(set(new) | set(lifetime) | set(spend), key=str):
            new_clients, new_revenue = new.get(key, (0, 0))
            clients, revenue = lifetime.get(key, (0, 0))
            cost = spend.get(key, 0.0)
            result.append(
                {
                    "channel": self.env[comodel].browse(key),
                    "new_clients": new_clients,
                    "new_client_revenue": float(new_revenue),
                    "spend": cost,
                    "cac": _ratio(cost, new_clients),
                    "roi": _ratio(float(new_revenue) - cost, cost),
                    "ltv": _ratio(float(revenue or 0), clients),
                }
            )
        return result

    def _service_metrics(self, company, start, stop):
        self.env.cr.execute(
            SQL(
                """
            SELECT product_id, sum(done), COALESCE(sum(revenue), 0)
              FROM beauty_report_service
             WHERE company_id = %s AND start >= %s AND start < %s AND done = 1
             GROUP BY product_id
             ORDER BY sum(done) DESC, product_id
            """,
                company.id,
                start,
                stop,
            )
        )
        return [
            {
                "product": self.env["product.product"].browse(product_id),
                "services": int(done),
                "revenue": float(revenue),
            }
            for product_id, done, revenue in self.env.cr.fetchall()
        ]

    # ------------------------------------------------------------------
    # Rendering and the weekly e-mail
    # ------------------------------------------------------------------

    @api.model
    def _render_html(
        self, company, date_from, date_to, retention_days=DEFAULT_RETENTION_DAYS
    ):
        metrics = self._beauty_metrics(company, date_from, date_to, retention_days)

        def num(value, digits=2):
            return formatLang(self.env, value, digits=digits)

        return self.env["ir.qweb"]._render(
            "beauty_crm.beauty_kpi_report",
            {"m": metrics, "num": num, "pct": lambda value: f"{num(100 * value, 1)} %"},
        )

    @api.model
    def _cron_weekly_kpi_mail(self):
        """Send each branch's managers the figures of the last seven days."""
        manager_group = self.env.ref("beauty_crm.group_beauty_manager")
        today = datetime.now().date()
        date_from, date_to = today - timedelta(days=7), today - timedelta(days=1)
        mails = self.env["mail.mail"].sudo()
        for company in self.env["res.company"].sudo().search([]):
            managers = manager_group.users.filtered(
                lambda user, company=company: (
                    company in user.company_ids and user.email and not user.share
                )
            )
            if not managers:
                continue
            kpi = self.with_company(company).with_context(
                lang=managers[0].lang or "en_US"
            )
            body = kpi.with_user(managers[0])._render_html(company, date_from, date_to)
            mails |= mails.create(
                {
                    "subject": kpi.env._(
                        "%(branch)s: salon KPIs of the last 7 days", branch=company.name
                    ),
                    "body_html": body,
                    "email_from": company.email_formatted
                    or self.env.user.email_formatted,
                    "recipient_ids": [(6, 0, managers.partner_id.ids)],
                    "auto_delete": True,
                }
            )
        return mails
