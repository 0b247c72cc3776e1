from odoo import fields, models, tools
from odoo.tools import SQL


class BeautyCommissionReport(models.Model):
    _name = "beauty.commission.report"
    _description = "Specialist commission"
    _auto = False
    _order = "date desc, id desc"
    # Flushed before the view is read.
    _depends = {
        "account.move": ["state", "move_type", "invoice_date", "commercial_partner_id"],
        "account.move.line": [
            "move_id",
            "balance",
            "product_id",
            "company_id",
            "company_currency_id",
            "display_type",
            "beauty_employee_id",
            "beauty_material_cost",
            "beauty_commission_amount",
        ],
    }

    date = fields.Date(readonly=True)
    move_id = fields.Many2one("account.move", "Invoice", readonly=True)
    employee_id = fields.Many2one("hr.employee", "Specialist", readonly=True)
    product_id = fields.Many2one("product.product", "Service or product", readonly=True)
    partner_id = fields.Many2one("res.partner", "Client", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    net_amount = fields.Monetary("Net sales", readonly=True)
    material_cost = fields.Monetary(readonly=True)
    commission = fields.Monetary(readonly=True)

    def init(self):
        """Posted customer invoice and credit note lines with a specialist, in
        company currency, with the commission fixed when they were posted."""
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
            CREATE OR REPLACE VIEW %s AS (
                SELECT line.id,
                       move.invoice_date AS date,
                       line.move_id,
                       line.beauty_employee_id AS employee_id,
                       line.product_id,
                       move.commercial_partner_id AS partner_id,
                       line.company_id,
                       line.company_currency_id AS currency_id,
                       -line.balance AS net_amount,
                       COALESCE(line.beauty_material_cost, 0) AS material_cost,
                       COALESCE(line.beauty_commission_amount, 0) AS commission
                  FROM account_move_line line
                  JOIN account_move move ON move.id = line.move_id
                 WHERE move.state = 'posted'
                   AND move.move_type IN ('out_invoice', 'out_refund')
                   AND line.display_type = 'product'
                   AND line.beauty_employee_id IS NOT NULL
            )
            """,
                SQL.identifier(self._table),
            )
        )
