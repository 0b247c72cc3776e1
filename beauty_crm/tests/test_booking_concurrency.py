import threading
from datetime import datetime, time, timedelta

from odoo import SUPERUSER_ID, api
from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, tagged

CONTEXT = {"tracking_disable": True, "mail_create_nolog": True, "tz": "UTC"}


@tagged("post_install", "-at_install")
class TestBookingConcurrency(TransactionCase):
    """Two transactions book the same specialist at the same time: the
    exclusion constraint lets exactly one win. The fixture is committed
    (each thread has its own cursor) and removed afterwards."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, CONTEXT)
            calendar = env["resource.calendar"].create(
                {
                    "name": "Concurrency 10-20",
                    "tz": "Europe/Moscow",
                    "attendance_ids": [(5, 0, 0)]
                    + [
                        (
                            0,
                            0,
                            {
                                "name": f"Day {day}",
                                "dayofweek": str(day),
                                "hour_from": 10,
                                "hour_to": 20,
                                "day_period": "morning",
                            },
                        )
                        for day in range(7)
                    ],
                }
            )
            employee = env["hr.employee"].create(
                {
                    "name": "Concurrency Specialist",
                    "is_specialist": True,
                    "resource_calendar_id": calendar.id,
                    "tz": "Europe/Moscow",
                }
            )
            product = env["product.product"].create(
                {
                    "name": "Concurrency massage",
                    "type": "service",
                    "is_salon_service": True,
                    "service_duration": 1.0,
                    "specialist_ids": [(4, employee.id)],
                }
            )
            partners = env["res.partner"].create(
                [
                    {"name": "Concurrency Client A", "is_salon_client": True},
                    {"name": "Concurrency Client B", "is_salon_client": True},
                ]
            )
            cls.ids = {
                "calendar": calendar.id,
                "employee": employee.id,
                "product": product.id,
                "partners": partners.ids,
            }
        cls.addClassCleanup(cls._remove_fixture)
        # Noon in Moscow a week from now: in working hours, past any lead time.
        day = datetime.now().date() + timedelta(days=7)
        cls.start = datetime.combine(day, time(9, 0))

    @classmethod
    def _remove_appointments(cls):
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, CONTEXT)
            env["beauty.appointment"].search(
                [("partner_id", "in", cls.ids["partners"])]
            ).unlink()

    @classmethod
    def _remove_fixture(cls):
        cls._remove_appointments()
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, CONTEXT)
            env["product.product"].browse(cls.ids["product"]).unlink()
            env["hr.employee"].browse(cls.ids["employee"]).unlink()
            env["resource.calendar"].browse(cls.ids["calendar"]).unlink()
            env["res.partner"].browse(cls.ids["partners"]).unlink()

    def setUp(self):
        super().setUp()
        self.addCleanup(self._remove_appointments)

    def _thread_env(self):
        """An environment on a cursor of its own, built in the main thread:
        during tests the main thread holds the registry lock that building an
        environment takes."""
        cr = self.registry.cursor()
        self.addCleanup(cr.close)
        return api.Environment(cr, SUPERUSER_ID, CONTEXT)

    def _book(self, env, partner_id, results, key, before_commit=None):
        lines = [
            {
                "product_id": self.ids["product"],
                "employee_id": self.ids["employee"],
                "start": self.start,
            }
        ]
        try:
            env["beauty.scheduler"].book(partner_id, lines, channel="website")
            if before_commit:
                before_commit()
            env.cr.commit()
            results[key] = "booked"
        except ValidationError as error:
            env.cr.rollback()
            results[key] = str(error)

    def _count_bookings(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, CONTEXT)
            employee = env["hr.employee"].browse(self.ids["employee"])
            blocks = env["beauty.resource.block"].search(
                [
                    ("resource_id", "=", employee.resource_id.id),
                    ("start", "<", self.start + timedelta(hours=1)),
                    ("stop", ">", self.start),
                ]
            )
            return len(blocks), len(blocks.appointment_id)

    def test_database_decides_between_open_transactions(self):
        """A books and keeps its transaction open; B, which cannot see A's
        booking yet, passes the Python checks and is stopped by PostgreSQL
        once A commits."""
        results = {}
        booked = threading.Event()
        b_started = threading.Event()

        def hold():
            booked.set()
            # Commit only after B is waiting on the constraint.
            b_started.wait(10)
            threading.Event().wait(1.0)

        env_a, env_b = self._thread_env(), self._thread_env()

        def second():
            booked.wait(10)
            b_started.set()
            self._book(env_b, self.ids["partners"][1], results, "B")

        threads = [
            threading.Thread(
                target=self._book,
                args=(env_a, self.ids["partners"][0], results, "A", hold),
            ),
            threading.Thread(target=second),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        self.assertEqual(results["A"], "booked")
        self.assertIn("booked by someone else a moment ago", results["B"])
        self.assertEqual(self._count_bookings(), (1, 1))

    def test_simultaneous_race(self):
        results = {}
        barrier = threading.Barrier(2)

        def run(env, partner_id, key):
            barrier.wait(10)
            self._book(env, partner_id, results, key)

        threads = [
            threading.Thread(target=run, args=(self._thread_env(), partner_id, key))
            for partner_id, key in zip(self.ids["partners"], "AB", strict=True)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        self.assertEqual(sorted(results), ["A", "B"])
        self.assertEqual(list(results.values()).count("booked"), 1, results)
        self.assertEqual(self._count_bookings(), (1, 1))
