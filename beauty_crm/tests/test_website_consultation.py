"""The website's consultation request: a lead of the Salon team on a new or
the logged-in client's card, never on a card the visitor has not proven;
every bad input is a message on the page."""

from odoo.tests import tagged

from .test_website_booking import WebsiteBookingCommon

KATYA_PHONE = "+79161112233"


@tagged("post_install", "-at_install")
class TestWebsiteConsultation(WebsiteBookingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.client.write({"phone": "+7 916 111-22-33"})
        cls.team = cls.env.ref("beauty_crm.crm_team_salon")
        cls.last_lead_id = max(
            cls.env["crm.lead"].with_context(active_test=False).search([]).ids,
            default=0,
        )

    def _leads(self):
        return (
            self.env["crm.lead"]
            .with_context(active_test=False)
            .search([("id", ">", self.last_lead_id)])
        )

    def _request(self, **values):
        page = self.url_open("/booking/consultation")
        self.assertEqual(page.status_code, 200)
        data = {
            "name": "Vera Visitor",
            "phone": "+7 912 345-67-89",
            "email": "vera@example.com",
            "interest": "Pigment spots on the cheeks",
            **self._form_values(page.text),
        }
        data.update(values)
        data = {key: value for key, value in data.items() if value is not None}
        response = self.url_open("/booking/consultation/submit", data=data)
        self.assertEqual(response.status_code, 200)
        return response

    def test_booking_page_links_to_the_request(self):
        page = self.url_open("/booking")
        self.assertIn('href="/booking/consultation"', page.text)

    def test_new_visitor_makes_a_salon_lead(self):
        self.opener.cookies.set("odoo_utm_source", "Instagram ads")
        self.opener.cookies.set("odoo_utm_campaign", "Spring peels")
        response = self._request(phone="8 (912) 345-67-89")
        self.assertIn("has your request", response.text)
        lead = self._leads()
        self.assertEqual(len(lead), 1)
        self.assertEqual(lead.team_id, self.team)
        self.assertEqual(lead.type, "opportunity")
        self.assertEqual(lead.beauty_step, "new")
        self.assertEqual(lead.beauty_channel, "website")
        self.assertFalse(lead.user_id)
        self.assertEqual(lead.medium_id, self.env.ref("utm.utm_medium_website"))
        self.assertEqual(lead.source_id.name, "Instagram ads")
        self.assertEqual(lead.campaign_id.name, "Spring peels")
        self.assertIn("Pigment spots", lead.description)
        card = lead.partner_id
        self.assertEqual(card, self._new_partners())
        self.assertTrue(card.is_salon_client)
        self.assertFalse(card.beauty_online_unverified)
        self.assertEqual(card.phone, "+79123456789")
        self.assertEqual(card.source_id.name, "Instagram ads")
        self.assertEqual(lead.phone, "+79123456789")
        self.assertEqual(lead.email_from, "vera@example.com")

    def test_without_cookies_the_source_is_the_website(self):
        self._request()
        self.assertEqual(self._leads().source_id.name, "Website")

    def test_known_phone_goes_on_a_new_flagged_card(self):
        unknown = self._request(name="Kate", phone="+79035550000")
        known = self._request(name="Kate", phone=KATYA_PHONE, email="x@example.com")
        # The same answer whatever the phone belongs to.
        self.assertIn("has your request", unknown.text)
        self.assertIn("has your request", known.text)
        self.assertNotIn("Katya", known.text)
        lead = self._leads().filtered(lambda lead: lead.phone == KATYA_PHONE)
        self.assertNotEqual(lead.partner_id, self.client)
        self.assertTrue(lead.partner_id.beauty_online_unverified)
        self.assertIn("without proving it", lead.description)
        self.assertEqual(self.client.phone, KATYA_PHONE, "the known card untouched")
        self.assertNotIn("x@example.com", self.client.email or "")

    def test_a_code_field_does_not_prove_anything(self):
        self._request(phone=KATYA_PHONE, code="123456", code_by="sms")
        lead = self._leads()
        self.assertNotEqual(lead.partner_id, self.client)
        self.assertTrue(lead.partner_id.beauty_online_unverified)

    def test_logged_in_client_asks_as_self(self):
        self.authenticate("bc_portal", "bc_portal")
        response = self._request(name=None, phone=None, email=None)
        self.assertIn("has your request", response.text)
        lead = self._leads()
        self.assertEqual(lead.partner_id, self.partner_a)
        # Portal users read no lead, not even their own.
        self.assertFalse(
            self.env["crm.lead"].with_user(self.user_portal).has_access("read")
        )

    def test_hostile_input(self):
        cases = [
            ({"name": None}, "Please tell us your name."),
            ({"name": "x" * 100000}, "Please tell us your name."),
            ({"phone": None}, "This phone number is not valid."),
            ({"phone": "<script>alert(1)</script>"}, "This phone number is not valid."),
            ({"phone": "9" * 5000}, "This phone number is not valid."),
            ({"email": "not an address"}, "This e-mail address is not valid."),
            ({"email": "a@b.c" * 10000}, "This e-mail address is not valid."),
            ({"form_stamp": "123.forged"}, "sent too fast or is too old"),
            ({"form_stamp": None}, "sent too fast or is too old"),
            ({"website_url": "http://spam.example"}, "call the salon"),
        ]
        for values, message in cases:
            with self.subTest(values=list(values)):
                response = self._request(**values)
                self.assertIn(message, response.text)
                self.assertNotIn("<script>alert", response.text)
        self.assertFalse(self._leads())
        # Script tags and huge text in the free field: stored cut and escaped.
        name = '<script>alert("n")</script>'
        response = self._request(name=name, interest="<script>alert(2)</script>" * 5000)
        self.assertIn("has your request", response.text)
        self.assertNotIn("<script>alert", response.text)
        lead = self._leads()
        self.assertNotIn("<script>", lead.description)
        self.assertIn("&lt;script&gt;", lead.description)
        self.assertLess(len(lead.description), 2000 * 2)
        self.assertEqual(lead.partner_id.name, name, "kept as text, shown escaped")

    def test_rate_limit(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "beauty_crm.booking_rate_limit", 2
        )
        for index in range(2):
            self._request(phone=f"+7903555000{index}")
        response = self._request(phone="+79035550009")
        self.assertIn("Too many bookings from your connection", response.text)
        self.assertEqual(len(self._leads()), 2)

    def test_get_on_the_submit_route_is_not_a_crash(self):
        response = self.url_open("/booking/consultation/submit")
        self.assertEqual(response.status_code, 405)
