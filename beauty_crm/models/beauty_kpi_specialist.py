from odoo import models
from odoo.tools import SQL

from .beauty_kpi import _ratio


class BeautyKpi(models.AbstractModel):
    _inherit = "beauty.kpi"

    def _specialist_metrics_periods(self, company, periods):
        """Adds each specialist's rebooking: visits whose first service the
        specialist did, and of them the ones after which the client booked
        before leaving (the definitions of the visit metrics, as in
        beauty.report.visit). The first service's specialist is stored on
        the visit (``beauty_first_employee_id``), so this reads the visits
        of the span from one index."""
        result = super()._specialist_metrics_periods(company, periods)
        self.env.cr.execute(
            SQL(
                """
            WITH period AS (%(periods)s)
            SELECT period.idx, a.beauty_first_employee_id, count(*),
                   COALESCE(sum(a.beauty_rebooked::int), 0)
              FROM beauty_appointment a
              JOIN period ON a.start >= period.start AND a.start < period.stop
             WHERE a.company_id = %(company)s
               AND a.start >= %(first)s AND a.start < %(last)s
               AND a.state = 'done' AND a.beauty_first_employee_id IS NOT NULL
             GROUP BY period.idx, a.beauty_first_employee_id
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
