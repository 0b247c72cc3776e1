from odoo import fields, models, tools
from odoo.tools import SQL

from .beauty_appointment import STATES
from .beauty_report_visit import EXPIRED_HOLD


class BeautyReportService(models.Model):
    """One row per service of a booking: revenue and load per specialist,
    popularity of services. Definitions: README.md, section Salon analytics."""

    _name = "beauty.report.service"
    _description = "Salon service analysis"
    _auto = False
    _order = "start desc, id desc"
    _rec_name = "product_id"
    _depends = {
        "beauty.appointment": ["state", "hold_expires_at", "partner_id", "company_id"],
        "beauty.appointment.line": [
            "appointment_id",
            "employee_id",
            "product_id",
            "start",
            "stop",
            "price_unit",
        ],
    }

    appointment_id = fields.Many2one("beauty.appointment", "Visit", readonly=True)
    start = fields.Datetime(readonly=True)
    partner_id = fields.Many2one("res.partner", "Client", readonly=True)
    company_id = fields.Many2one("res.company", "Branch", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    employee_id = fields.Many2one("hr.employee", "Specialist", readonly=True)
    product_id = fields.Many2one("product.product", "Service", readonly=True)
    state = fields.Selection(STATES, readonly=True)
    revenue = fields.Monetary(
        readonly=True, help="Price of the service when its visit is done; 0 otherwise."
    )
    done = fields.Integer(
        "Services done",
        readonly=True,
        aggregator="sum",
        help="1 when the visit is done.",
    )
    booked_hours = fields.Float(
        readonly=True,
        aggregator="sum",
        help="Time the service holds its specialist, in hours, unless the booking "
        "was cancelled (a no-show still held the time).",
    )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
            CREATE OR REPLACE VIEW %(table)s AS (
                SELECT line.id,
                       line.appointment_id,
                       line.start,
                       a.partner_id,
                       a.company_id,
                       company.currency_id,
                       line.employee_id,
                       line.product_id,
                       a.state,
                       CASE WHEN a.state = 'done'
                            THEN COALESCE(line.price_unit, 0) ELSE 0 END AS revenue,
                       (a.state = 'done')::int AS done,
                       CASE WHEN a.state = 'cancelled' THEN 0
                            ELSE EXTRACT(EPOCH FROM line.stop - line.start) / 3600.0
                       END AS booked_hours
                  FROM beauty_appointment_line line
                  JOIN beauty_appointment a ON a.id = line.appointment_id
                  JOIN res_company company ON company.id = a.company_id
                 WHERE line.start IS NOT NULL
                   AND NOT (%(expired)s)
            )
            """,
                table=SQL.identifier(self._table),
                expired=SQL(EXPIRED_HOLD),
            )
        )
