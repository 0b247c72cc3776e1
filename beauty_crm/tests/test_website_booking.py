import re
from datetime import date, timedelta

from odoo import fields
from odoo.fields import Command
from odoo.tests import HttpCase, tagged

from odoo.addons.mail.tests.common import mail_new_test_user

from .common import BeautyCommon

TZ = "Europe/Moscow"


class WebsiteBookingCommon(BeautyCommon, HttpCase):
    """A service anyone can have, two portal clients and a bookable day."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {
                "country_id": cls.env.ref("base.ru").id,
                "phone": "+7 495 000-00-00",
                "beauty_deposit_mode": "none",
            }
        )
        cls.service_nails = cls.env["product.product"].create(
            {
                "name": "Test manicure",
                "type": "service",
                "is_salon_service": True,
                "service_duration": 1.0,
                "list_price": 2000,
                "specialist_ids": [Command.link(cls.specialist.id)],
            }
        )
        cls.user_portal_b = mail_new_test_user(
            cls.env,
            login="bc_portal_b",
            name="Bella Portal",
            groups="base.group_portal",
        )
        cls.partner_a = cls.user_portal.partner_id
        cls.partner_b = cls.user_portal_b.partner_id
        (cls.partner_a | cls.partner_b).write({"is_salon_client": True})
        # A working day (Monday to Saturday) far enough from today.
        day = date.today() + timedelta(days=3)
        while day.weekday() == 6:
            day += timedelta(days=1)
        cls.day = day
        # Only the appointments of the test count (the database may hold demo).
        cls.last_appointment_id = max(
            cls.env["beauty.appointment"].search([]).ids, default=0
        )
        cls.last_partner_id = max(
            cls.env["res.partner"].with_context(active_test=False).search([]).ids
        )
        params = cls.env["ir.config_parameter"].sudo()
        params.set_param("beauty_crm.booking_min_fill_seconds", 0)
        params.set_param("beauty_crm.booking_rate_limit", 50)

    def _slots(self, products=None, day=None, employee=None):
        return self.env["beauty.scheduler"].get_available_slots(
            products or self.service_nails,
            day or self.day,
            day or self.day,
            employee=employee,
            tz=TZ,
        )

    def _book(self, partner, slot=None, products=None, confirm=True):
        slot = slot or self._slots(products)[0]
        appointment = self.env["beauty.scheduler"].book(
            partner, slot["lines"], channel="phone"
        )
        if confirm:
            appointment.action_confirm()
        return appointment

    def _form_values(self, html):
        return dict(re.findall(r'name="(csrf_token|form_stamp)" value="([^"]*)"', html))

    def _contact_url(self, slot, products=None, employee="any"):
        products = products or self.service_nails
        return (
            f"/booking/contact?service_ids={','.join(map(str, products.ids))}"
            f"&employee_id={employee}&start={slot['start'].isoformat()}&tz={TZ}"
        )

    def _submit(self, slot, products=None, **values):
        """Open the contact form of ``slot`` and send it with ``values``."""
        products = products or self.service_nails
        page = self.url_open(self._contact_url(slot, products))
        self.assertEqual(page.status_code, 200)
        data = {
            "service_ids": ",".join(map(str, products.ids)),
            "employee_id": "any",
            "start": fields.Datetime.to_string(slot["start"]),
            "tz": TZ,
            "name": "Vera Visitor",
            "phone": "+7 912 345-67-89",
            "email": "vera@example.com",
            **self._form_values(page.text),
        }
        data.update(values)
        return self.url_open("/booking/submit", data=data)

    def _new_partners(self):
        return (
            self.env["res.partner"]
            .with_context(active_test=False)
            .search([("id", ">", self.last_partner_id)])
        )

    def _appointments(self, partner=None):
        domain = [("channel", "=", "website"), ("id", ">", self.last_appointment_id)]
        if partner:
            domain.append(("partner_id", "=", partner.id))
        return self.env["beauty.appointment"].search(domain)


@tagged("post_install", "-at_install")
class TestWebsiteBooking(WebsiteBookingCommon):
    def test_pages_show_engine_slots_in_client_time_zone(self):
        page = self.url_open("/booking")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Test manicure", page.text)
        self.assertIn("Book online", page.text, "the website menu links to booking")
        page = self.url_open(
            f"/booking/slots?service_ids={self.service_nails.id}&day={self.day}&tz={TZ}"
        )
        self.assertEqual(page.status_code, 200)
        slots = self._slots()
        self.assertTrue(slots)
        shown = re.findall(
            r'class="btn btn-outline-primary o_beauty_slot"[^>]*>([^<]+)<', page.text
        )
        self.assertEqual(shown, [slot["time"] for slot in slots])
        # Moscow salon opens at 10:00 local time, i.e. 07:00 UTC.
        self.assertEqual(shown[0], "10:00")
        self.assertIn(self.specialist.name, page.text)
        # Another time zone moves the labels, not the availability.
        page = self.url_open(
            f"/booking/slots?service_ids={self.service_nails.id}&day={self.day}"
            "&tz=Asia/Yekaterinburg"
        )
        self.assertIn(">12:00<", page.text)

    def test_new_client_books_with_utm_source_and_normalised_phone(self):
        self.opener.cookies.set("odoo_utm_source", "Instagram ads")
        slot = self._slots()[0]
        response = self._submit(slot, phone="8 (912) 345-67-89", note="First time")
        self.assertEqual(response.status_code, 200)
        appointment = self._appointments()
        self.assertEqual(len(appointment), 1)
        self.assertEqual(appointment.state, "draft")
        self.assertTrue(appointment.hold_expires_at > fields.Datetime.now())
        self.assertEqual(appointment.start, slot["start"])
        client = appointment.partner_id
        self.assertEqual(client.name, "Vera Visitor")
        self.assertTrue(client.is_salon_client)
        self.assertEqual(client.phone, "+79123456789")
        self.assertEqual(client.source_id.name, "Instagram ads")
        self.assertIn("First time", appointment.note)
        self.assertIn(f"/my/appointments/{appointment.id}", response.url)
        self.assertIn("access_token=", response.url)
        self.assertIn("Confirm the visit", response.text)
        # Confirming is a POST with the CSRF token and the access token.
        token = appointment.access_token
        csrf = self._form_values(response.text)["csrf_token"]
        response = self.url_open(
            f"/my/appointments/{appointment.id}/confirm",
            data={"csrf_token": csrf, "access_token": token},
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(appointment.state, "confirmed")
        self.assertFalse(appointment.hold_expires_at)
        self.assertIn("Your visit is confirmed", response.text)

    def test_slot_taken_meanwhile_shows_a_message(self):
        slot = self._slots()[0]
        self._book(self.partner_b, slot)
        response = self._submit(slot)
        self.assertEqual(response.status_code, 200)
        self.assertIn("has just been booked by someone else", response.text)
        self.assertNotIn(self.partner_b.name, response.text)
        self.assertFalse(self._appointments())

    def test_hold_expires_and_frees_the_time(self):
        slot = self._slots()[0]
        self._submit(slot)
        appointment = self._appointments()
        self.assertNotIn(slot["start"], [s["start"] for s in self._slots()])
        appointment.hold_expires_at = fields.Datetime.now() - timedelta(minutes=1)
        self.assertEqual(
            self.env["beauty.appointment"]._cron_release_expired_holds(), 1
        )
        self.assertEqual(appointment.state, "cancelled")
        self.assertIn(slot["start"], [s["start"] for s in self._slots()])
        # The client comes back too late: a message, never a confirmation.
        page = self.url_open(appointment.get_portal_url())
        self.assertNotIn("Confirm the visit", page.text)

    def test_logged_in_client_books_as_self(self):
        self.authenticate("bc_portal", "bc_portal")
        slot = self._slots()[0]
        page = self.url_open(self._contact_url(slot))
        self.assertNotIn('name="phone"', page.text)
        self._submit(slot, name="", phone="", email="")
        self.assertEqual(self._appointments().partner_id, self.partner_a)


@tagged("post_install", "-at_install")
class TestWebsiteBookingDefences(WebsiteBookingCommon):
    def test_state_changes_need_post_and_csrf(self):
        slot = self._slots()[0]
        response = self.url_open(
            f"/booking/submit?service_ids={self.service_nails.id}&start={slot['start']}"
            "&name=Robot&phone=%2B79123456789"
        )
        self.assertEqual(response.status_code, 405)
        page = self.url_open(self._contact_url(slot))
        stamp = self._form_values(page.text)["form_stamp"]
        response = self.url_open(
            "/booking/submit",
            data={
                "service_ids": self.service_nails.id,
                "employee_id": "any",
                "start": fields.Datetime.to_string(slot["start"]),
                "name": "Robot",
                "phone": "+79123456789",
                "form_stamp": stamp,
            },
        )
        self.assertEqual(response.status_code, 400, "no CSRF token, no booking")
        self.assertFalse(self._appointments())

    def test_honeypot_and_fill_time_stop_robots(self):
        slot = self._slots()[0]
        response = self._submit(slot, website_url="http://spam.example.com")
        self.assertIn("call the salon", response.text)
        self.assertFalse(self._appointments())
        self.env["ir.config_parameter"].sudo().set_param(
            "beauty_crm.booking_min_fill_seconds", 60
        )
        response = self._submit(slot)
        self.assertIn("sent too fast", response.text)
        response = self._submit(slot, form_stamp="1700000000.forged")
        self.assertIn("sent too fast", response.text)
        self.assertFalse(self._appointments())

    def test_rate_limit_per_visitor(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "beauty_crm.booking_rate_limit", 2
        )
        slots = self._slots()
        for index in range(2):
            self._submit(slots[index * 4], phone=f"+7 912 345-67-8{index}")
        self.assertEqual(len(self._appointments()), 2)
        response = self._submit(slots[12], phone="+7 912 345-67-88")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Too many bookings", response.text)
        self.assertEqual(len(self._appointments()), 2)
        attempts = self.env["beauty.booking.attempt"].sudo().search([])
        self.assertNotIn("127.0.0.1", attempts.mapped("visitor_hash"))

    def test_pages_show_only_their_own_messages(self):
        hostile = "<script>alert(1)</script>Call 0900-FAKE now"
        service = self.service_nails.id
        for url in (
            f"/booking?error={hostile}",
            f"/booking/slots?service_ids={service}&day={self.day}&message={hostile}",
        ):
            with self.subTest(url=url):
                response = self.url_open(url)
                self.assertEqual(response.status_code, 200)
                self.assertNotIn("0900-FAKE", response.text)
                self.assertNotIn("<script>alert(1)", response.text)
        # A known code shows the page's own translated text.
        response = self.url_open("/booking?error=taken")
        self.assertIn("has just been booked by someone else", response.text)
        response = self.url_open(
            f"/booking/slots?service_ids={service}&day={self.day}&message=expired"
        )
        self.assertIn("The time held for you has run out", response.text)

    def test_hostile_input_gives_a_message_never_an_error(self):
        other_company = self.env["res.company"].create({"name": "Other branch"})
        foreign = self.env["product.product"].create(
            {
                "name": "Foreign service",
                "type": "service",
                "is_salon_service": True,
                "company_id": other_company.id,
            }
        )
        not_a_service = self.env["product.product"].create({"name": "Shampoo"})
        # The other branch has its own partner: count from here.
        self.last_partner_id = other_company.partner_id.id
        service = self.service_nails.id
        urls = [
            "/booking/slots",
            "/booking/slots?service_ids=abc",
            "/booking/slots?service_ids=-1",
            "/booking/slots?service_ids=99999999999999999999",
            f"/booking/slots?service_ids={foreign.id}",
            f"/booking/slots?service_ids={not_a_service.id}",
            f"/booking/slots?service_ids={service}&day=2026-13-45",
            f"/booking/slots?service_ids={service}&day=1999-01-01",
            f"/booking/slots?service_ids={service}&day='%3B DROP TABLE x%3B--",
            f"/booking/slots?service_ids={service}&employee_id=abc",
            f"/booking/slots?service_ids={service}&employee_id=-5",
            f"/booking/slots?service_ids={service}&tz=Mars/Olympus",
            f"/booking/slots?service_ids={service}&day={'x' * 5000}",
            f"/booking/contact?service_ids={service}&start=garbage",
            f"/booking/contact?service_ids={service}",
        ]
        for url in urls:
            with self.subTest(url=url[:80]):
                response = self.url_open(url)
                self.assertEqual(response.status_code, 200)
                self.assertRegex(
                    response.text, r"o_beauty_booking_error|o_beauty_slots|no_slots"
                )
        # The GET pages create nothing.
        self.assertFalse(self._new_partners())
        # Missing or absurd posted values.
        slot = self._slots()[0]
        for values in (
            {"name": ""},
            {"name": "x" * 100000},
            {"phone": "not a phone"},
            {"phone": ""},
            {"email": "not-an-email"},
            {"start": "2026-02-30 25:00:00"},
            {"service_ids": ""},
            {"employee_id": str(2**40)},
        ):
            with self.subTest(values=str(values)[:60]):
                response = self._submit(slot, **values)
                self.assertEqual(response.status_code, 200)
                self.assertIn("o_beauty_booking_error", response.text)
        self.assertFalse(self._appointments())
        self.assertFalse(self._new_partners(), "a refused booking leaves no card")
        for kind in ("service", "specialist", "other"):
            response = self.url_open(f"/booking/image/{kind}/{not_a_service.id + 1000}")
            self.assertEqual(response.status_code, 404)
