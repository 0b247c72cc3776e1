from odoo import fields, models
from odoo.tools import SQL

from .res_partner import CATEGORIES


class BeautyReportClientRating(models.TransientModel):
    """Clients ranked by the price of their done visits in a period: the first
    N (the wizard's "Clients ranked", 0 = all), filled in one SQL statement by
    the report wizard, so that the ranking of a chain's visits opens as a
    list of its best clients, not as a pivot of every client."""

    _name = "beauty.report.client.rating"
    _description = "Client rating by amount"
    _order = "rank, id"
    _rec_name = "partner_id"

    wizard_id = fields.Many2one(
        "beauty.report.wizard", required=True, ondelete="cascade", index=True
    )
    rank = fields.Integer(readonly=True)
    partner_id = fields.Many2one("res.partner", "Client", readonly=True)
    company_id = fields.Many2one("res.company", "Branch", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    revenue = fields.Monetary(
        readonly=True, help="Price of the client's done visits in the period."
    )
    visits = fields.Integer(readonly=True, aggregator="sum")
    tier_id = fields.Many2one("beauty.loyalty.tier", "Loyalty tier", readonly=True)
    client_category = fields.Selection(CATEGORIES, readonly=True)

    def _beauty_fill(self, wizard, start, stop):
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
            INSERT INTO beauty_report_client_rating
                (wizard_id, rank, partner_id, company_id, currency_id, revenue,
                 visits, tier_id, client_category,
                 create_uid, write_uid, create_date, write_date)
            SELECT %(wizard)s,
                   row_number() OVER (ORDER BY spent.revenue DESC, spent.partner_id),
                   spent.partner_id, spent.company_id, company.currency_id,
                   spent.revenue, spent.visits,
                   (SELECT card.beauty_tier_id FROM loyalty_card card
                     WHERE card.partner_id = spent.partner_id
                       AND card.company_id = spent.company_id
                       AND card.beauty_tier_id IS NOT NULL
                     ORDER BY card.id LIMIT 1),
                   client.client_category,
                   %(uid)s, %(uid)s, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
              FROM (SELECT a.partner_id, a.company_id,
                           sum(a.amount_total) AS revenue, count(*) AS visits
                      FROM beauty_appointment a
                     WHERE a.state = 'done' AND a.company_id IN %(companies)s
                       AND a.start >= %(start)s AND a.start < %(stop)s
                     GROUP BY a.partner_id, a.company_id
                     ORDER BY sum(a.amount_total) DESC, a.partner_id
                     LIMIT %(limit)s) spent
              JOIN res_partner client ON client.id = spent.partner_id
              JOIN res_company company ON company.id = spent.company_id
            """,
                wizard=wizard.id,
                uid=self.env.uid,
                companies=tuple(wizard._companies().ids),
                start=start,
                stop=stop,
                limit=wizard.rating_limit or None,
            )
        )

    def action_beauty_new_campaign(self):
        return self.partner_id.action_beauty_new_campaign()
