from odoo import models
from odoo.tools import SQL

from .beauty_kpi import _ratio


class BeautyKpi(models.AbstractModel):
    _inherit = "beauty.kpi"

    def _specialist_metrics_periods(self, company, periods):
        """Adds each specialist's rebooking: visits whose first service the
        specialist did, and of them the ones after which the client booked
        before leaving (the definition of the visit metrics)."""
        result = super()._specialist_metrics_periods(company, periods)
        self.env.cr.execute(
            SQL(
                """
            WITH period AS (%(periods)s)
            SELECT period.idx, v.employee_id, COALESCE(sum(v.visit), 0),
                   COALESCE(sum(v.rebooked), 0)
              FROM beauty_report_visit v
              JOIN period ON v.start >= period.start AND v.start < period.stop
             WHERE v.company_id = %(company)s
               AND v.start >= %(first)s AND v.start < %(last)s
               AND v.visit = 1 AND v.employee_id IS NOT NULL
             GROUP BY period.idx, v.employee_id
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
