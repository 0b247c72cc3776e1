from odoo import fields, models, tools
from odoo.tools import SQL

# Appointments in these states are still to come.
UPCOMING = ("draft", "confirmed", "arrived", "in_progress")


class BeautyReportDue(models.Model):
    """Visits due: a client's last done service whose next visit falls due,
    and nothing booked since. Definitions: README.md, section Salon analytics."""

    _name = "beauty.report.due"
    _description = "Salon visits due"
    _auto = False
    _order = "due_date, id"
    _rec_name = "partner_id"
    _depends = {
        "beauty.appointment": ["state", "start", "partner_id", "company_id"],
        "beauty.appointment.line": [
            "appointment_id",
            "employee_id",
            "product_id",
            "start",
            "next_due_date",
            "state",
        ],
    }

    due_date = fields.Date("Due", readonly=True)
    last_date = fields.Datetime("Last done", readonly=True)
    partner_id = fields.Many2one("res.partner", "Client", readonly=True)
    phone = fields.Char(related="partner_id.phone")
    email = fields.Char(related="partner_id.email")
    company_id = fields.Many2one("res.company", "Branch", readonly=True)
    employee_id = fields.Many2one("hr.employee", "Specialist", readonly=True)
    product_id = fields.Many2one("product.product", "Service", readonly=True)
    appointment_id = fields.Many2one("beauty.appointment", "Last visit", readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
            CREATE OR REPLACE VIEW %(table)s AS (
                SELECT line.id,
                       line.next_due_date AS due_date,
                       line.start AS last_date,
                       line.partner_id,
                       line.company_id,
                       line.employee_id,
                       line.product_id,
                       line.appointment_id
                  FROM beauty_appointment_line line
                 WHERE line.next_due_date IS NOT NULL
                   AND NOT EXISTS (
                        SELECT 1
                          FROM beauty_appointment_line later
                         WHERE later.partner_id = line.partner_id
                           AND later.product_id = line.product_id
                           AND later.state = 'done'
                           AND later.start > line.start)
                   AND NOT EXISTS (
                        SELECT 1
                          FROM beauty_appointment booked
                         WHERE booked.partner_id = line.partner_id
                           AND booked.state IN %(upcoming)s
                           AND booked.start > (now() AT TIME ZONE 'UTC'))
            )
            """,
                table=SQL.identifier(self._table),
                upcoming=UPCOMING,
            )
        )

    def action_beauty_new_campaign(self):
        return self.partner_id.action_beauty_new_campaign()

    def action_beauty_send_recall(self):
        """Queue the recall message ("time for your next ...") of the client
        communications for the listed clients: only with their marketing
        consent for the channel, and once per last visit - the daily recall
        job uses the same key, so neither sends it twice."""
        Message = self.env["beauty.message"].sudo()
        queued = Message._beauty_queue_recalls(self.partner_id)
        if queued:
            Message._beauty_wake()
        skipped = len(self.partner_id) - len(queued)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success" if queued else "warning",
                "message": self.env._(
                    "%(queued)s recall(s) queued; %(skipped)s client(s) skipped "
                    "(no marketing consent for any channel, or already recalled "
                    "since their last visit).",
                    queued=len(queued),
                    skipped=skipped,
                ),
            },
        }
