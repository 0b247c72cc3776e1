from odoo import models
from odoo.tools import SQL

from .beauty_kpi import _ratio


class BeautyKpi(models.AbstractModel):
    _inherit = "beauty.kpi"

    def _specialist_metrics(self, company, start, stop):
        """Adds each specialist's rebooking: visits whose first service the
        specialist did, and of them the ones after which the client booked
        before leaving (the definition of the visit metrics)."""
        result = super()._specialist_metrics(company, start, stop)
        self.env.cr.execute(
            SQL(
                """
            SELECT employee_id, COALESCE(sum(visit), 0), COALESCE(sum(rebooked), 0)
              FROM beauty_report_visit
             WHERE company_id = %s AND start >= %s AND start < %s
               AND employee_id IS NOT NULL
             GROUP BY employee_id
            """,
                company.id,
                start,
                stop,
            )
        )
        rows = {row[0]: row[1:] for row in self.env.cr.fetchall()}
        for row in result:
            visits, rebooked = rows.get(row["employee"].id, (0, 0))
            row.update(
                visits=int(visits),
                rebooked=int(rebooked),
                rebooking_rate=_ratio(int(rebooked), int(visits)),
            )
        return result
