from odoo import fields, models, tools
from odoo.tools import SQL

from .beauty_appointment import STATES


class BeautyReportService(models.Model):
    """One row per service of a booking: revenue and load per specialist,
    popularity of services. Definitions: README.md, section Salon analytics.
    Read from the service lines alone (their stored state, branch and client),
    so that a year of a chain's services groups without a join; cancelled
    services, expired online holds among them, count for nothing. An index
    on the lines' start holding every column the view reads lets a pivot of
    a period read the index alone (no visit of the table's rows)."""

    _name = "beauty.report.service"
    _description = "Salon service analysis"
    _auto = False
    _order = "start desc, id desc"
    _rec_name = "product_id"
    _depends = {
        "beauty.appointment.line": [
            "appointment_id",
            "state",
            "company_id",
            "partner_id",
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
        self.env.cr.execute(
            """
            CREATE INDEX IF NOT EXISTS beauty_appointment_line_report_start_index
                ON beauty_appointment_line (start)
            INCLUDE (company_id, employee_id, product_id, state, stop, price_unit,
                     partner_id, appointment_id, id)
            """
        )
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
            CREATE OR REPLACE VIEW %(table)s AS (
                SELECT line.id,
                       line.appointment_id,
                       line.start,
                       line.partner_id,
                       line.company_id,
                       company.currency_id,
                       line.employee_id,
                       line.product_id,
                       line.state,
                       CASE WHEN line.state = 'done'
                            THEN COALESCE(line.price_unit, 0) ELSE 0 END AS revenue,
                       (line.state = 'done')::int AS done,
                       CASE WHEN line.state = 'cancelled' THEN 0
                            ELSE EXTRACT(EPOCH FROM line.stop - line.start) / 3600.0
                       END AS booked_hours
                  FROM beauty_appointment_line line
                  -- LEFT: PostgreSQL leaves the join out of a query that
                  -- reads no column of the branch (a pivot of a year reads
                  -- 333,000 lines); the same rows as an inner join, since
                  -- company_id is a foreign key and not NULL here.
                  LEFT JOIN res_company company ON company.id = line.company_id
                 WHERE line.start IS NOT NULL AND line.company_id IS NOT NULL
            )
            """,
                table=SQL.identifier(self._table),
            )
        )
