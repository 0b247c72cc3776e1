from odoo import models
from odoo.tools import SQL

from .beauty_kpi import _ratio


class BeautyKpi(models.AbstractModel):
    _inherit = "beauty.kpi"

    def _specialist_metrics_periods(self, company, periods):
        """Adds each specialist's rebooking: visits whose first service the
        specialist did, and of them the ones after which the client booked
        before leaving (the definitions of the visit metrics, as in
        beauty.report.visit).

        The first service of every visit is found in one pass (DISTINCT ON
        over the lines of the span, ordered by start) instead of one look-up
        per visit: a visit starts with its first line (``start`` is the
        earliest start of its lines), so the first line of a visit of the
        span always starts in the span."""
        result = super()._specialist_metrics_periods(company, periods)
        self.env.cr.execute(
            SQL(
                """
            WITH period AS (%(periods)s),
            first_line AS (
                SELECT DISTINCT ON (line.appointment_id)
                       line.appointment_id, line.employee_id
                  FROM beauty_appointment_line line
                 WHERE line.start >= %(first)s AND line.start < %(last)s
                 ORDER BY line.appointment_id, line.start, line.id
            )
            SELECT period.idx, first_line.employee_id, count(*),
                   COALESCE(sum(a.beauty_rebooked::int), 0)
              FROM beauty_appointment a
              JOIN first_line ON first_line.appointment_id = a.id
              JOIN period ON a.start >= period.start AND a.start < period.stop
             WHERE a.company_id = %(company)s
               AND a.start >= %(first)s AND a.start < %(last)s
               AND a.state = 'done' AND first_line.employee_id IS NOT NULL
             GROUP BY period.idx, first_line.employee_id
            """,
                **self._periods_sql(company, periods),
            )
        )
        rows = {(row[0], row[1]): row[2:] for row in self.env.cr.fetchall()}
        for idx, table in enumerate(result):
            for row in table:
                visits, rebooked = rows.get((idx, row["employee"].id), (0, 0))
                row.update(
                    visits=int(visits),
                    rebooked=int(rebooked),
                    rebooking_rate=_ratio(int(rebooked), int(visits)),
                )
        return result
