import threading
from datetime import datetime, time, timedelta

from odoo import SUPERUSER_ID, api
from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, tagged

from ..models.booking_errors import SlotTakenError

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
            employee, employee_2 = env["hr.employee"].create(
                [
                    {
                        "name": name,
                        "is_specialist": True,
                        "resource_calendar_id": calendar.id,
                        "tz": "Europe/Moscow",
                    }
                    for name in ("Concurrency Specialist", "Concurrency Second")
                ]
            )
            product = env["product.product"].create(
                {
                    "name": "Concurrency massage",
                    "type": "service",
                    "is_salon_service": True,
                    "is_bookable_online": True,
                    "service_duration": 1.0,
                    "specialist_ids": [(4, employee.id)],
                }
            )
            # Same service, two specialists: "any specialist" online.
            product_2 = env["product.product"].create(
                {
                    "name": "Concurrency facial",
                    "type": "service",
                    "is_salon_service": True,
                    "is_bookable_online": True,
                    "service_duration": 1.0,
                    "specialist_ids": [(6, 0, (employee | employee_2).ids)],
                }
            )
            partners = env["res.partner"].create(
                [
                    {"name": f"Concurrency Client {key}", "is_salon_client": True}
                    for key in "ABCDEF"
                ]
            )
            cls.ids = {
                "calendar": calendar.id,
                "employee": employee.id,
                "employee_2": employee_2.id,
                "product": product.id,
                "product_2": product_2.id,
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
            env["product.product"].browse(
                [cls.ids["product"], cls.ids["product_2"]]
            ).unlink()
            env["hr.employee"].browse(
                [cls.ids["employee"], cls.ids["employee_2"]]
            ).unlink()
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
            for partner_id, key in zip(self.ids["partners"][:2], "AB", strict=True)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        self.assertEqual(sorted(results), ["A", "B"])
        self.assertEqual(list(results.values()).count("booked"), 1, results)
        self.assertEqual(self._count_bookings(), (1, 1))

    # ------------------------------------------------------------------
    # Website bookings with "any specialist": a visitor who loses the
    # specialist to a concurrent booking is given the same time with the
    # other one, and only hears that the time is taken when nobody is free.
    # ------------------------------------------------------------------

    def _book_online(self, env, partner_id, results, key, product="product_2"):
        try:
            appointment = env["beauty.scheduler"].book_online(
                env["res.partner"].browse(partner_id),
                env["product.product"].browse(self.ids[product]),
                self.start,
                tz="UTC",
            )
            results[key] = appointment.line_ids.employee_id.id
            env.cr.commit()
        except SlotTakenError:
            env.cr.rollback()
            results[key] = "taken"
        except Exception as error:  # noqa: BLE001 - the test reports any other
            env.cr.rollback()
            results[key] = repr(error)

    def _loser_after_open_winner(self, product):
        """A books the first specialist the engine offers and keeps its
        transaction open; B's snapshot is taken before A commits, so B's
        engine still sees that specialist free and the database stops B."""
        results = {}
        booked, b_started = threading.Event(), threading.Event()
        first = self.env["beauty.scheduler"].find_slot(
            self.env["product.product"].browse(self.ids[product]),
            self.start,
            tz="UTC",
        )["lines"][0]["employee_id"]
        env_a, env_b = self._thread_env(), self._thread_env()

        def first_visitor():
            lines = [
                {
                    "product_id": self.ids[product],
                    "employee_id": first,
                    "start": self.start,
                }
            ]
            env_a["beauty.scheduler"].book(self.ids["partners"][0], lines)
            booked.set()
            b_started.wait(10)
            threading.Event().wait(1.0)
            env_a.cr.commit()

        def second_visitor():
            env_b.cr.execute("SELECT 1")  # B's snapshot: before A commits
            booked.wait(10)
            b_started.set()
            self._book_online(env_b, self.ids["partners"][1], results, "B", product)

        threads = [
            threading.Thread(target=first_visitor),
            threading.Thread(target=second_visitor),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        return first, results["B"]

    def test_loser_gets_the_other_specialist(self):
        first, result = self._loser_after_open_winner("product_2")
        other = ({self.ids["employee"], self.ids["employee_2"]} - {first}).pop()
        self.assertEqual(result, other, "same time, the other specialist")
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, CONTEXT)
            visits = env["beauty.appointment"].search(
                [("partner_id", "in", self.ids["partners"][:2])]
            )
            self.assertEqual(len(visits), 2)
            self.assertEqual(set(visits.mapped("start")), {self.start})
            self.assertEqual(
                set(visits.line_ids.employee_id.ids),
                {self.ids["employee"], self.ids["employee_2"]},
            )

    def test_loser_hears_the_time_is_taken_when_nobody_is_free(self):
        _first, result = self._loser_after_open_winner("product")
        self.assertEqual(result, "taken")
        self.assertEqual(self._count_bookings(), (1, 1))

    def test_six_visitors_two_specialists(self):
        results = {}
        barrier = threading.Barrier(6)

        def run(env, partner_id, key):
            env.cr.execute("SELECT 1")
            barrier.wait(10)
            self._book_online(env, partner_id, results, key)

        threads = [
            threading.Thread(target=run, args=(self._thread_env(), partner_id, key))
            for partner_id, key in zip(self.ids["partners"], "ABCDEF", strict=True)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        self.assertEqual(len(results), 6, results)
        winners = [value for value in results.values() if value != "taken"]
        self.assertEqual(
            sorted(winners),
            sorted([self.ids["employee"], self.ids["employee_2"]]),
            f"one winner per specialist, every loser told it is taken: {results}",
        )
