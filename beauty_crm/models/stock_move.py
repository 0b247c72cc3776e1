from odoo import fields, models


class StockMove(models.Model):
    _inherit = "stock.move"

    beauty_invoice_line_id = fields.Many2one(
        "account.move.line",
        "Salon invoice line",
        index="btree_not_null",
        readonly=True,
        help="Retail product sold (or taken back) on this salon invoice line.",
    )
