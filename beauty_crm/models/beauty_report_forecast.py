from odoo import fields, models, tools
from odoo.tools import SQL

# Visits that hold their time and are still to come; a draft with a hold is
# an online booking being paid and counts once it is confirmed.
BOOKED = """
    (a.state IN ('confirmed', 'arrived', 'in_progress')
     OR (a.state = 'draft' AND a.hold_expires_at IS NULL))
"""


class BeautyReportForecast(models.Model):
    """The salon's forecast of visits and revenue by month: booked future
    visits at their price, plus the open leads of salon teams weighted by
    their probability. Definitions: README.md, Leads and consultations."""

    _name = "beauty.report.forecast"
    _description = "Salon forecast of visits and revenue"
    _auto = False
    _order = "date, id"
    _depends = {
        "beauty.appointment": [
            "state",
            "start",
            "amount_total",
            "company_id",
            "partner_id",
            "hold_expires_at",
        ],
        "crm.lead": [
            "active",
            "probability",
            "expected_revenue",
            "date_deadline",
            "team_id",
            "company_id",
            "source_id",
        ],
        "crm.team": ["beauty_salon"],
    }

    kind = fields.Selection(
        [("booked", "Booked visit"), ("lead", "Open lead")], readonly=True
    )
    date = fields.Datetime(
        readonly=True,
        help="Start of a booked visit; for a lead, its expected closing, or today "
        "when it has none or it has passed.",
    )
    appointment_id = fields.Many2one("beauty.appointment", "Visit", readonly=True)
    lead_id = fields.Many2one("crm.lead", "Lead", readonly=True)
    partner_id = fields.Many2one("res.partner", "Client", readonly=True)
    company_id = fields.Many2one("res.company", "Branch", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    source_id = fields.Many2one("utm.source", "Source", readonly=True)
    visits = fields.Float(
        "Expected visits",
        readonly=True,
        aggregator="sum",
        help="1 for a booked visit; the probability for a lead.",
    )
    revenue = fields.Monetary(
        "Expected revenue",
        readonly=True,
        aggregator="sum",
        help="Price of a booked visit; expected revenue x probability for a lead.",
    )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
            CREATE OR REPLACE VIEW %(table)s AS (
                SELECT a.id * 2 AS id,
                       'booked' AS kind,
                       a.start AS date,
                       a.id AS appointment_id,
                       NULL::integer AS lead_id,
                       a.partner_id,
                       a.company_id,
                       company.currency_id,
                       client.source_id,
                       1.0 AS visits,
                       COALESCE(a.amount_total, 0) AS revenue
                  FROM beauty_appointment a
                  JOIN res_company company ON company.id = a.company_id
                  JOIN res_partner client ON client.id = a.partner_id
                 WHERE a.start >= (now() AT TIME ZONE 'UTC') AND %(booked)s
                UNION ALL
                -- A day at noon UTC stays the same day in every time zone the
                -- web client groups months in.
                SELECT lead.id * 2 + 1,
                       'lead',
                       GREATEST(COALESCE(lead.date_deadline, CURRENT_DATE),
                                CURRENT_DATE) + interval '12 hours',
                       NULL,
                       lead.id,
                       lead.partner_id,
                       COALESCE(lead.company_id, team.company_id),
                       company.currency_id,
                       lead.source_id,
                       COALESCE(lead.probability, 0) / 100.0,
                       COALESCE(lead.expected_revenue, 0)
                         * COALESCE(lead.probability, 0) / 100.0
                  FROM crm_lead lead
                  JOIN crm_team team ON team.id = lead.team_id
                  LEFT JOIN res_company company
                    ON company.id = COALESCE(lead.company_id, team.company_id)
                 WHERE team.beauty_salon AND lead.active
                   AND COALESCE(lead.probability, 0) < 100
            )
            """,
                table=SQL.identifier(self._table),
                booked=SQL(BOOKED),
            )
        )
