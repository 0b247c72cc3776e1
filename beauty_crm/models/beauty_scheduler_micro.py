"""Free and busy time of the slot search as integers (microseconds since
1970, UTC). Working time is cached per calendar, specialists and whole UTC
days, keyed on the schedule version (resource_calendar_schedule.py); busy
time always comes from the database."""

from collections import defaultdict
from datetime import datetime, timedelta

import pytz

from odoo import models
from odoo.tools import SQL, ormcache

from .intervals import DAY, MICROSECOND, Availability, clip, merge, subtract, to_micro
from .resource_calendar_schedule import schedule_version

EPOCH_UTC = datetime(1970, 1, 1, tzinfo=pytz.utc)


def micro_sql(column):
    """SQL of the microseconds since 1970 of a timestamp column, exact and
    in integer and float arithmetic (``extract`` computes in numeric, which
    costs most of the busy query): the days since 1970 in microseconds
    plus the time of day, whose microseconds a float holds exactly."""
    return SQL(
        "((%(column)s::date - date '1970-01-01') * 86400000000::bigint"
        " + (date_part('epoch', %(column)s::time) * 1000000)::bigint)",
        column=SQL(column),
    )


class BeautyScheduler(models.AbstractModel):
    _inherit = "beauty.scheduler"

    def _work_micro(self, staff, start, stop, version=None):
        """Like :meth:`_work_intervals`, in microseconds: attendances minus
        time off and public holidays, merged, per employee id of ``staff``
        ({employee id: (resource id, calendar id, zone)}); clipped from the
        cached schedule of the whole UTC days around the window; ``version``:
        the schedule version when already read in this transaction."""
        if version is None:
            version = schedule_version(self.env.cr)
        low, high = to_micro(start), to_micro(stop)
        day_from, day_to = low // DAY * DAY, -(-high // DAY) * DAY
        zone = self.env.context.get("employee_timezone")
        groups = defaultdict(list)
        for emp_id, (resource_id, calendar_id, _tz) in staff.items():
            if calendar_id:
                groups[calendar_id].append((emp_id, resource_id))
        result = {}
        for calendar_id, group in groups.items():
            work = self._cached_work(
                calendar_id,
                tuple(sorted(resource_id for _emp_id, resource_id in group)),
                zone,
                day_from,
                day_to,
                version,
            )
            for emp_id, resource_id in group:
                result[emp_id] = clip(work[resource_id], low, high)
        return result

    @ormcache("calendar_id", "resource_ids", "zone", "day_from", "day_to", "version")
    def _cached_work(self, calendar_id, resource_ids, zone, day_from, day_to, version):
        """{resource id: merged working time in microseconds} of the calendar
        over [day_from, day_to), computed by Odoo's ``_work_intervals_batch``
        (so that its overrides count) as superuser. Keyed on the schedule
        version (see resource_calendar_schedule.py): any change of a
        calendar, an attendance, a time off or a resource takes a new one."""
        calendar = self.env["resource.calendar"].sudo().browse(calendar_id)
        resources = self.env["resource.resource"].sudo().browse(resource_ids)
        intervals = calendar.with_context(employee_timezone=zone)._work_intervals_batch(
            EPOCH_UTC + timedelta(microseconds=day_from),
            EPOCH_UTC + timedelta(microseconds=day_to),
            resources=resources,
        )
        return {
            resource_id: tuple(
                merge(
                    (
                        (begin - EPOCH_UTC) // MICROSECOND,
                        (end - EPOCH_UTC) // MICROSECOND,
                    )
                    for begin, end, _attendance in intervals[resource_id]
                )
            )
            for resource_id in resource_ids
        }

    def _busy_micro(self, resource_ids, start, stop, exclude_appointment_ids=()):
        """Like :meth:`_busy_intervals`, in microseconds computed by the
        database: the same range query on the GiST index."""
        self.env["beauty.resource.block"].flush_model()
        self.env.cr.execute(
            SQL(
                """SELECT resource_id, %s, %s
                     FROM beauty_resource_block
                    WHERE active
                      AND tsrange(start, stop) && tsrange(%s, %s)
                      AND resource_id = ANY(%s)
                      AND appointment_id != ALL(%s)""",
                micro_sql("start"),
                micro_sql("stop"),
                start,
                stop,
                list(resource_ids),
                list(exclude_appointment_ids),
            )
        )
        busy = defaultdict(list)
        for resource_id, begin, end in self.env.cr.fetchall():
            busy[resource_id].append((begin, end))
        return {key: merge(value) for key, value in busy.items()}

    def _load_micro_availability(
        self,
        staff,
        room_ids,
        start,
        stop,
        exclude_appointment_ids=(),
        skip_resource_ids=(),
        version=None,
        busy=None,
    ):
        """Like :meth:`_load_availability`, in microseconds, for ``staff``
        (see :meth:`_work_micro`) and the rooms ``room_ids``; ``version``
        and ``busy`` ({resource id: [(start, stop)]} over the window, read
        in this transaction by :meth:`_engine_read`) when already known."""
        work = self._work_micro(staff, start, stop, version)
        if busy is None:
            busy = self._busy_micro(
                [values[0] for values in staff.values()] + list(room_ids),
                start,
                stop,
                exclude_appointment_ids,
            )

        for resource_id in skip_resource_ids:
            busy[resource_id] = [(to_micro(start), to_micro(stop))]
        free = {
            emp_id: subtract(work.get(emp_id, []), busy.get(values[0], []))
            for emp_id, values in staff.items()
        }
        return Availability(free, {room: busy.get(room, []) for room in room_ids})
