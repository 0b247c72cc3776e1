import json
from datetime import datetime, time, timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import BeautyBillingCommon


@tagged("post_install", "-at_install")
class TestJournal(BeautyBillingCommon, HttpCase):
    """The day journal: OCA's timeline of the appointment lines, one lane per
    specialist; a visit moved there is written through the booking engine."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Around the clock, so that the visits below are within the hours
        # whatever the day the test runs on.
        cls.calendar.attendance_ids = [(5, 0, 0)] + [
            (
                0,
                0,
                {
                    "name": f"Day {day}",
                    "dayofweek": str(day),
                    "hour_from": 0,
                    "hour_to": 24,
                    "day_period": "morning",
                },
            )
            for day in range(7)
        ]
        cls.other_specialist = cls.env["hr.employee"].create(
            {
                "name": "Vera Journal",
                "is_specialist": True,
                "resource_calendar_id": cls.calendar.id,
                "tz": "Europe/Moscow",
            }
        )
        cls.service_colour.specialist_ids = [(4, cls.other_specialist.id)]
        cls.olga = cls.env["res.partner"].create(
            {"name": "Olga Journal", "is_salon_client": True}
        )
        # No visits and the default office hours: a lane all the same, its nights
        # shaded.
        cls.env["hr.employee"].create(
            {
                "name": "Nadia Free",
                "is_specialist": True,
                "resource_calendar_id": cls.env["resource.calendar"]
                .create({"name": "Nadia office hours", "tz": "Europe/Moscow"})
                .id,
            }
        )
        cls.nina = cls.env["res.partner"].create(
            {"name": "Nina Journal", "is_salon_client": True}
        )
        # The day of the browser (UTC here) and of Moscow at 01:00-06:00 UTC.
        today = fields.Date.today()
        cls.visit = cls._appointment(
            start=datetime.combine(today, time(1)), state="confirmed"
        )
        cls.busy = cls._appointment(
            start=datetime.combine(today, time(4)), state="confirmed", partner=cls.olga
        )
        cls.busy.line_ids.employee_id = cls.other_specialist

    def test_journal_view_for_the_front_desk(self):
        views = (
            self.env["beauty.appointment.line"]
            .with_user(self.user_receptionist)
            .get_views([(False, "timeline")])
        )
        arch = views["views"]["timeline"]["arch"]
        self.assertIn('default_group_by="employee_id"', arch)
        self.assertIn('date_start="start"', arch)
        self.assertNotIn("allergen_ids", arch)

    def test_move_onto_a_busy_specialist_is_refused_by_the_engine(self):
        """The write the timeline sends when a visit is dropped on another
        lane: the engine refuses it with its message and nothing moves."""
        self.authenticate("bc_reception", "bc_reception")
        line = self.visit.line_ids
        start = self.busy.line_ids.start
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "params": {
                "model": "beauty.appointment.line",
                "method": "write",
                "args": [
                    [line.id],
                    {
                        "start": fields.Datetime.to_string(start),
                        "stop": fields.Datetime.to_string(start + timedelta(hours=2)),
                        "employee_id": self.other_specialist.id,
                    },
                ],
                "kwargs": {},
            },
        }
        with mute_logger("odoo.http"):
            response = self.url_open(
                "/web/dataset/call_kw/beauty.appointment.line/write",
                data=json.dumps(payload),
                headers={"Content-Type": "application/json"},
            ).json()
        self.assertIn(
            "Vera Journal is already booked", response["error"]["data"]["message"]
        )
        line.invalidate_recordset()
        self.assertEqual(line.employee_id, self.specialist)

    def test_tour_journal(self):
        """In the browser: lanes, shading, a drop on a busy specialist refused
        with the engine's message, a visit booked from a free place."""
        self.start_tour(
            "/odoo/action-beauty_crm.beauty_appointment_line_action_journal",
            "beauty_crm_journal",
            login="bc_reception",
        )
        line = self.visit.line_ids
        self.assertEqual(line.employee_id, self.specialist)
        self.assertEqual(line.start, datetime.combine(fields.Date.today(), time(1)))
        booked = self.env["beauty.appointment.line"].search(
            [("partner_id", "=", self.nina.id)]
        )
        self.assertEqual(booked.employee_id, self.other_specialist)
        self.assertEqual(booked.product_id, self.service_colour)
        # Double-clicked at 10:00 of the browser's day (UTC), snapped to the
        # quarter hour; two hours of colouring.
        self.assertEqual(booked.start, datetime.combine(fields.Date.today(), time(10)))
        self.assertEqual(booked.stop - booked.start, timedelta(hours=2))
