from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    beauty_lost_after_days = fields.Integer(
        "Client lost after (days)",
        default=180,
        help="A client not seen for longer than this, with nothing booked, is lost.",
    )
    beauty_vip_amount = fields.Monetary(
        "VIP from (spent in 365 days)",
        default=100000,
        help="Clients who spent at least this much in the last 365 days are VIP. "
        "Zero: only the VIP tag makes a VIP.",
    )
    beauty_recall_days = fields.Integer(
        "Recall after (days)",
        default=90,
        help="Next recommended visit: this many days after the last visit.",
    )
