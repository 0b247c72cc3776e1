from datetime import datetime

from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.sql import column_exists, create_column, table_exists

from .beauty_report_visit import REBOOK_WINDOW


class BeautyAppointment(models.Model):
    _inherit = "beauty.appointment"

    beauty_rebooked = fields.Boolean(
        "Booked before leaving",
        readonly=True,
        copy=False,
        help="Another appointment of the client, for a later time, was made "
        "during this visit or within two hours after its end.",
    )
    beauty_first_employee_id = fields.Many2one(
        "hr.employee",
        "Specialist of the first service",
        compute="_compute_beauty_first_employee_id",
        store=True,
        ondelete="set null",
        help="Specialist of the visit's first service (the earliest start, "
        "then the first created): the visit reports count the visit for them.",
    )

    def _auto_init(self):
        # Filled in one SQL pass over the history instead of computed by the
        # ORM visit by visit (a chain has millions).
        cr = self.env.cr
        if table_exists(cr, self._table) and not column_exists(
            cr, self._table, "beauty_first_employee_id"
        ):
            create_column(cr, self._table, "beauty_first_employee_id", "int4")
            self._beauty_fill_first_employee()
        return super()._auto_init()

    def init(self):
        result = super().init()
        # The visit figures of a period (beauty.kpi) read from the index
        # alone; new clients found from their first visit date.
        self.env.cr.execute(
            """
            CREATE INDEX IF NOT EXISTS beauty_appointment_report_index
                ON beauty_appointment (start)
            INCLUDE (company_id, state, partner_id, amount_total, hold_expires_at,
                     beauty_rebooked, beauty_first_employee_id);
            CREATE INDEX IF NOT EXISTS res_partner_beauty_first_visit_index
                ON res_partner (first_visit_date)
             WHERE first_visit_date IS NOT NULL;
            """
        )
        return result

    @api.model
    def _beauty_fill_first_employee(self):
        """Set the specialist of the first service of every visit in SQL, as
        the compute below does (lines ordered by start, then id)."""
        self.env.cr.execute(
            """
            UPDATE beauty_appointment a
               SET beauty_first_employee_id = first_line.employee_id
              FROM (SELECT DISTINCT ON (line.appointment_id)
                           line.appointment_id, line.employee_id
                      FROM beauty_appointment_line line
                     ORDER BY line.appointment_id, line.start, line.id) first_line
             WHERE first_line.appointment_id = a.id
               AND a.beauty_first_employee_id IS DISTINCT FROM first_line.employee_id
            """
        )

    @api.depends("line_ids.start", "line_ids.employee_id")
    def _compute_beauty_first_employee_id(self):
        for appointment in self:
            lines = appointment.line_ids.sorted(
                lambda line: (
                    not line.start,
                    line.start or datetime.min,
                    line._origin.id or float("inf"),
                )
            )
            appointment.beauty_first_employee_id = lines[:1].employee_id

    @api.model_create_multi
    def create(self, vals_list):
        appointments = super().create(vals_list)
        appointments._beauty_mark_rebooked()
        return appointments

    def _beauty_mark_rebooked(self):
        """Mark the visits these new bookings were made at (the client was in
        the salon, or had just left): the rebooking rate reads the mark."""
        booked = self.filtered(lambda appointment: appointment.start)
        if not booked:
            return
        booked.flush_recordset(["partner_id", "start"])
        self.env.cr.execute(
            SQL(
                """
            UPDATE beauty_appointment visit
               SET beauty_rebooked = true
              FROM beauty_appointment new
             WHERE new.id IN %(ids)s
               AND visit.partner_id = new.partner_id
               AND visit.id != new.id
               AND visit.start < new.start
               AND visit.start <= %(now)s
               AND visit.stop + interval %(window)s >= %(now)s
               AND visit.beauty_rebooked IS NOT TRUE
            """,
                ids=tuple(booked.ids),
                now=fields.Datetime.now(),
                window=REBOOK_WINDOW,
            )
        )
        self.invalidate_model(["beauty_rebooked"])
