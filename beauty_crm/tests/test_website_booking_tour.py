from odoo.fields import Command
from odoo.tests import tagged

from .test_website_booking import WebsiteBookingCommon


class WebsiteBookingTourCommon(WebsiteBookingCommon):
    """The salon opens every day, so that "tomorrow" always has free times."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Open every day so that "tomorrow" always has free times.
        cls.calendar.attendance_ids = [
            Command.create(
                {
                    "name": "Sunday",
                    "dayofweek": "6",
                    "hour_from": 10,
                    "hour_to": 20,
                    "day_period": "morning",
                }
            )
        ]


@tagged("post_install", "-at_install")
class TestWebsiteBookingTour(WebsiteBookingTourCommon):
    """What a client clicks, in Chromium."""

    def _website_visits(self):
        return self._appointments()

    def test_new_client_books_and_pays_the_deposit(self):
        demo = self.env.ref("payment.payment_provider_demo")
        if demo.code != "demo":
            self.skipTest("payment_demo is not installed (tools/test.sh installs it)")
        demo.write({"state": "test", "is_published": True})
        self.company.write(
            {"beauty_deposit_mode": "fixed", "beauty_deposit_amount": 300}
        )
        self.start_tour("/booking", "beauty_booking_new_client_deposit")
        visit = self._website_visits()
        self.assertEqual(visit.state, "confirmed")
        self.assertEqual(visit.partner_id.name, "Nina Newclient")
        self.assertEqual(visit.partner_id.phone, "+79125550101")
        tx = visit.sudo().transaction_ids
        self.assertEqual(tx.state, "done")
        self.assertEqual(tx.amount, 300)

    def test_returning_client_reschedules(self):
        visit = self._book(self.partner_a)
        old_start = visit.start
        self.start_tour(
            "/my/appointments", "beauty_booking_reschedule", login="bc_portal"
        )
        self.assertEqual(visit.state, "confirmed")
        self.assertGreater(visit.start, old_start)

    def test_client_cancels(self):
        visit = self._book(self.partner_a)
        self.start_tour("/my/appointments", "beauty_booking_cancel", login="bc_portal")
        self.assertEqual(visit.state, "cancelled")
        self.assertEqual(visit.cancel_reason, "Feeling ill")

    def test_slot_taken_meanwhile(self):
        self.start_tour("/booking", "beauty_booking_slot_taken")
        visits = self._website_visits()
        self.assertEqual(visits.partner_id.mapped("name"), ["Quick Rival"])
