from odoo import fields, models, tools
from odoo.tools import SQL

from .crm_lead import LEAD_CHANNELS


class BeautyReportLeadFunnel(models.Model):
    """One row per lead of a salon team, won, lost or open: did its client
    come to a consultation, a first and a second paid visit after the lead was
    made. Definitions: README.md, Leads and consultations."""

    _name = "beauty.report.lead.funnel"
    _description = "Salon lead funnel"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "lead_id"
    _depends = {
        "crm.lead": [
            "active",
            "probability",
            "partner_id",
            "team_id",
            "company_id",
            "source_id",
            "medium_id",
            "campaign_id",
            "lost_reason_id",
            "beauty_channel",
        ],
        "crm.team": ["beauty_salon"],
        "beauty.appointment": [
            "lead_id",
            "partner_id",
            "state",
            "start",
            "beauty_is_consultation",
        ],
    }

    lead_id = fields.Many2one("crm.lead", "Lead", readonly=True)
    date = fields.Datetime("Created on", readonly=True)
    partner_id = fields.Many2one("res.partner", "Client", readonly=True)
    company_id = fields.Many2one("res.company", "Branch", readonly=True)
    team_id = fields.Many2one("crm.team", "Team", readonly=True)
    source_id = fields.Many2one("utm.source", "Source", readonly=True)
    medium_id = fields.Many2one("utm.medium", "Medium", readonly=True)
    campaign_id = fields.Many2one("utm.campaign", "Campaign", readonly=True)
    channel = fields.Selection(LEAD_CHANNELS, "Came by", readonly=True)
    lost_reason_id = fields.Many2one("crm.lost.reason", "Lost reason", readonly=True)
    leads = fields.Integer(readonly=True, aggregator="sum")
    consultations = fields.Integer(
        "Consultations done",
        readonly=True,
        aggregator="sum",
        help="1 when a consultation booked for the lead was done.",
    )
    first_visits = fields.Integer(
        "First visits",
        readonly=True,
        aggregator="sum",
        help="1 when the client came to a paid (not consultation) visit after the "
        "lead was made.",
    )
    second_visits = fields.Integer(
        "Second visits",
        readonly=True,
        aggregator="sum",
        help="1 when the client came to two paid visits after the lead was made.",
    )
    won = fields.Integer(readonly=True, aggregator="sum")
    lost = fields.Integer(readonly=True, aggregator="sum")

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
            CREATE OR REPLACE VIEW %(table)s AS (
                SELECT lead.id,
                       lead.id AS lead_id,
                       lead.create_date AS date,
                       lead.partner_id,
                       COALESCE(lead.company_id, team.company_id) AS company_id,
                       lead.team_id,
                       lead.source_id,
                       lead.medium_id,
                       lead.campaign_id,
                       lead.beauty_channel AS channel,
                       lead.lost_reason_id,
                       1 AS leads,
                       (EXISTS (SELECT 1 FROM beauty_appointment c
                                 WHERE c.lead_id = lead.id AND c.state = 'done'
                                   AND c.beauty_is_consultation))::int
                         AS consultations,
                       (paid.visits >= 1)::int AS first_visits,
                       (paid.visits >= 2)::int AS second_visits,
                       (lead.active AND lead.probability >= 100)::int AS won,
                       (NOT lead.active)::int AS lost
                  FROM crm_lead lead
                  JOIN crm_team team ON team.id = lead.team_id
                  LEFT JOIN LATERAL (
                       SELECT count(*) AS visits FROM (
                           SELECT 1 FROM beauty_appointment a
                            WHERE a.partner_id = lead.partner_id
                              AND a.state = 'done'
                              AND NOT COALESCE(a.beauty_is_consultation, FALSE)
                              AND a.start >= lead.create_date
                            LIMIT 2) two
                  ) paid ON TRUE
                 WHERE team.beauty_salon
            )
            """,
                table=SQL.identifier(self._table),
            )
        )
