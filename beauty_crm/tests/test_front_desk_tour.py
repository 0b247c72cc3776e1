from datetime import datetime, time

from odoo import fields
from odoo.tests import HttpCase, tagged

from .common import BeautyBillingCommon


@tagged("post_install", "-at_install")
class TestFrontDeskTour(BeautyBillingCommon, HttpCase):
    """The receptionist takes a client through the day on the Today board, in
    a real browser: check-in, start, finish, check-out (invoice confirmed,
    then paid from the board's Check out)."""

    def test_tour_today_board(self):
        # The specialist works around the clock: the visits below are within
        # the hours whatever the day the test runs on.
        self.calendar.attendance_ids = [(5, 0, 0)] + [
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
        # The board's "Today" is the day of the browser, which runs in UTC
        # here; at 01:00 and 04:00 UTC the day is the same in Moscow.
        today = fields.Date.today()

        def at(hour):
            return datetime.combine(today, time(hour))

        tanya = self.env["res.partner"].create(
            {"name": "Tanya Tour", "is_salon_client": True}
        )
        self._appointment(start=at(4), state="confirmed", partner=tanya)
        self._appointment(start=at(1), state="confirmed")
        self.start_tour(
            "/odoo/action-beauty_crm.beauty_appointment_action_today",
            "beauty_crm_front_desk_board",
            login="bc_reception",
        )
        visit = self.env["beauty.appointment"].search(
            [("partner_id", "=", self.client.id)]
        )
        self.assertEqual(visit.state, "done")
        self.assertTrue(visit.arrived_at and visit.started_at)
        self.assertEqual(visit.invoice_ids.state, "posted")
        self.assertIn(visit.invoice_ids.payment_state, ("paid", "in_payment"))
