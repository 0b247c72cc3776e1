from odoo.tests import tagged

from .test_website_booking_tour import WebsiteBookingTourCommon


@tagged("post_install", "-at_install")
class TestLeadTour(WebsiteBookingTourCommon):
    """From the website's consultation request to a booked consultation,
    in Chromium: the visitor asks, the front desk books from the lead."""

    def test_consultation_request_to_booked_consultation(self):
        consultation = self.env["product.product"].create(
            {
                "name": "Tour free consultation",
                "type": "service",
                "is_salon_service": True,
                "is_beauty_consultation": True,
                "service_duration": 0.5,
                "list_price": 0,
                "specialist_ids": [(4, self.specialist.id)],
            }
        )
        # Only the test's consultation service is offered by default.
        self.env["product.product"].search(
            [("is_beauty_consultation", "=", True), ("id", "!=", consultation.id)]
        ).is_beauty_consultation = False
        self.start_tour("/booking", "beauty_consultation_request")
        lead = self.env["crm.lead"].search(
            [("contact_name", "=", "Tina Tour")], limit=1
        )
        self.assertEqual(lead.beauty_step, "new")
        self.assertEqual(lead.phone, "+79125550707")
        self.start_tour(
            "/odoo/action-beauty_crm.crm_lead_action_salon",
            "beauty_lead_book_consultation",
            login="bc_reception",
        )
        self.assertEqual(lead.beauty_step, "consultation_booked")
        visit = lead.beauty_appointment_ids
        self.assertEqual(visit.line_ids.product_id, consultation)
        self.assertEqual(visit.state, "confirmed")
        self.assertEqual(visit.partner_id, lead.partner_id)
        self.assertEqual(visit.partner_id.name, "Tina Tour")
