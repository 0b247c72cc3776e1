from odoo.tests import tagged

from .test_website_booking_tour import WebsiteBookingTourCommon


@tagged("post_install", "-at_install")
class TestWebsiteBookingIdentityTour(WebsiteBookingTourCommon):
    """A visitor with a known phone asks for a code in Chromium, types a wrong
    one, then books without: a new card for the desk to merge."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.client.write({"phone": "+7 916 111-22-33"})

    def test_known_phone_asks_for_a_code_then_books_as_new(self):
        self.start_tour("/booking", "beauty_booking_known_phone")
        texts = self.env["sms.sms"].search([("partner_id", "=", self.client.id)])
        self.assertEqual(len(texts), 1, "the code went to the card's phone")
        self.assertEqual(texts.number, "+79161112233")
        otp = self.env["beauty.booking.otp"].search(
            [("partner_id", "=", self.client.id)]
        )
        self.assertEqual(otp.failure_count, 1)
        visit = self._appointments()
        self.assertEqual(len(visit), 1)
        self.assertNotEqual(visit.partner_id, self.client)
        self.assertEqual(visit.partner_id.name, "Katya Again")
        self.assertTrue(visit.partner_id.beauty_online_unverified)
