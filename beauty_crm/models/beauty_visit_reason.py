from odoo import fields, models


class BeautyVisitReason(models.Model):
    _name = "beauty.visit.reason"
    _description = "Reason for the first visit"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("name_uniq", "unique(name)", "This reason already exists."),
    ]
