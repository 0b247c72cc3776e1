"""The slot search caches working schedules, never bookings: every change of
a schedule (time off, public holiday, attendance, calendar, a specialist's
calendar or time zone, an approved or refused hr.leave) shows in the very
next search, and a booking shows at once though the schedule is cached."""

import random
from datetime import timedelta

from freezegun import freeze_time

from odoo.tests import BaseCase, tagged

from ..models.intervals import clip
from ..models.resource_calendar_schedule import schedule_version
from .common import NOW
from .test_scheduling import THU, SchedulingCommon, utc


@tagged("post_install", "-at_install", "beauty_unit")
class TestClip(BaseCase):
    def test_clip(self):
        intervals = [(0, 10), (20, 30), (40, 50)]
        self.assertEqual(clip(intervals, 5, 45), [(5, 10), (20, 30), (40, 45)])
        self.assertEqual(clip(intervals, 10, 20), [])
        self.assertEqual(clip(intervals, 20, 30), [(20, 30)])
        self.assertEqual(clip(intervals, -5, 100), intervals)
        self.assertEqual(clip([], 0, 10), [])
        rng = random.Random(16)
        for _run in range(300):
            points = sorted(rng.sample(range(200), 2 * rng.randrange(0, 6)))
            intervals = list(zip(points[0::2], points[1::2], strict=True))
            low = rng.randrange(-10, 210)
            high = low + rng.randrange(0, 100)
            expected = {
                minute
                for start, stop in intervals
                for minute in range(start, stop)
                if low <= minute < high
            }
            clipped = clip(intervals, low, high)
            self.assertEqual(
                {minute for start, stop in clipped for minute in range(start, stop)},
                expected,
            )
            self.assertTrue(all(start < stop for start, stop in clipped))


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestSlotEngineCache(SchedulingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.scheduler = cls.scheduler.with_context(tz="Europe/Moscow")

    def starts(self, employee=None):
        """The engine's starts on Thursday for a manicure, checked against
        the reference implementation (which caches nothing)."""
        args = (self.manicure, THU.date(), THU.date())
        slots = self.scheduler.get_available_slots(*args, employee=employee)
        self.assertEqual(
            slots,
            self.scheduler._reference_get_available_slots(*args, employee=employee),
        )
        return [slot["start"] for slot in slots]

    def test_booking_and_time_off_show_at_once(self):
        sofia = self.specialist
        self.assertIn(utc(THU, 12), self.starts(sofia))  # the cache is warm
        version = schedule_version(self.env.cr)
        self.book(utc(THU, 12), employee=sofia)
        # A booking is busy time: from the database, not a new schedule.
        self.assertEqual(schedule_version(self.env.cr), version)
        starts = self.starts(sofia)
        self.assertNotIn(utc(THU, 12), starts)
        self.assertNotIn(utc(THU, 11, 15), starts)
        self.assertIn(utc(THU, 11), starts)
        leave = self.env["resource.calendar.leaves"].create(
            {
                "name": "Dentist",
                "resource_id": sofia.resource_id.id,
                "calendar_id": self.calendar.id,
                "date_from": utc(THU, 15),
                "date_to": utc(THU, 17),
            }
        )
        self.assertNotEqual(schedule_version(self.env.cr), version)
        starts = self.starts(sofia)
        self.assertNotIn(utc(THU, 14, 15), starts)
        self.assertNotIn(utc(THU, 16), starts)
        self.assertIn(utc(THU, 14), starts)
        self.assertIn(utc(THU, 17), starts)
        leave.date_to = utc(THU, 18)
        self.assertNotIn(utc(THU, 17), self.starts(sofia))
        leave.unlink()
        self.assertIn(utc(THU, 16), self.starts(sofia))
        # A public holiday (no resource) in the afternoon, for everybody.
        self.env["resource.calendar.leaves"].create(
            {"name": "Holiday", "date_from": utc(THU, 14), "date_to": utc(THU, 20)}
        )
        self.assertEqual(self.starts(self.vera)[-1], utc(THU, 13))

    def test_schedule_changes_show_at_once(self):
        vera = self.vera
        # 10:00-20:00 Moscow, a manicure lasts an hour: 10:00 to 19:00.
        self.assertEqual(self.starts(vera)[-1], utc(THU, 19))
        thursday = self.calendar.attendance_ids.filtered(
            lambda attendance: attendance.dayofweek == "3"
        )
        thursday.hour_to = 18
        self.assertEqual(self.starts(vera)[-1], utc(THU, 17))
        thursday.unlink()
        self.assertFalse(self.starts(vera))
        self.calendar.write(
            {
                "attendance_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "Thursday morning",
                            "dayofweek": "3",
                            "hour_from": 9,
                            "hour_to": 12,
                            "day_period": "morning",
                        },
                    )
                ]
            }
        )
        starts = self.starts(vera)
        self.assertEqual((starts[0], starts[-1]), (utc(THU, 9), utc(THU, 11)))
        # The calendar's zone moves the same hours by two hours (Berlin is
        # UTC+1 in March; the search window is Thursday in Moscow).
        self.calendar.tz = "Europe/Berlin"
        vera.resource_id.tz = "Europe/Berlin"
        starts = self.starts(vera)
        self.assertEqual((starts[0], starts[-1]), (utc(THU, 11), utc(THU, 13)))
        # Another calendar for Vera.
        vera.resource_calendar_id = self.env["resource.calendar"].create(
            {
                "name": "Evenings",
                "tz": "Europe/Moscow",
                "attendance_ids": [(5, 0, 0)]
                + [
                    (
                        0,
                        0,
                        {
                            "name": "Thursday evening",
                            "dayofweek": "3",
                            "hour_from": 18,
                            "hour_to": 21,
                            "day_period": "afternoon",
                        },
                    )
                ],
            }
        )
        vera.tz = "Europe/Moscow"
        starts = self.starts(vera)
        self.assertEqual((starts[0], starts[-1]), (utc(THU, 18), utc(THU, 20)))

    def test_hr_leave_approve_and_refuse(self):
        sofia = self.specialist
        self.assertTrue(self.starts(sofia))
        leave_type = self.env["hr.leave.type"].create(
            {"name": "Test sick", "requires_allocation": "no", "request_unit": "day"}
        )
        leave = self.env["hr.leave"].create(
            {
                "employee_id": sofia.id,
                "holiday_status_id": leave_type.id,
                "request_date_from": THU.date(),
                "request_date_to": THU.date(),
            }
        )
        self.assertTrue(self.starts(sofia))  # not approved yet
        leave.action_approve()
        self.assertFalse(self.starts(sofia))
        self.assertTrue(self.starts(self.vera))
        leave.action_refuse()
        self.assertEqual(len(self.starts(sofia)), 37)  # 10:00 .. 19:00 every 15 min

    def test_rolled_back_change_leaves_no_stale_schedule(self):
        sofia = self.specialist
        before = self.starts(sofia)
        with self.assertRaises(ZeroDivisionError), self.env.cr.savepoint():
            self.env["resource.calendar.leaves"].create(
                {
                    "name": "Cancelled",
                    "resource_id": sofia.resource_id.id,
                    "date_from": utc(THU, 10),
                    "date_to": utc(THU, 15),
                }
            )
            self.assertNotIn(utc(THU, 12), self.starts(sofia))
            raise ZeroDivisionError
        self.env.invalidate_all()
        self.assertEqual(self.starts(sofia), before)
        # The next change gets a version the rolled-back one never had.
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Afternoon",
                "resource_id": sofia.resource_id.id,
                "date_from": utc(THU, 15),
                "date_to": utc(THU, 20),
            }
        )
        starts = self.starts(sofia)
        self.assertIn(utc(THU, 12), starts)
        self.assertEqual(starts[-1], utc(THU, 14))
        self.assertEqual(len(starts), 17)  # 10:00 .. 14:00 every 15 min
        self.assertTrue(before)
        self.assertEqual(before[-1] - before[0], timedelta(hours=9))
