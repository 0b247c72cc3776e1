"""Free and busy time of the slot search as integers (microseconds since
1970, UTC): the working time of every specialist sharing a calendar, a time
zone and no time off of their own is converted once, not once per
specialist."""

from datetime import datetime

import pytz

from odoo import models

from .intervals import MICROSECOND, Availability, merge, subtract, to_micro

EPOCH_UTC = datetime(1970, 1, 1, tzinfo=pytz.utc)


class BeautyScheduler(models.AbstractModel):
    _inherit = "beauty.scheduler"

    def _work_micro(self, employees, start, stop):
        """Like :meth:`_work_intervals`, in microseconds: attendances minus
        time off and public holidays, merged, per employee id."""
        result = {}
        start_utc, stop_utc = pytz.utc.localize(start), pytz.utc.localize(stop)
        for calendar in employees.resource_calendar_id:
            group = employees.filtered(
                lambda emp, cal=calendar: emp.resource_calendar_id == cal
            )
            resources = group.resource_id
            attendances = calendar._attendance_intervals_batch(
                start_utc,
                stop_utc,
                resources,
                tz=self.env.context.get("employee_timezone"),
            )
            leaves = calendar._leave_intervals_batch(start_utc, stop_utc, resources)
            # Resources of one time zone without attendances of their own
            # share one attendance object: convert it once.
            converted = {}
            for emp in group:
                resource_id = emp.resource_id.id
                work = attendances[resource_id]
                own_leaves = leaves[resource_id]
                key = None if own_leaves else id(work)
                if key is not None and key in converted:
                    result[emp.id] = converted[key]
                    continue
                if own_leaves:
                    work = work - own_leaves
                intervals = merge(
                    (
                        (begin - EPOCH_UTC) // MICROSECOND,
                        (end - EPOCH_UTC) // MICROSECOND,
                    )
                    for begin, end, _attendance in work
                )
                result[emp.id] = intervals
                if key is not None:
                    converted[key] = intervals
        return result

    def _load_micro_availability(
        self,
        employees,
        rooms,
        start,
        stop,
        exclude_appointment_ids=(),
        skip_resource_ids=(),
    ):
        """Like :meth:`_load_availability`, in microseconds."""
        work = self._work_micro(employees, start, stop)
        busy = {
            resource_id: [(to_micro(begin), to_micro(end)) for begin, end in value]
            for resource_id, value in self._busy_intervals(
                employees.resource_id.ids + rooms.ids,
                start,
                stop,
                exclude_appointment_ids,
            ).items()
        }
        for resource_id in skip_resource_ids:
            busy[resource_id] = [(to_micro(start), to_micro(stop))]
        free = {
            emp.id: subtract(work.get(emp.id, []), busy.get(emp.resource_id.id, []))
            for emp in employees
        }
        return Availability(free, {room.id: busy.get(room.id, []) for room in rooms})
