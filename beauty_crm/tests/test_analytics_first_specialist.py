"""The stored specialist of a visit's first service (beauty_first_employee_id),
which the visit report and the specialists' visit counts read: kept by the
ORM when the services change, equal to the SQL pass that fills the history."""

from datetime import date, datetime, timedelta

from odoo import Command
from odoo.tests import tagged

from .common import BeautyCommon

# A Tuesday (the salon works 10:00-20:00 Moscow time) far from the demo
# year of history and its bookings, whose visits the KPI of the day would count.
DAY = date(2030, 3, 5)


def msk(hour, minute=0):
    """Naive UTC of a Moscow time on DAY."""
    return datetime.combine(DAY, datetime.min.time()) + timedelta(
        hours=hour - 3, minutes=minute
    )


@tagged("post_install", "-at_install")
class TestVisitFirstSpecialist(BeautyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.s1 = cls.specialist
        cls.s2 = cls.env["hr.employee"].create(
            {
                "name": "First-service specialist 2",
                "is_specialist": True,
                "resource_calendar_id": cls.calendar.id,
                "tz": "Europe/Moscow",
            }
        )
        cls.service = cls.env["product.product"].create(
            {
                "name": "First-service manicure",
                "type": "service",
                "is_salon_service": True,
                "service_duration": 1.0,
                "list_price": 1000,
                "specialist_ids": [Command.set((cls.s1 | cls.s2).ids)],
            }
        )
        cls.guest = cls.env["res.partner"].create(
            {"name": "First-service client", "is_salon_client": True}
        )

    def _visit(self, *lines):
        return self.env["beauty.appointment"].create(
            {
                "partner_id": self.guest.id,
                "line_ids": [
                    Command.create(
                        {
                            "product_id": self.service.id,
                            "employee_id": employee.id,
                            "start": start,
                        }
                    )
                    for employee, start in lines
                ],
            }
        )

    def _check(self, visit, employee):
        """The stored column, the visit report and the SQL fill of the
        history all name ``employee``."""
        self.assertEqual(visit.beauty_first_employee_id, employee)
        self.env.flush_all()
        self.env.invalidate_all()
        report = self.env["beauty.report.visit"].search([("id", "=", visit.id)])
        self.assertEqual(report.employee_id, employee)
        self.env.cr.execute(
            "UPDATE beauty_appointment SET beauty_first_employee_id = NULL"
            " WHERE id = %s",
            [visit.id],
        )
        self.env["beauty.appointment"]._beauty_fill_first_employee()
        self.env.cr.execute(
            "SELECT beauty_first_employee_id FROM beauty_appointment WHERE id = %s",
            [visit.id],
        )
        self.assertEqual(self.env.cr.fetchone()[0], employee.id or None)
        visit.invalidate_recordset(["beauty_first_employee_id"])

    def _visits_per_specialist(self):
        """Done visits and rebooked ones per specialist on DAY (KPI table)."""
        self.env.flush_all()
        table = self.env["beauty.kpi"]._specialist_metrics(
            self.env.company, *self.env["beauty.kpi"]._period(DAY, DAY)
        )
        return {
            row["employee"]: (row["visits"], row["rebooked"])
            for row in table
            if row["employee"] in self.s1 | self.s2
        }

    def test_first_service_follows_the_lines(self):
        # Created with specialist 2 at 12:00, specialist 1 at 11:00: the
        # first service is specialist 1's.
        visit = self._visit((self.s2, msk(12)), (self.s1, msk(11)))
        self._check(visit, self.s1)
        first, second = visit.line_ids.sorted("start")
        self.assertEqual((first.employee_id, second.employee_id), (self.s1, self.s2))
        # Specialist 1's service moved to 12:00, the time of specialist 2's:
        # the first created (specialist 2's line, the lower id) comes first,
        # as the view orders them.
        self.assertLess(second.id, first.id)
        first.start = msk(12)
        self._check(visit, self.s2)
        # Moved on to 14:00: specialist 2's at 12:00 is first.
        first.start = msk(14)
        self._check(visit, self.s2)
        # Specialist 2's service moved to 16:00: specialist 1's is first.
        second.start = msk(16)
        self._check(visit, self.s1)
        # Specialist 2 takes the 14:00 service too: the visit follows the
        # first line's specialist.
        first.employee_id = self.s2
        self._check(visit, self.s2)
        # A service added at 10:00 with specialist 1 becomes the first.
        visit.line_ids = [
            Command.create(
                {
                    "product_id": self.service.id,
                    "employee_id": self.s1.id,
                    "start": msk(10),
                }
            )
        ]
        self._check(visit, self.s1)
        # Removed again: back to specialist 2.
        visit.line_ids.filtered(lambda line: line.start == msk(10)).unlink()
        self._check(visit, self.s2)

    def test_visits_per_specialist_after_cancel_and_unlink(self):
        one = self._visit((self.s1, msk(10)), (self.s2, msk(11)))
        two = self._visit((self.s2, msk(15)))
        three = self._visit((self.s2, msk(17)), (self.s1, msk(16)))
        (one | two | three).state = "done"
        two.beauty_rebooked = True
        # Visit one counts for specialist 1, two (rebooked) for specialist 2,
        # three for specialist 1 (its 16:00 service comes first).
        self.assertEqual(
            self._visits_per_specialist(), {self.s1: (2, 0), self.s2: (1, 1)}
        )
        # Visit three cancelled: it is no longer a visit.
        three.state = "cancelled"
        self.assertEqual(three.beauty_first_employee_id, self.s1)
        self.assertEqual(
            self._visits_per_specialist(), {self.s1: (1, 0), self.s2: (1, 1)}
        )
        report = self.env["beauty.report.visit"].search([("id", "=", three.id)])
        self.assertEqual((report.employee_id, report.cancelled), (self.s1, 1))
        # Visit one's first service removed: it counts for specialist 2.
        one.line_ids.filtered(lambda line: line.employee_id == self.s1).unlink()
        self.assertEqual(
            self._visits_per_specialist(), {self.s1: (0, 0), self.s2: (2, 1)}
        )
        # Visit two deleted: specialist 2 keeps visit one.
        two.state = "cancelled"
        two.unlink()
        self.assertEqual(
            self._visits_per_specialist(), {self.s1: (0, 0), self.s2: (1, 0)}
        )
        self.assertFalse(self.env["beauty.report.visit"].search([("id", "=", two.id)]))

    def test_kpi_reads_the_same_rows_as_the_visit_view(self):
        """The KPI figures read the appointments and the clients' first visit
        date, not the visit view: the same rows, worked out by hand."""
        done = self._visit((self.s1, msk(10)))
        no_show = self._visit((self.s2, msk(11)))
        cancelled = self._visit((self.s1, msk(12)))
        hold = self._visit((self.s2, msk(13)))
        done.state, no_show.state = "done", "no_show"
        (cancelled | hold).state = "cancelled"
        hold.hold_expires_at = msk(9)
        done.beauty_rebooked = True
        kpi = self.env["beauty.kpi"]
        self.env.flush_all()
        start, stop = kpi._period(DAY, DAY)
        figures = kpi._visit_metrics(self.env.company, start, stop)
        # One visit of 1000 (rebooked), one no-show, one cancellation: the
        # expired hold is not a booking.
        self.assertEqual(
            {
                key: figures[key]
                for key in ("visits", "clients", "revenue", "no_shows")
                + ("cancellations", "rebooked")
            },
            {
                "visits": 1,
                "clients": 1,
                "revenue": 1000.0,
                "no_shows": 1,
                "cancellations": 1,
                "rebooked": 1,
            },
        )
        view = self.env["beauty.report.visit"].read_group(
            [("start", ">=", start), ("start", "<", stop)],
            ["visit:sum", "revenue:sum", "no_show:sum", "cancelled:sum"],
            [],
        )[0]
        self.assertEqual(
            (view["visit"], view["revenue"], view["no_show"], view["cancelled"]),
            (1, 1000.0, 1, 1),
        )
        # The guest's first visit ever is the done one: a new client of the
        # day, found from the first visit date.
        self.assertEqual(self.guest.first_visit_date, msk(10))
        self.env.cr.execute(kpi._new_clients_sql(self.env.company, start, stop))
        self.assertEqual(self.env.cr.fetchall(), [(self.guest.id, msk(10))])
