from odoo import fields, models


class BeautyHealthAccessLog(models.Model):
    """Who read or exported which client's medical fields, and when.

    Written by res.partner when medical fields go out through the API (the
    client card form, read, search_read, export), at most one row per user,
    client and operation an hour; read by managers only, written by nobody.
    """

    _name = "beauty.health.access.log"
    _description = "Health data access"
    _order = "access_date desc, id desc"
    _rec_name = "partner_id"

    partner_id = fields.Many2one(
        "res.partner", "Client", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="partner_id.company_id", store=True)
    user_id = fields.Many2one(
        "res.users", "User", required=True, index=True, ondelete="cascade"
    )
    access_date = fields.Datetime(
        "Date", required=True, index=True, default=fields.Datetime.now
    )
    operation = fields.Selection(
        [("read", "Read"), ("export", "Export")], required=True, default="read"
    )
    field_names = fields.Char("Fields")
