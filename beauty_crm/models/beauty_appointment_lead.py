from odoo import api, fields, models
from odoo.tools.sql import column_exists, create_column, table_exists


class BeautyAppointment(models.Model):
    """A visit moves the salon's leads: its consultation booked or done, the
    client's first paid visit done (see crm.lead._beauty_move)."""

    _inherit = "beauty.appointment"

    lead_id = fields.Many2one(
        "crm.lead",
        "Lead",
        index="btree_not_null",
        ondelete="set null",
        copy=False,
        tracking=True,
        help="The lead this consultation was booked for.",
    )
    beauty_is_consultation = fields.Boolean(
        "Consultation",
        compute="_compute_beauty_is_consultation",
        store=True,
        help="Every service of the visit is a consultation.",
    )

    def _auto_init(self):
        # No service was a consultation before the flag existed: create the
        # column empty instead of computing it over the whole history.
        cr = self.env.cr
        if table_exists(cr, self._table) and not column_exists(
            cr, self._table, "beauty_is_consultation"
        ):
            create_column(cr, self._table, "beauty_is_consultation", "bool")
        return super()._auto_init()

    @api.depends("line_ids.product_id.is_beauty_consultation")
    def _compute_beauty_is_consultation(self):
        for appointment in self:
            products = appointment.line_ids.product_id
            appointment.beauty_is_consultation = bool(products) and all(
                products.mapped("is_beauty_consultation")
            )

    def write(self, vals):
        result = super().write(vals)
        if "state" in vals:
            self._beauty_update_leads()
        return result

    def _beauty_update_leads(self):
        Lead = self.env["crm.lead"].sudo()
        for appointment in self:
            lead = appointment.sudo().lead_id
            if appointment.beauty_is_consultation and lead:
                if appointment.state == "done":
                    lead._beauty_move("consultation_done", appointment)
                elif appointment.state in ("cancelled", "no_show"):
                    lead._beauty_consultation_lost(appointment)
            elif appointment.state == "done" and not appointment.beauty_is_consultation:
                leads = Lead.search(
                    [
                        ("partner_id", "=", appointment.partner_id.id),
                        ("team_id.beauty_salon", "=", True),
                        ("probability", "<", 100),
                        ("type", "in", ("lead", "opportunity")),
                        # As the lead funnel counts: visits after the lead.
                        ("create_date", "<=", appointment.start),
                    ]
                )
                leads._beauty_move("first_visit_done", appointment)
