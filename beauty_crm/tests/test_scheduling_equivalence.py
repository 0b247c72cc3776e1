"""The fast slot search answers exactly what the reference implementation
(the walk over every start, kept in beauty_scheduler_reference.py) answers,
on the cases where a shortcut could go wrong: breaks, time off, public
holidays, buffers, processing gaps, rooms, chains of services, a
certification that expires inside the window, odd steps, zones with
half-hour offsets and DST nights inside working time."""

import random
from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import NOW
from .test_scheduling import THU, SchedulingCommon, utc


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestSchedulingEquivalence(SchedulingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.scheduler = cls.scheduler.with_context(tz="Europe/Moscow")
        # Vera: a lunch break, 10:00-13:00 and 14:00-20:00 Moscow time.
        cls.vera.resource_calendar_id = cls._calendar(
            "Salon with a break", "Europe/Moscow", [(10, 13), (14, 20)], range(6)
        )
        cls.peeling = cls._service(
            "Test peeling", 0.75, buffer_before=0.25, buffer_after=1 / 6
        )

    @classmethod
    def _calendar(cls, name, tz, hours, days):
        return cls.env["resource.calendar"].create(
            {
                "name": name,
                "tz": tz,
                "attendance_ids": [(5, 0, 0)]
                + [
                    (
                        0,
                        0,
                        {
                            "name": f"Day {day} {hour_from}",
                            "dayofweek": str(day),
                            "hour_from": hour_from,
                            "hour_to": hour_to,
                            "day_period": "morning" if hour_from < 12 else "afternoon",
                        },
                    )
                    for day in days
                    for hour_from, hour_to in hours
                ],
            }
        )

    def assertSameSlots(self, products, date_from, date_to, **kwargs):
        """Both implementations give the same slots; returns them."""
        fast = self.scheduler.get_available_slots(
            products, date_from, date_to, **kwargs
        )
        reference = self.scheduler._reference_get_available_slots(
            products, date_from, date_to, **kwargs
        )
        self.assertEqual(fast, reference)
        return fast

    def test_breaks_time_off_buffers_gaps_rooms_and_chains(self):
        self.env["resource.calendar.leaves"].create(
            [
                {
                    "name": "Doctor",
                    "resource_id": self.specialist.resource_id.id,
                    "calendar_id": self.calendar.id,
                    "date_from": utc(THU, 12),
                    "date_to": utc(THU, 15, 20),
                },
                {
                    # A public holiday on Saturday afternoon, for everybody.
                    "name": "Holiday",
                    "date_from": utc(THU + timedelta(days=2), 14),
                    "date_to": utc(THU + timedelta(days=2), 20),
                },
            ]
        )
        self.book(utc(THU, 10), product=self.dye, employee=self.vera)
        self.book(utc(THU, 16, 10), product=self.facial, employee=self.vera)
        self.book(utc(THU, 11), product=self.laser, employee=self.specialist)
        self.book(utc(THU, 17, 5), product=self.peeling, employee=self.specialist)
        friday = THU + timedelta(days=1)
        cases = [
            (self.manicure, {}),
            (self.manicure, {"employee": self.vera, "step": 25}),
            (self.facial, {"step": 7}),
            (self.peeling, {}),
            (self.dye, {}),
            (self.dye, {"employee": self.vera, "step": 5}),
            (self.laser, {}),
            (self.botox, {"step": 10}),
            ([self.dye.id, self.facial.id], {}),
            ([self.manicure.id, self.laser.id, self.peeling.id], {"step": 20}),
            (self.manicure, {"tz": "Asia/Kolkata", "step": 45}),
        ]
        for products, kwargs in cases:
            with self.subTest(products=products, **kwargs):
                slots = self.assertSameSlots(
                    products, THU.date(), (THU + timedelta(days=3)).date(), **kwargs
                )
                self.assertTrue(slots)
        vera = [
            slot["start"]
            for slot in self.assertSameSlots(
                self.manicure, friday.date(), friday.date(), employee=self.vera
            )
        ]
        # The break: a manicure at 12:00 ends at 13:00; 12:15 would not.
        self.assertIn(utc(friday, 12), vera)
        self.assertNotIn(utc(friday, 12, 15), vera)
        self.assertEqual(vera[-1], utc(friday, 19))
        self.assertEqual(len(vera), 9 + 21)
        # The licence is valid up to Thursday, Moscow time.
        botox_days = {
            slot["date"]
            for slot in self.assertSameSlots(
                self.botox, NOW.date(), friday.date(), employee=self.specialist
            )
        }
        self.assertEqual(botox_days, {"2026-03-04", "2026-03-05"})

    def test_dst_nights_and_odd_offsets(self):
        # Open day and night: the free time crosses the DST changes.
        self.vera.write(
            {
                "resource_calendar_id": self._calendar(
                    "Berlin day and night", "Europe/Berlin", [(0, 24)], range(7)
                ).id,
                "tz": "Europe/Berlin",
            }
        )
        for first, last in (
            (date(2026, 3, 28), date(2026, 3, 30)),
            (date(2026, 10, 24), date(2026, 10, 26)),
        ):
            for step in (15, 25, 45, 60):
                for tz in ("Europe/Berlin", "Asia/Shanghai", "Asia/Kathmandu"):
                    with self.subTest(first=first, step=step, tz=tz):
                        self.assertTrue(
                            self.assertSameSlots(
                                self.manicure,
                                first,
                                last,
                                employee=self.vera,
                                tz=tz,
                                step=step,
                            )
                        )
        hourly = self.assertSameSlots(
            self.manicure,
            date(2026, 3, 29),
            date(2026, 3, 29),
            employee=self.vera,
            tz="Europe/Berlin",
            step=60,
        )
        # The night the clocks go forward has no 02:00; a day of Odoo's
        # calendar ends at 23:59:59.999999, so a visit at 23:00 does not fit.
        self.assertEqual(
            [slot["time"] for slot in hourly],
            [f"{hour:02d}:00" for hour in range(23) if hour != 2],
        )
        # A specialist on Lord Howe Island, whose clocks move by half an hour.
        self.vera.write(
            {
                "resource_calendar_id": self._calendar(
                    "Lord Howe", "Australia/Lord_Howe", [(0, 24)], range(7)
                ).id,
                "tz": "Australia/Lord_Howe",
            }
        )
        for step in (15, 20, 60):
            with self.subTest(step=step, zone="Australia/Lord_Howe"):
                self.assertTrue(
                    self.assertSameSlots(
                        self.manicure,
                        date(2026, 4, 4),
                        date(2026, 4, 6),
                        employee=self.vera,
                        tz="Australia/Lord_Howe",
                        step=step,
                    )
                )

    def test_random_bookings(self):
        rng = random.Random(16)
        products = [self.manicure, self.facial, self.dye, self.peeling, self.laser]
        booked = refused = 0
        for _index in range(30):
            start = utc(
                THU + timedelta(days=rng.randrange(3)),
                rng.randrange(10, 19),
                rng.randrange(0, 60, 5),
            )
            try:
                with self.env.cr.savepoint():
                    self.book(
                        start,
                        product=rng.choice(products),
                        employee=rng.choice([self.specialist, self.vera]),
                    )
                booked += 1
            except ValidationError:
                # Taken or outside working hours: the engine must agree.
                refused += 1
        self.assertGreater(booked, 10)
        self.assertEqual(booked + refused, 30)
        moved = self.env["beauty.appointment"].search([], order="id desc", limit=1)
        for products_, kwargs in (
            (self.manicure, {"step": 5}),
            ([self.peeling.id, self.dye.id], {}),
            ([self.facial.id, self.manicure.id], {"step": 10}),
            (self.dye, {"exclude_appointment": moved}),
            (self.facial, {"skip_resource_ids": self.vera.resource_id.ids}),
        ):
            with self.subTest(products=products_, **kwargs):
                self.assertSameSlots(
                    products_,
                    datetime(2026, 3, 5, 6, 10),
                    datetime(2026, 3, 8),
                    **kwargs,
                )

    def test_zone_language_and_specialist_paths(self):
        """The paths of the one-query read: the client's zone taken from the
        first specialist (busy time then read on its own), the company's
        language when the context names none, a specialist asked for by id,
        one who does not perform the service, and a search that ends before
        the lead time lets it start."""
        self.book(utc(THU, 11), product=self.laser, employee=self.specialist)
        self.book(utc(THU, 15), product=self.manicure, employee=self.vera)
        self.env.user.tz = False
        first, last = THU.date(), (THU + timedelta(days=1)).date()
        for context in ({"tz": False}, {"tz": False, "lang": False}, {}):
            scheduler = self.scheduler.with_context(**context)
            for products, kwargs in (
                (self.manicure, {}),
                (self.laser, {}),
                (self.manicure, {"employee": self.vera.id}),
                ([self.dye.id, self.facial.id], {"tz": "America/St_Johns"}),
            ):
                with self.subTest(context=context, products=products, **kwargs):
                    fast = scheduler.get_available_slots(
                        products, first, last, **kwargs
                    )
                    self.assertEqual(
                        fast,
                        scheduler._reference_get_available_slots(
                            products, first, last, **kwargs
                        ),
                    )
                    self.assertTrue(fast)
        # Without any zone, the specialists' own one (Moscow) labels them.
        slots = self.scheduler.with_context(tz=False).get_available_slots(
            self.manicure, first, first
        )
        self.assertEqual(slots[0]["tz"], "Europe/Moscow")
        self.assertTrue(slots[0]["local_start"].endswith("+03:00"))
        # Over before the visits may start: nothing, and no error.
        self.assertEqual(
            self.scheduler.get_available_slots(
                self.manicure, datetime(2026, 3, 4, 6), datetime(2026, 3, 4, 6, 30)
            ),
            [],
        )
