from odoo import fields, models, tools
from odoo.tools import SQL


class BeautyReportReview(models.Model):
    """One row per review a client gave a visit (portal rating), credited to
    the specialist of the visit's first service - the one the review request
    asks the client to rate."""

    _name = "beauty.report.review"
    _description = "Salon review"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "appointment_id"
    _depends = {
        "rating.rating": ["rating", "feedback", "consumed", "res_model", "res_id"],
        "beauty.appointment": ["partner_id", "company_id", "start"],
        "beauty.appointment.line": ["appointment_id", "employee_id", "start"],
    }

    rating_id = fields.Many2one("rating.rating", "Review", readonly=True)
    appointment_id = fields.Many2one("beauty.appointment", "Visit", readonly=True)
    partner_id = fields.Many2one("res.partner", "Client", readonly=True)
    employee_id = fields.Many2one("hr.employee", "Specialist", readonly=True)
    company_id = fields.Many2one("res.company", "Branch", readonly=True)
    date = fields.Date("Visit date", readonly=True)
    rating = fields.Float("Stars", readonly=True, aggregator="avg", digits=(16, 2))
    feedback = fields.Text("Comment", readonly=True)
    low = fields.Boolean("Low rating", readonly=True, help="Two stars or fewer.")

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
            CREATE OR REPLACE VIEW %(table)s AS (
                SELECT rating.id,
                       rating.id AS rating_id,
                       a.id AS appointment_id,
                       a.partner_id,
                       a.company_id,
                       a.start::date AS date,
                       (SELECT line.employee_id
                          FROM beauty_appointment_line line
                         WHERE line.appointment_id = a.id
                         ORDER BY line.start, line.id
                         LIMIT 1) AS employee_id,
                       rating.rating,
                       rating.feedback,
                       rating.rating <= 2 AS low
                  FROM rating_rating rating
                  JOIN beauty_appointment a
                    ON rating.res_model = 'beauty.appointment'
                   AND a.id = rating.res_id
                 WHERE rating.consumed AND rating.rating > 0
            )
            """,
                table=SQL.identifier(self._table),
            )
        )
