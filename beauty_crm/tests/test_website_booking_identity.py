import re

from odoo import fields
from odoo.tests import tagged

from .test_website_booking import WebsiteBookingCommon

KATYA_PHONE = "+79161112233"


@tagged("post_install", "-at_install")
class TestWebsiteBookingIdentity(WebsiteBookingCommon):
    """A visitor who types a known phone or e-mail books on that card only
    after proving it with a one-time code; until then on a new card that the
    front desk merges, and the page says nothing about the known card."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.client.write({"phone": "+7 916 111-22-33"})

    def _ask_code(self, slot, code_by="email", products=None, **values):
        return self._submit(
            slot, products=products, step="code", code_by=code_by, **values
        )

    def _emailed_code(self, partner):
        mail = self.env["mail.mail"].search(
            [("recipient_ids", "in", partner.ids)], order="id desc", limit=1
        )
        self.assertTrue(mail, "the code goes out through Odoo's mail queue")
        return re.search(r"\b(\d{6})\b", str(mail.body_html)).group(1)

    def _texted_code(self, partner):
        sms = self.env["sms.sms"].search(
            [("partner_id", "=", partner.id)], order="id desc", limit=1
        )
        self.assertTrue(sms, "the code goes out through Odoo's SMS queue")
        self.assertEqual(sms.number, KATYA_PHONE)
        return re.search(r"\b(\d{6})\b", sms.body).group(1)

    def test_known_phone_without_code_books_on_a_new_flagged_card(self):
        slot = self._slots()[0]
        response = self._submit(
            slot, name="Someone Else", phone=KATYA_PHONE, email="other@example.com"
        )
        self.assertEqual(response.status_code, 200)
        appointment = self._appointments()
        self.assertEqual(len(appointment), 1)
        card = appointment.partner_id
        self.assertNotEqual(card, self.client, "never the card of the phone's owner")
        self.assertEqual(card.name, "Someone Else")
        self.assertTrue(card.beauty_online_unverified)
        self.assertEqual(card.company_id, self.company)
        self.assertIn(self.client, card.duplicate_partner_ids, "the desk's banner")
        self.assertIn("merge", appointment.note)
        self.assertFalse(self._appointments(self.client))
        self.assertNotIn("Katya", response.text)
        self.assertNotIn("katya@example.com", response.text)
        self.assertEqual(self.client.name, "Katya Client", "the card is not changed")
        # A phone nobody has: a new card, not flagged.
        self._submit(self._slots()[-1], phone="+7 903 000-00-01", email="")
        fresh = self._appointments() - appointment
        self.assertFalse(fresh.partner_id.beauty_online_unverified)

    def test_page_answers_the_same_whatever_the_card_holds(self):
        """Blacklisted, contraindicated, returning or unknown: without proof
        the visitor gets the same hold with the same first-visit deposit."""
        self.company.write(
            {
                "beauty_deposit_mode": "fixed",
                "beauty_deposit_amount": 500,
                "beauty_deposit_first_visit_only": True,
            }
        )
        self.partner_b.write(
            {
                "phone": "+7 916 222-33-44",
                "client_blacklisted": True,
                "client_blacklist_reason": "Rude to staff",
            }
        )
        regular = self.env["res.partner"].create(
            {"name": "Rita Regular", "is_salon_client": True, "phone": "+79163334455"}
        )
        done = self._book(regular, self._slots(day=self.day)[-1])
        done.state = "done"
        slots = self._slots(self.service_colour)
        answers = []
        for index, phone in enumerate(
            (KATYA_PHONE, "+79162223344", "+79163334455", "+79035550000")
        ):
            response = self._submit(
                slots[index * 8], products=self.service_colour, phone=phone, email=""
            )
            self.assertEqual(response.status_code, 200)
            self.assertNotIn("call the salon", response.text)
            self.assertNotIn("PPD", response.text)
            self.assertNotIn("Rude", response.text)
            page = re.sub(r"\d+", "N", response.text)
            page = re.sub(r'value="[^"]*"', "", page)
            answers.append(
                (
                    "/my/appointments/" in response.url,
                    "Pay the deposit" in response.text,
                    len(re.findall(r"o_beauty_\w+", page)),
                )
            )
        visits = self._appointments()
        self.assertEqual(len(visits), 4)
        self.assertEqual(set(visits.mapped("deposit_amount")), {500})
        self.assertEqual(len(set(answers)), 1, answers)
        self.assertFalse(visits.partner_id & (self.client | self.partner_b | regular))

    def test_code_by_email_books_on_the_card_and_its_rules_apply(self):
        slot = self._slots()[0]
        response = self._ask_code(slot, email="KATYA@example.com")
        self.assertIn("we have sent it a code", response.text)
        self.assertIn('name="code"', response.text)
        self.assertIn('value="KATYA@example.com"', response.text, "form kept")
        code = self._emailed_code(self.client)
        otp = self.env["beauty.booking.otp"].search(
            [("partner_id", "=", self.client.id)]
        )
        self.assertNotIn(code, otp.code_hash, "only a hash is stored")
        # A wrong code: a message, no booking, the guess counted.
        wrong = f"{(int(code) + 1) % 10**6:06d}"
        response = self._submit(
            slot, email="katya@example.com", code_by="email", code=wrong
        )
        self.assertIn("This code is wrong or has expired", response.text)
        self.assertFalse(self._appointments())
        self.assertEqual(otp.failure_count, 1)
        response = self._submit(
            slot, name="K.", email="katya@example.com", code_by="email", code=code
        )
        appointment = self._appointments()
        self.assertEqual(appointment.partner_id, self.client)
        self.assertIn("K.", appointment.note, "the desk sees what was typed")
        self.assertTrue(otp.used, "a code books once")
        self.assertNotIn("Katya", response.text)
        # Proven, the card's real rules apply: the dye allergy.
        self._ask_code(slot, email="katya@example.com", products=self.service_colour)
        code = self._emailed_code(self.client)
        colour = self._slots(self.service_colour)[-1]
        response = self._submit(
            colour,
            products=self.service_colour,
            email="katya@example.com",
            code_by="email",
            code=code,
        )
        self.assertIn("call the salon", response.text)
        self.assertIn("+7 495 000-00-00", response.text)
        self.assertNotIn("PPD", response.text, "health data is never shown")
        self.assertEqual(len(self._appointments()), 1)

    def test_code_by_sms_and_blacklist_after_proof(self):
        self.client.write(
            {"client_blacklisted": True, "client_blacklist_reason": "Rude to staff"}
        )
        slot = self._slots()[0]
        response = self._ask_code(slot, code_by="sms", phone="8 916 111-22-33")
        self.assertIn("sent it a code by SMS", response.text)
        code = self._texted_code(self.client)
        response = self._submit(slot, phone=KATYA_PHONE, code_by="sms", code=code)
        self.assertIn("call the salon", response.text)
        self.assertNotIn("Rude", response.text)
        self.assertFalse(self._appointments())

    def test_code_answer_is_the_same_for_unknown_and_other_branch_contacts(self):
        other = self.env["res.company"].create({"name": "Other branch"})
        stranger = self.env["res.partner"].create(
            {
                "name": "Other Branch Client",
                "is_salon_client": True,
                "phone": "+79164445566",
                "company_id": other.id,
            }
        )
        slot = self._slots()[0]
        known = self._ask_code(slot, code_by="sms", phone=KATYA_PHONE)
        unknown = self._ask_code(slot, code_by="sms", phone="+79035550000")
        foreign = self._ask_code(slot, code_by="sms", phone="+79164445566")
        for response in (known, unknown, foreign):
            self.assertIn("If this phone number is on a client card", response.text)
        self.assertTrue(
            self.env["sms.sms"].search([("partner_id", "=", self.client.id)])
        )
        self.assertFalse(self.env["sms.sms"].search([("number", "=", "+79035550000")]))
        self.assertFalse(self.env["sms.sms"].search([("partner_id", "=", stranger.id)]))
        # A code never matches another branch's card; booking there is new.
        response = self._submit(slot, phone="+79164445566", code="123456")
        self.assertIn("This code is wrong or has expired", response.text)
        self._submit(slot, phone="+79164445566")
        card = self._appointments().partner_id
        self.assertNotEqual(card, stranger)
        self.assertFalse(
            card.beauty_online_unverified, "other branches are not matched"
        )

    def test_codes_are_limited(self):
        slot = self._slots()[0]
        for _index in range(4):
            self._ask_code(slot, code_by="sms", phone=KATYA_PHONE)
        texts = self.env["sms.sms"].search([("partner_id", "=", self.client.id)])
        self.assertEqual(len(texts), 3, "at most three codes per card in 10 minutes")
        code = self._texted_code(self.client)
        otp = self.env["beauty.booking.otp"].search(
            [("partner_id", "=", self.client.id)], limit=1
        )
        for guess in range(5):
            self._submit(slot, phone=KATYA_PHONE, code=f"{guess:06d}x")
        self.assertEqual(otp.failure_count, 5)
        response = self._submit(slot, phone=KATYA_PHONE, code_by="sms", code=code)
        self.assertIn("This code is wrong or has expired", response.text)
        self.assertFalse(self._appointments())
        otp.failure_count = 0
        otp.expires_at = fields.Datetime.now()
        response = self._submit(slot, phone=KATYA_PHONE, code_by="sms", code=code)
        self.assertIn("This code is wrong or has expired", response.text)

    def test_hostile_code_requests_never_fail(self):
        slot = self._slots()[0]
        for values in (
            {"code_by": "fax"},
            {"code_by": "email", "email": ""},
            {"code_by": "email", "email": "x" * 100000},
            {"code_by": "sms", "phone": "'; DROP TABLE x;--"},
            {"code_by": "sms", "phone": KATYA_PHONE, "code": "9" * 5000},
            {"code_by": "sms", "phone": KATYA_PHONE, "website_url": "http://spam"},
        ):
            with self.subTest(values=str(values)[:60]):
                response = self._ask_code(slot, **values)
                self.assertEqual(response.status_code, 200)
                self.assertNotIn("Traceback", response.text)
        response = self._submit(slot, phone=KATYA_PHONE, code="9" * 5000)
        self.assertEqual(response.status_code, 200)
        self.assertIn("This code is wrong or has expired", response.text)
        self.assertFalse(self._appointments())
