from odoo import fields, models, tools
from odoo.tools import SQL

from .beauty_appointment import STATES
from .res_partner import CATEGORIES

# A booked visit whose client confirmed it neither online nor with the desk
# (an online hold that expired) is not a cancellation: the reports leave it out.
EXPIRED_HOLD = "a.state = 'cancelled' AND a.hold_expires_at IS NOT NULL"
# Another booking of the client made at the visit or within this time after it
# counts as "booked before leaving" (beauty_appointment_report.py marks it).
REBOOK_WINDOW = "2 hours"


class BeautyReportVisit(models.Model):
    """One row per appointment of the salon, for the visit, revenue, client
    and channel reports. Definitions: README.md, section Salon analytics."""

    _name = "beauty.report.visit"
    _description = "Salon visit analysis"
    _auto = False
    _order = "start desc, id desc"
    _rec_name = "appointment_id"
    _depends = {
        "beauty.appointment": [
            "partner_id",
            "company_id",
            "state",
            "channel",
            "start",
            "stop",
            "amount_total",
            "hold_expires_at",
            "beauty_rebooked",
            "beauty_first_employee_id",
        ],
        "res.partner": [
            "first_visit_date",
            "source_id",
            "medium_id",
            "campaign_id",
            "visit_reason_id",
            "client_category",
        ],
        "loyalty.card": ["partner_id", "company_id", "beauty_tier_id"],
    }

    appointment_id = fields.Many2one("beauty.appointment", "Visit", readonly=True)
    start = fields.Datetime(readonly=True)
    partner_id = fields.Many2one("res.partner", "Client", readonly=True)
    company_id = fields.Many2one("res.company", "Branch", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    employee_id = fields.Many2one(
        "hr.employee",
        "Specialist",
        readonly=True,
        help="Specialist of the first service.",
    )
    state = fields.Selection(STATES, readonly=True)
    channel = fields.Selection(
        lambda self: self.env["beauty.appointment"]._fields["channel"].selection,
        readonly=True,
    )
    source_id = fields.Many2one("utm.source", "Client source", readonly=True)
    medium_id = fields.Many2one("utm.medium", "Client medium", readonly=True)
    campaign_id = fields.Many2one("utm.campaign", "Client campaign", readonly=True)
    visit_reason_id = fields.Many2one(
        "beauty.visit.reason", "Reason for the first visit", readonly=True
    )
    client_category = fields.Selection(CATEGORIES, readonly=True)
    tier_id = fields.Many2one("beauty.loyalty.tier", "Loyalty tier", readonly=True)
    revenue = fields.Monetary(
        readonly=True, help="Price of the services of a done visit; 0 otherwise."
    )
    visit = fields.Integer(
        "Visits", readonly=True, aggregator="sum", help="1 for a done visit."
    )
    first_visit = fields.Integer(
        "First visits",
        readonly=True,
        aggregator="sum",
        help="1 for the client's first done visit: a new client.",
    )
    no_show = fields.Integer("No-shows", readonly=True, aggregator="sum")
    cancelled = fields.Integer(
        "Cancellations",
        readonly=True,
        aggregator="sum",
        help="1 for a cancelled booking; online holds that expired unconfirmed "
        "are not bookings and are left out of the report.",
    )
    rebooked = fields.Integer(
        "Booked before leaving",
        readonly=True,
        aggregator="sum",
        help="1 for a done visit after which the client booked again (another "
        "appointment for a later time, made at the visit or within two hours "
        "after its end).",
    )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
            CREATE OR REPLACE VIEW %(table)s AS (
                SELECT a.id,
                       a.id AS appointment_id,
                       a.start,
                       a.partner_id,
                       a.company_id,
                       company.currency_id,
                       a.beauty_first_employee_id AS employee_id,
                       a.state,
                       a.channel,
                       client.source_id,
                       client.medium_id,
                       client.campaign_id,
                       client.visit_reason_id,
                       client.client_category,
                       (SELECT card.beauty_tier_id
                          FROM loyalty_card card
                         WHERE card.partner_id = a.partner_id
                           AND card.company_id = a.company_id
                           AND card.beauty_tier_id IS NOT NULL
                         ORDER BY card.id
                         LIMIT 1) AS tier_id,
                       CASE WHEN a.state = 'done'
                            THEN COALESCE(a.amount_total, 0) ELSE 0 END AS revenue,
                       (a.state = 'done')::int AS visit,
                       (a.state = 'done'
                        AND a.start = client.first_visit_date)::int AS first_visit,
                       (a.state = 'no_show')::int AS no_show,
                       (a.state = 'cancelled')::int AS cancelled,
                       (a.state = 'done' AND a.beauty_rebooked)::int AS rebooked
                  FROM beauty_appointment a
                  -- LEFT: left out of the queries that read no column of
                  -- the client or the branch (same rows as inner joins:
                  -- both are required foreign keys).
                  LEFT JOIN res_partner client ON client.id = a.partner_id
                  LEFT JOIN res_company company ON company.id = a.company_id
                 WHERE a.start IS NOT NULL
                   AND a.partner_id IS NOT NULL AND a.company_id IS NOT NULL
                   AND NOT (%(expired)s)
            )
            """,
                table=SQL.identifier(self._table),
                expired=SQL(EXPIRED_HOLD),
            )
        )

    def action_beauty_new_campaign(self):
        return self.partner_id.action_beauty_new_campaign()
