import re
from collections import defaultdict

import psycopg2.errors

from odoo import models
from odoo.tools import SQL

from .beauty_appointment import ACTIVE_STATES
from .booking_errors import SlotTakenError
from .intervals import merge

# "Key (resource_id, tsrange(start, stop))=(42, [...)) conflicts with ..."
CONFLICT_DETAIL = re.compile(r"\)=\((\d+),")


class BeautyScheduler(models.AbstractModel):
    _inherit = "beauty.scheduler"

    # ------------------------------------------------------------------
    # Busy time of booked appointments
    # ------------------------------------------------------------------

    def _prepare_blocks(self, appointments):
        """beauty.resource.block values for appointments: per resource, the
        union of the busy parts of their lines (so consecutive services of one
        visit by the same specialist share the buffers between them)."""
        vals_list = []
        for appointment in appointments:
            parts = defaultdict(list)
            for line in appointment.line_ids.sorted("start"):
                for begin, end in line._get_specialist_intervals():
                    parts[(line.employee_id.resource_id.id, "specialist")].append(
                        (begin, end, line.id)
                    )
                if line.room_id:
                    parts[(line.room_id.id, "room")].append(
                        (line.start, line.stop, line.id)
                    )
            for (resource_id, kind), intervals in parts.items():
                intervals.sort()
                for begin, end in merge(
                    (begin, end) for begin, end, _line in intervals
                ):
                    line_id = next(
                        line for start, _end, line in intervals if begin <= start < end
                    )
                    vals_list.append(
                        {
                            "appointment_id": appointment.id,
                            "appointment_line_id": line_id,
                            "resource_id": resource_id,
                            "kind": kind,
                            "start": begin,
                            "stop": end,
                            "active": appointment.state in ACTIVE_STATES,
                        }
                    )
        return vals_list

    def _find_conflict(self, appointments, vals_list):
        """The first active block of another appointment overlapping the
        active blocks in ``vals_list``: (values, block record) or None. One
        query for the whole batch."""
        wanted = [vals for vals in vals_list if vals["active"]]
        if not wanted:
            return None
        self.env["beauty.resource.block"].flush_model()
        rows = SQL(", ").join(
            SQL(
                "(%s, %s, %s::timestamp, %s::timestamp)",
                index,
                vals["resource_id"],
                vals["start"],
                vals["stop"],
            )
            for index, vals in enumerate(wanted)
        )
        self.env.cr.execute(
            SQL(
                """SELECT wanted.idx, block.id
                     FROM (VALUES %s) AS wanted(idx, resource_id, start, stop)
                     JOIN beauty_resource_block block
                       ON block.active
                      AND block.resource_id = wanted.resource_id
                      AND tsrange(block.start, block.stop)
                          && tsrange(wanted.start, wanted.stop)
                    WHERE block.appointment_id != ALL(%s)
                 ORDER BY wanted.idx, block.start
                    LIMIT 1""",
                rows,
                appointments.ids,
            )
        )
        row = self.env.cr.fetchone()
        if not row:
            return None
        return wanted[row[0]], self.env["beauty.resource.block"].sudo().browse(row[1])

    def _conflict_message(self, vals, block):
        resource = self.env["resource.resource"].sudo().browse(vals["resource_id"])
        other = block.appointment_id
        return self.env._(
            "%(resource)s is already booked from %(start)s to %(stop)s (%(client)s, "
            "%(service)s, %(reference)s). Please choose another time.",
            resource=resource.name,
            start=self._format(block.start),
            stop=self._format(block.stop),
            client=other.partner_id.name,
            service=block.appointment_line_id.product_id.display_name
            or ", ".join(other.line_ids.product_id.mapped("display_name")),
            reference=other.name,
        )

    def _write_blocks(self, appointments):
        """Replace the busy time of ``appointments`` by what their lines and
        states need. Python names a conflict first; the exclusion constraint
        settles what Python cannot see (a concurrent transaction)."""
        appointments = appointments.exists()
        if not appointments:
            return
        Block = self.env["beauty.resource.block"].sudo()
        vals_list = self._prepare_blocks(appointments)
        existing = Block.with_context(active_test=False).search(
            [("appointment_id", "in", appointments.ids)]
        )
        key = ("appointment_id", "resource_id", "kind", "start", "stop", "active")
        if sorted(tuple(vals[name] for name in key) for vals in vals_list) == sorted(
            (
                block.appointment_id.id,
                block.resource_id.id,
                block.kind,
                block.start,
                block.stop,
                block.active,
            )
            for block in existing
        ):
            return
        conflict = self._find_conflict(appointments, vals_list)
        if conflict:
            raise SlotTakenError(
                self._conflict_message(*conflict), conflict[0]["resource_id"]
            )
        # Blocks are system rows, written in SQL: the front desk and the website
        # only change them through appointments, and a refusal by the exclusion
        # constraint is an expected outcome under concurrency, not an error to
        # log (the ORM would log it as a bad query).
        company = {
            appointment.id: appointment.company_id.id for appointment in appointments
        }
        rows = SQL(", ").join(
            SQL(
                "(%s, %s, %s, %s, %s::timestamp, %s::timestamp, %s, %s, %s, %s,"
                " now() at time zone 'UTC', now() at time zone 'UTC')",
                vals["appointment_id"],
                vals["appointment_line_id"],
                vals["resource_id"],
                vals["kind"],
                vals["start"],
                vals["stop"],
                vals["active"],
                company[vals["appointment_id"]],
                self.env.uid,
                self.env.uid,
            )
            for vals in vals_list
        )
        try:
            with self.env.cr.savepoint():
                self.env.cr.execute(
                    SQL(
                        "DELETE FROM beauty_resource_block"
                        " WHERE appointment_id = ANY(%s)",
                        appointments.ids,
                    )
                )
                if vals_list:
                    self.env.cr.execute(
                        SQL(
                            """INSERT INTO beauty_resource_block
                                   (appointment_id, appointment_line_id, resource_id,
                                    kind, start, stop, active, company_id, create_uid,
                                    write_uid, create_date, write_date)
                                   VALUES %s""",
                            rows,
                        ),
                        log_exceptions=False,
                    )
        except psycopg2.errors.ExclusionViolation as error:
            found = CONFLICT_DETAIL.search(error.diag.message_detail or "")
            raise SlotTakenError(
                self.env._(
                    "This time was booked by someone else a moment ago. Please "
                    "choose another time."
                ),
                int(found.group(1)) if found else None,
            ) from None
        finally:
            Block.invalidate_model()
