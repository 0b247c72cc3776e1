from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import NOW, BeautyCommon

# Thursday after NOW (a Wednesday); the salon opens 10:00-20:00 Moscow time,
# i.e. 07:00-17:00 UTC.
THU = datetime(2026, 3, 5)


def utc(day, hour, minute=0):
    """Naive UTC datetime for a Moscow wall clock time (UTC+3, no DST)."""
    return day.replace(hour=hour, minute=minute) - timedelta(hours=3)


class SchedulingCommon(BeautyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.scheduler = cls.env["beauty.scheduler"]
        cls.vera = cls.env["hr.employee"].create(
            {
                "name": "Vera Specialist",
                "is_specialist": True,
                "resource_calendar_id": cls.calendar.id,
                "tz": "Europe/Moscow",
            }
        )
        cls.laser_device = cls.env["resource.resource"].create(
            {"name": "Test laser device", "resource_type": "material"}
        )
        cls.manicure = cls._service("Test manicure", 1.0)
        cls.facial = cls._service("Test facial", 1.0, buffer_after=0.25)
        cls.dye = cls._service(
            "Test root dye",
            2.0,
            processing_gap_start=0.5,
            processing_gap_duration=1.0,
        )
        cls.laser = cls._service("Test laser", 1.0, room_ids=[(4, cls.laser_device.id)])
        skill_type = cls.env["hr.skill.type"].create(
            {
                "name": "Test licences",
                "skill_ids": [(0, 0, {"name": "Test injection licence"})],
                "skill_level_ids": [
                    (0, 0, {"name": "Licensed", "level_progress": 100})
                ],
            }
        )
        cls.licence = skill_type.skill_ids
        cls.botox = cls._service(
            "Test botulinum", 0.5, certification_skill_id=cls.licence.id
        )
        cls.env["hr.employee.skill"].create(
            {
                "employee_id": cls.specialist.id,
                "skill_type_id": skill_type.id,
                "skill_id": cls.licence.id,
                "skill_level_id": skill_type.skill_level_ids.id,
                "expiry_date": date(2026, 3, 5),
            }
        )
        cls.client_free = cls.env["res.partner"].create(
            {"name": "Olga Client", "is_salon_client": True}
        )
        cls.client_other = cls.env["res.partner"].create(
            {"name": "Nina Client", "is_salon_client": True}
        )

    @classmethod
    def _service(cls, name, duration, **values):
        return cls.env["product.product"].create(
            {
                "name": name,
                "type": "service",
                "is_salon_service": True,
                "service_duration": duration,
                "list_price": 1000,
                "specialist_ids": [(6, 0, [cls.specialist.id, cls.vera.id])],
                **values,
            }
        )

    def book(self, start, product=None, employee=None, partner=None, env=None, **line):
        env = env or self.env
        return env["beauty.appointment"].create(
            {
                "partner_id": (partner or self.client_free).id,
                "line_ids": [
                    (
                        0,
                        0,
                        {
                            "product_id": (product or self.manicure).id,
                            "employee_id": (employee or self.specialist).id,
                            "start": start,
                            **line,
                        },
                    )
                ],
            }
        )

    def starts(self, products, date_from, date_to, **kwargs):
        return [
            slot["start"]
            for slot in self.scheduler.get_available_slots(
                products, date_from, date_to, **kwargs
            )
        ]


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestAvailability(SchedulingCommon):
    def test_working_hours_and_closing_time(self):
        starts = self.starts(
            self.manicure,
            THU,
            THU + timedelta(days=1),
            employee=self.specialist,
            step=60,
        )
        # 10:00 to 19:00 Moscow: the last visit ends exactly at closing time.
        self.assertEqual(starts, [utc(THU, hour) for hour in range(10, 20)])
        quarter = self.starts(
            self.manicure, THU, THU + timedelta(days=1), employee=self.specialist
        )
        self.assertEqual(quarter[-1], utc(THU, 19))
        self.assertEqual(len(quarter), 37)
        sunday = datetime(2026, 3, 8)
        self.assertFalse(self.starts(self.manicure, sunday, sunday + timedelta(days=1)))

    def test_step_and_lead_time(self):
        starts = self.starts(self.manicure, THU, THU + timedelta(days=1), step=30)
        self.assertTrue(all(start.minute in (0, 30) for start in starts))
        self.assertEqual(len(starts), 19)
        self.manicure.min_lead_time = 2
        # Now is 12:00 in Moscow: the first start is 14:00.
        today = self.starts(self.manicure, NOW.date(), NOW.date())
        self.assertEqual(today[0], utc(datetime(2026, 3, 4), 14))

    def test_time_off_and_existing_bookings(self):
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Doctor",
                "resource_id": self.specialist.resource_id.id,
                "calendar_id": self.calendar.id,
                "date_from": utc(THU, 12),
                "date_to": utc(THU, 15),
            }
        )
        self.book(utc(THU, 16), employee=self.specialist)
        starts = self.starts(
            self.manicure, THU, THU + timedelta(days=1), employee=self.specialist
        )
        self.assertIn(utc(THU, 11), starts)
        for hour, minute in ((11, 15), (12, 0), (14, 45), (15, 15), (16, 30)):
            self.assertNotIn(utc(THU, hour, minute), starts)
        self.assertIn(utc(THU, 15), starts)
        self.assertIn(utc(THU, 17), starts)
        # Any specialist: Vera is still free at noon.
        any_slots = self.scheduler.get_available_slots(
            self.manicure, utc(THU, 12), utc(THU, 12, 1)
        )
        self.assertEqual(any_slots[0]["lines"][0]["employee_id"], self.vera.id)

    def test_hr_leave_blocks_slots(self):
        leave_type = self.env["hr.leave.type"].create(
            {"name": "Test sick", "requires_allocation": "no", "request_unit": "day"}
        )
        leave = self.env["hr.leave"].create(
            {
                "employee_id": self.specialist.id,
                "holiday_status_id": leave_type.id,
                "request_date_from": THU.date(),
                "request_date_to": THU.date(),
            }
        )
        leave.action_approve()
        self.assertEqual(leave.state, "validate")
        self.assertFalse(
            self.starts(
                self.manicure, THU, THU + timedelta(days=1), employee=self.specialist
            )
        )
        self.assertTrue(
            self.starts(self.manicure, THU, THU + timedelta(days=1), employee=self.vera)
        )

    def test_buffers(self):
        self.book(utc(THU, 12), product=self.facial)
        starts = self.starts(
            self.manicure, THU, THU + timedelta(days=1), employee=self.specialist
        )
        self.assertIn(utc(THU, 11), starts)
        self.assertNotIn(utc(THU, 13), starts)
        self.assertIn(utc(THU, 13, 15), starts)
        # The buffer of a facial at 19:00 would end after closing time.
        facial = self.starts(
            self.facial, THU, THU + timedelta(days=1), employee=self.vera
        )
        self.assertEqual(facial[-1], utc(THU, 18, 45))

    def test_processing_gap_frees_the_specialist(self):
        self.book(utc(THU, 10), product=self.dye, partner=self.client_other)
        starts = self.starts(
            self.manicure, THU, THU + timedelta(days=1), employee=self.specialist
        )
        # Busy 10:00-10:30 and 11:30-12:00: one hour of manicure fits in the gap.
        self.assertIn(utc(THU, 10, 30), starts)
        self.assertNotIn(utc(THU, 10, 45), starts)
        self.assertIn(utc(THU, 12), starts)
        self.book(utc(THU, 10, 30))
        with self.assertRaises(ValidationError):
            self.book(utc(THU, 11), partner=self.client)

    def test_rooms(self):
        self.book(utc(THU, 12), product=self.laser, employee=self.specialist)
        appointment = self.book(utc(THU, 14), product=self.laser, employee=self.vera)
        self.assertEqual(appointment.line_ids.room_id, self.laser_device)
        starts = self.starts(
            self.laser, THU, THU + timedelta(days=1), employee=self.vera
        )
        self.assertNotIn(utc(THU, 12), starts)
        self.assertNotIn(utc(THU, 12, 45), starts)
        self.assertIn(utc(THU, 13), starts)
        with self.assertRaisesRegex(ValidationError, "Test laser device"):
            self.book(utc(THU, 12, 30), product=self.laser, employee=self.vera)

    def test_multi_service_chain_and_any_specialist(self):
        self.book(utc(THU, 11), employee=self.specialist, partner=self.client_other)
        slots = self.scheduler.get_available_slots(
            [self.manicure.id, self.facial.id], utc(THU, 10), utc(THU, 10, 1)
        )
        lines = slots[0]["lines"]
        self.assertEqual(
            [line["product_id"] for line in lines], [self.manicure.id, self.facial.id]
        )
        self.assertEqual(lines[0]["stop"], lines[1]["start"])
        self.assertEqual(
            [line["employee_id"] for line in lines], [self.specialist.id, self.vera.id]
        )
        self.assertEqual(slots[0]["stop"], utc(THU, 12))
        given = self.scheduler.get_available_slots(
            [self.manicure.id, self.facial.id],
            utc(THU, 10),
            utc(THU, 10, 1),
            employee=self.specialist,
        )
        self.assertFalse(given)
        # The engine's plan is bookable as it is.
        appointment = self.scheduler.book(self.client_free, lines, channel="phone")
        self.assertEqual(appointment.state, "draft")
        self.assertEqual(len(appointment.line_ids), 2)
        with self.assertRaises(ValidationError):
            self.scheduler.book(self.client, lines, channel="phone")

    def test_expired_certification(self):
        friday = THU + timedelta(days=1)
        self.assertTrue(
            self.starts(self.botox, THU.date(), THU.date(), employee=self.specialist)
        )
        self.assertFalse(
            self.starts(
                self.botox, friday.date(), friday.date(), employee=self.specialist
            )
        )
        self.assertFalse(self.starts(self.botox, friday.date(), friday.date()))
        with self.assertRaisesRegex(ValidationError, "Test injection licence"):
            self.book(utc(friday, 12), product=self.botox)
        with self.assertRaisesRegex(ValidationError, "Test injection licence"):
            self.book(utc(THU, 12), product=self.botox, employee=self.vera)

    def test_client_time_zone(self):
        slots = self.scheduler.get_available_slots(
            self.manicure,
            THU.date(),
            THU.date(),
            employee=self.specialist,
            tz="Asia/Shanghai",
        )
        # Thursday in Shanghai starts on Wednesday 19:00 in Moscow.
        first = slots[0]
        self.assertEqual(first["start"], datetime(2026, 3, 4, 16, 0))
        self.assertEqual((first["date"], first["time"]), ("2026-03-05", "00:00"))
        self.assertEqual(first["local_start"], "2026-03-05T00:00:00+08:00")
        ten = next(slot for slot in slots if slot["start"] == utc(THU, 10))
        self.assertEqual(ten["time"], "15:00")
        moscow = self.scheduler.get_available_slots(
            self.manicure,
            THU.date(),
            THU.date(),
            employee=self.specialist,
            tz="Europe/Moscow",
        )
        self.assertEqual(moscow[0]["start"], utc(THU, 10))
        self.assertEqual(moscow[0]["time"], "10:00")

    def test_dst_change_in_berlin(self):
        berlin = self.env["resource.calendar"].create(
            {
                "name": "Berlin 9-17",
                "tz": "Europe/Berlin",
                "attendance_ids": [(5, 0, 0)]
                + [
                    (
                        0,
                        0,
                        {
                            "name": f"Day {day}",
                            "dayofweek": str(day),
                            "hour_from": 9,
                            "hour_to": 17,
                            "day_period": "morning",
                        },
                    )
                    for day in range(7)
                ],
            }
        )
        self.vera.write({"resource_calendar_id": berlin.id, "tz": "Europe/Berlin"})
        slots = self.scheduler.get_available_slots(
            self.manicure,
            date(2026, 3, 28),
            date(2026, 3, 30),
            employee=self.vera,
            tz="Europe/Berlin",
            step=60,
        )
        by_day = {}
        for slot in slots:
            by_day.setdefault(slot["date"], []).append(slot)
        # Clocks go forward on Sunday 29 March: 9:00 is 08:00 UTC before, 07:00 after.
        self.assertEqual(by_day["2026-03-28"][0]["start"], datetime(2026, 3, 28, 8))
        self.assertEqual(by_day["2026-03-29"][0]["start"], datetime(2026, 3, 29, 7))
        self.assertEqual(by_day["2026-03-30"][-1]["start"], datetime(2026, 3, 30, 14))
        for day_slots in by_day.values():
            self.assertEqual(
                [slot["time"] for slot in day_slots],
                [f"{hour:02d}:00" for hour in range(9, 17)],
            )

    def test_bad_input(self):
        get = self.scheduler.get_available_slots
        with self.assertRaisesRegex(UserError, "after its start"):
            get(self.manicure, utc(THU, 22), utc(THU, 6))
        with self.assertRaisesRegex(UserError, "after its start"):
            get(self.manicure, THU.date(), (THU - timedelta(days=1)).date())
        with self.assertRaisesRegex(UserError, "62 days"):
            get(self.manicure, THU.date(), THU.date() + timedelta(days=70))
        with self.assertRaisesRegex(UserError, "Unknown service"):
            get([999999999], THU.date(), THU.date())
        with self.assertRaisesRegex(UserError, "Unknown service"):
            get(["abc"], THU.date(), THU.date())
        with self.assertRaisesRegex(UserError, "at least one service"):
            get([], THU.date(), THU.date())
        product = self.env["product.product"].create({"name": "Test shampoo"})
        with self.assertRaisesRegex(UserError, "not a salon service"):
            get(product, THU.date(), THU.date())
        with self.assertRaisesRegex(UserError, "time zone"):
            get(self.manicure, THU.date(), THU.date(), tz="Mars/Olympus")
        with self.assertRaisesRegex(UserError, "step"):
            get(self.manicure, THU.date(), THU.date(), step=0)
        with self.assertRaisesRegex(UserError, "not a date"):
            get(self.manicure, "yesterday", THU)
        with self.assertRaisesRegex(UserError, "Unknown specialist"):
            get(self.manicure, THU.date(), THU.date(), employee=999999999)
        with self.assertRaisesRegex(UserError, "does not perform"):
            get(self.service_colour, THU.date(), THU.date(), employee=self.vera)
        self.manicure.is_bookable_online = False
        with self.assertRaisesRegex(UserError, "cannot be booked online"):
            get(self.manicure, THU.date(), THU.date(), online=True)
        with self.assertRaisesRegex(UserError, "cannot be booked online"):
            self.scheduler.book(
                self.client_free,
                [
                    {
                        "product_id": self.manicure.id,
                        "employee_id": self.vera.id,
                        "start": utc(THU, 12),
                    }
                ],
            )
        with self.assertRaisesRegex(UserError, "not valid"):
            self.scheduler.book(self.client_free, [{"product_id": self.manicure.id}])
