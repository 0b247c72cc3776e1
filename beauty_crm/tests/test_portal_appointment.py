import re
from datetime import timedelta

from odoo import fields
from odoo.tests import JsonRpcException, tagged

from .test_website_booking import TZ, WebsiteBookingCommon


@tagged("post_install", "-at_install")
class TestPortalAppointment(WebsiteBookingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.beauty_free_cancellation_hours = 24
        slots = cls.env["beauty.scheduler"].get_available_slots(
            cls.service_nails, cls.day, cls.day, tz=TZ
        )
        scheduler = cls.env["beauty.scheduler"]
        cls.visit_a = scheduler.book(cls.partner_a, slots[0]["lines"], channel="phone")
        cls.visit_b = scheduler.book(cls.partner_b, slots[8]["lines"], channel="phone")
        (cls.visit_a | cls.visit_b).action_confirm()

    def _csrf(self, html):
        return re.search(r'csrf_token: "([^"]+)"', html).group(1)

    def _post(self, url, **data):
        page = self.url_open("/booking")
        return self.url_open(url, data={"csrf_token": self._csrf(page.text), **data})

    def test_clients_see_only_their_own_visits(self):
        card = self.partner_a._beauty_loyalty_card()
        card.points = 42
        self.authenticate("bc_portal", "bc_portal")
        page = self.url_open("/my/appointments")
        self.assertEqual(page.status_code, 200)
        self.assertRegex(page.text, r"o_beauty_loyalty[\s\S]*42[\s\S]*points")
        self.assertIn("/my/invoices", page.text)
        self.assertIn(self.visit_a.name, page.text)
        self.assertNotIn(self.visit_b.name, page.text)
        page = self.url_open(f"/my/appointments/{self.visit_a.id}")
        self.assertIn("Test manicure", page.text)
        self.assertIn(self.specialist.name, page.text)
        self.assertIn("2,000.00", page.text.replace("\xa0", " ").replace(" ", ","))
        # Another client's visit: sent back to the cabinet, nothing shown.
        page = self.url_open(f"/my/appointments/{self.visit_b.id}")
        self.assertNotIn(self.visit_b.name, page.text)
        self.assertNotIn(self.partner_b.name, page.text)
        response = self.url_open(f"/my/appointments/{self.visit_b.id}/ics")
        self.assertEqual(response.status_code, 404)
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["beauty_appointment_count"]}
        )
        self.assertEqual(counters["beauty_appointment_count"], 1)

    def test_public_visitor_needs_the_access_token(self):
        page = self.url_open(f"/my/appointments/{self.visit_a.id}")
        self.assertNotIn(self.visit_a.name, page.text)
        self.assertIn("/web/login", page.url)
        page = self.url_open(
            f"/my/appointments/{self.visit_a.id}?access_token=wrong-token"
        )
        self.assertNotIn(self.visit_a.name, page.text)
        page = self.url_open(self.visit_a.get_portal_url())
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.visit_a.name, page.text)
        response = self.url_open("/my/appointments")
        self.assertIn("/web/login", response.url)

    def test_ics_download(self):
        token = self.visit_a._portal_ensure_token()
        response = self.url_open(
            f"/my/appointments/{self.visit_a.id}/ics?access_token={token}"
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("text/calendar", response.headers["Content-Type"])
        self.assertIn("BEGIN:VEVENT", response.text)
        self.assertIn(
            self.visit_a.start.strftime("DTSTART:%Y%m%dT%H%M%SZ"), response.text
        )

    def test_cancel_is_a_post_with_csrf_by_the_owner_only(self):
        url = f"/my/appointments/{self.visit_a.id}/cancel"
        self.authenticate("bc_portal_b", "bc_portal_b")
        response = self.url_open(url)
        self.assertEqual(response.status_code, 405, "never a GET link")
        self._post(url, reason="not mine")
        self.assertEqual(self.visit_a.state, "confirmed", "client B cannot cancel A")
        self.authenticate("bc_portal", "bc_portal")
        response = self.url_open(url, data={"reason": "no csrf"})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.visit_a.state, "confirmed")
        response = self._post(url, reason="Feeling ill")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.visit_a.state, "cancelled")
        self.assertEqual(self.visit_a.cancel_reason, "Feeling ill")
        self.assertIn("Your visit is cancelled", response.text)
        # The freed time is offered again.
        self.assertIn(self.visit_a.start, [slot["start"] for slot in self._slots()])

    def test_reschedule_through_the_engine_within_the_policy(self):
        self.authenticate("bc_portal", "bc_portal")
        page = self.url_open(
            f"/my/appointments/{self.visit_a.id}/reschedule?day={self.day}&tz={TZ}"
        )
        self.assertEqual(page.status_code, 200)
        starts = re.findall(r'name="start"[^>]*value="([^"]+)"', page.text)
        self.assertTrue(starts)
        # The slot of client B is not offered.
        self.assertNotIn(self.visit_b.start.isoformat(), starts)
        new_start = starts[-1]
        url = f"/my/appointments/{self.visit_a.id}/reschedule/confirm"
        self.assertEqual(self.url_open(f"{url}?start={new_start}").status_code, 405)
        response = self._post(url, start=new_start, tz=TZ)
        self.assertIn("Your visit has been moved", response.text)
        self.assertEqual(self.visit_a.start.isoformat(), new_start)
        self.assertEqual(self.visit_a.state, "confirmed")
        # Onto client B's time: refused with a message, nothing changed.
        response = self._post(url, start=self.visit_b.start.isoformat(), tz=TZ)
        self.assertIn("just been booked", response.text)
        self.assertEqual(self.visit_a.start.isoformat(), new_start)
        # Garbage start: a message, never an error.
        response = self._post(url, start="'; DROP TABLE x;--", tz=TZ)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.visit_a.start.isoformat(), new_start)
        # Within the free cancellation period only.
        self.company.beauty_free_cancellation_hours = 24 * 30
        response = self._post(url, start=starts[0], tz=TZ)
        self.assertIn("can no longer be moved online", response.text)
        self.assertEqual(self.visit_a.start.isoformat(), new_start)

    def test_reschedule_onto_a_time_overlapping_its_own(self):
        """A 1 h visit at 10:00 moves to 10:30: its own busy time does not
        count against it, and the database accepts the move."""
        self.authenticate("bc_portal", "bc_portal")
        old_start = self.visit_a.start
        self.assertEqual(self.visit_a.stop - old_start, timedelta(hours=1))
        target = old_start + timedelta(minutes=30)
        page = self.url_open(
            f"/my/appointments/{self.visit_a.id}/reschedule?day={self.day}&tz={TZ}"
        )
        starts = re.findall(r'name="start"[^>]*value="([^"]+)"', page.text)
        self.assertIn(target.isoformat(), starts)
        self.assertIn((old_start + timedelta(minutes=15)).isoformat(), starts)
        self.assertNotIn(old_start.isoformat(), starts, "not the time it has")
        response = self._post(
            f"/my/appointments/{self.visit_a.id}/reschedule/confirm",
            start=target.isoformat(),
            tz=TZ,
        )
        self.assertIn("Your visit has been moved", response.text)
        self.assertEqual(self.visit_a.start, target)
        self.assertEqual(self.visit_a.stop, target + timedelta(hours=1))
        blocks = self.env["beauty.resource.block"].search(
            [("appointment_id", "=", self.visit_a.id)]
        )
        self.assertEqual(
            [(block.start, block.stop) for block in blocks],
            [(target, target + timedelta(hours=1))],
        )

    def test_review_after_a_done_visit(self):
        self.authenticate("bc_portal", "bc_portal")
        url = f"/my/appointments/{self.visit_a.id}/rate"
        self._post(url, rating="5", feedback="Lovely")
        self.assertFalse(self.visit_a.rating_ids.filtered("consumed"), "not done yet")
        self.visit_a.write({"state": "done"})
        response = self._post(url, rating="9")
        self.assertIn("from one to five stars", response.text)
        response = self._post(url, rating="5", feedback="Lovely hands")
        self.assertIn("Thank you for your review", response.text)
        rating = self.visit_a.rating_ids.filtered("consumed")
        self.assertEqual(rating.rating, 5)
        self.assertEqual(rating.feedback, "Lovely hands")
        self.assertEqual(rating.partner_id, self.partner_a)
        self.assertEqual(rating.rated_partner_id, self.user_specialist.partner_id)
        self.assertEqual(self.visit_a.rating_last_value, 5)
        self._post(url, rating="1")
        self.assertEqual(len(self.visit_a.rating_ids.filtered("consumed")), 1)
        self.authenticate("bc_portal_b", "bc_portal_b")
        self._post(url, rating="1")
        self.assertEqual(self.visit_a.rating_ids.filtered("consumed").rating, 5)

    def test_hostile_routes_never_fail(self):
        self.authenticate("bc_portal", "bc_portal")
        for url in (
            "/my/appointments/abc",
            "/my/appointments/-1",
            "/my/appointments/999999999",
            "/my/appointments?filterby=<script>",
            "/my/appointments/page/99",
            f"/my/appointments/{self.visit_a.id}?message=<b>x</b>&error=nope",
            f"/my/appointments/{self.visit_a.id}/reschedule?day=garbage",
            f"/my/appointments/{self.visit_a.id}/ics?access_token=x",
            "/my/appointments/999999999/ics",
        ):
            with self.subTest(url=url):
                response = self.url_open(url)
                self.assertNotEqual(response.status_code, 500)
                self.assertNotIn("<b>x</b>", response.text)
                self.assertNotIn("Traceback", response.text)
        for url in (
            "/my/appointments/999999999/cancel",
            "/my/appointments/999999999/confirm",
            f"/my/appointments/{self.visit_b.id}/confirm",
        ):
            response = self._post(url)
            self.assertNotEqual(response.status_code, 500)
        self.assertEqual(self.visit_b.state, "confirmed")

    def test_hold_with_deposit_is_confirmed_by_the_payment(self):
        if not self.company.chart_template:
            self.env["account.chart.template"].try_loading(
                "generic_coa", self.company, install_demo=False
            )
        bank = self.env["account.journal"].search(
            [("type", "=", "bank"), ("company_id", "=", self.company.id)], limit=1
        )
        # The provider's journal gets its outstanding accounts when the first
        # deposit is paid: nothing to set up here.
        self.company.write(
            {"beauty_deposit_mode": "fixed", "beauty_deposit_amount": 500}
        )
        # The accounting side of the test provider: its payments are booked in
        # the bank journal, as a real provider's would be.
        self.env["account.payment.method"].sudo().create(
            {"name": "Test provider", "code": "none", "payment_type": "inbound"}
        )
        provider = self.env["payment.provider"].create(
            {
                "name": "Test provider",
                "code": "none",
                "state": "test",
                "is_published": True,
                "company_id": self.company.id,
                "journal_id": bank.id,
                "payment_method_ids": [
                    (6, 0, [self.env.ref("payment.payment_method_unknown").id])
                ],
            }
        )
        self.env.ref("payment.payment_method_unknown").active = True
        slot = self._slots()[-1]
        response = self._submit(slot)
        appointment = self._appointments()
        self.assertEqual(appointment.deposit_amount, 500)
        self.assertIn("Pay the deposit", response.text)
        self.assertIn("o_payment_form", response.text)
        self.assertNotIn("Confirm the visit", response.text)
        # Confirming without paying is refused.
        token = appointment.access_token
        csrf = self._csrf(response.text)
        self.url_open(
            f"/my/appointments/{appointment.id}/confirm",
            data={"csrf_token": csrf, "access_token": token},
        )
        self.assertEqual(appointment.state, "draft")
        # The browser cannot choose the amount: the appointment does.
        values = self.make_jsonrpc_request(
            f"/my/appointments/{appointment.id}/transaction",
            {
                "access_token": token,
                "provider_id": provider.id,
                "payment_method_id": self.env.ref("payment.payment_method_unknown").id,
                "token_id": None,
                "amount": 1,
                "flow": "direct",
                "tokenization_requested": False,
                "landing_route": appointment.get_portal_url(),
                "is_validation": False,
            },
        )
        tx = self.env["payment.transaction"].search(
            [("reference", "=", values["reference"])]
        )
        self.assertEqual(tx.amount, 500)
        self.assertEqual(tx.beauty_appointment_ids, appointment)
        self.assertTrue(tx.reference.startswith(appointment.name))
        tx._set_done()
        tx._post_process()
        self.assertEqual(appointment.state, "confirmed")
        self.assertFalse(appointment.hold_expires_at)
        # The payment is the visit's deposit: a customer advance.
        self.assertEqual(tx.payment_id.beauty_appointment_id, appointment)
        self.assertEqual(appointment.deposit_paid, 500)
        # Another visitor's token cannot create a transaction: the request is
        # complete and valid for the other visitor's hold but for the token.
        other = self._submit(
            self._slots()[0], name="Olga Other", phone="+7 912 345-67-00"
        )
        self.assertEqual(other.status_code, 200)
        other_hold = self._appointments() - appointment
        self.assertEqual(len(other_hold), 1)
        self.assertEqual(other_hold._beauty_deposit_due(), 500)
        request = {
            "provider_id": provider.id,
            "payment_method_id": self.env.ref("payment.payment_method_unknown").id,
            "token_id": None,
            "amount": 500,
            "flow": "direct",
            "tokenization_requested": False,
            "landing_route": other_hold.get_portal_url(),
            "is_validation": False,
        }
        url = f"/my/appointments/{other_hold.id}/transaction"
        with self.assertRaises(JsonRpcException):
            self.make_jsonrpc_request(url, {"access_token": token, **request})
        self.assertFalse(other_hold.sudo().transaction_ids)
        # The same request with the hold's own token goes through.
        values = self.make_jsonrpc_request(
            url, {"access_token": other_hold.access_token, **request}
        )
        self.assertEqual(
            other_hold.sudo().transaction_ids.reference, values["reference"]
        )

    def test_hold_expired_page_does_not_confirm(self):
        slot = self._slots()[-1]
        self._submit(slot)
        appointment = self._appointments()
        appointment.hold_expires_at = fields.Datetime.now() - timedelta(seconds=1)
        page = self.url_open(appointment.get_portal_url())
        self.assertEqual(appointment.state, "cancelled")
        self.assertNotIn("Confirm the visit", page.text)
