from datetime import timedelta

from odoo import api, fields, models


class BeautyAppointmentLine(models.Model):
    _inherit = "beauty.appointment.line"

    # The reports read services by date over years of history.
    start = fields.Datetime(index=True)
    partner_id = fields.Many2one(index=True)
    next_due_date = fields.Date(
        "Next visit due",
        compute="_compute_next_due_date",
        store=True,
        index="btree_not_null",
        help="For a done service: the next visit date of its validated procedure "
        "record, else the service date plus the service's repeat interval.",
    )

    @api.depends(
        "state",
        "start",
        "product_id.repeat_interval_days",
        "procedure_ids.state",
        "procedure_ids.next_visit_date",
    )
    def _compute_next_due_date(self):
        for line in self:
            due = False
            if line.state == "done" and line.start:
                procedures = line.sudo().procedure_ids.filtered(
                    lambda procedure: (
                        procedure.state == "done" and procedure.next_visit_date
                    )
                )
                interval = line.product_id.repeat_interval_days
                if procedures:
                    due = max(procedures.mapped("next_visit_date"))
                elif interval:
                    due = line.start.date() + timedelta(days=interval)
            line.next_due_date = due
