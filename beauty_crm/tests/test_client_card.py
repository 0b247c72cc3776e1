import base64
from datetime import timedelta
from io import BytesIO

from freezegun import freeze_time
from PIL import Image

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged, users

from .common import NOW, BeautyCommon


def _photo():
    image = BytesIO()
    Image.new("RGB", (4, 4), "red").save(image, "PNG")
    return base64.b64encode(image.getvalue())


PIXEL = _photo()


class ClientCardCommon(BeautyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.country_id = cls.env.ref("base.ru")
        # No allergen on this service: booking it never needs an approval.
        cls.service_facial = cls.env["product.product"].create(
            {
                "name": "Test facial",
                "type": "service",
                "is_salon_service": True,
                "service_duration": 1.0,
                "list_price": 4000,
                "specialist_ids": [(4, cls.specialist.id)],
            }
        )

    def _client(self, **vals):
        return self.env["res.partner"].create(
            dict({"name": "Olga Test", "is_salon_client": True}, **vals)
        )

    def _book(self, client, start):
        """Book the facial at ``start`` (UTC, within the salon's hours)."""
        return self.env["beauty.appointment"].create(
            {
                "partner_id": client.id,
                "line_ids": [
                    Command.create(
                        {
                            "product_id": self.service_facial.id,
                            "employee_id": self.specialist.id,
                            "start": start,
                        }
                    )
                ],
            }
        )


@tagged("post_install", "-at_install")
class TestClientPhones(ClientCardCommon):
    def test_phone_normalized_with_company_country(self):
        client = self._client(phone="8 (916) 123-45-67", mobile="+7 903 555 12 34")
        self.assertEqual(client.phone, "+79161234567")
        self.assertEqual(client.mobile, "+79035551234")
        client.phone = "916 765 43 21"
        self.assertEqual(client.phone, "+79167654321")

    def test_phone_read_in_client_country(self):
        client = self._client(
            phone="06 12 34 56 78", country_id=self.env.ref("base.fr").id
        )
        self.assertEqual(client.phone, "+33612345678")

    def test_invalid_phone_refused(self):
        count = self.env["res.partner"].search_count([])
        for number in ("12345", "+7 916 12", "call me", "+999 123 456 789"):
            with self.assertRaises(ValidationError) as caught:
                self._client(phone=number)
            self.assertIn(number, str(caught.exception))
            self.assertIn("country code", str(caught.exception))
        self.assertEqual(self.env["res.partner"].search_count([]), count)
        client = self._client(phone="+79161234567")
        with self.assertRaises(ValidationError):
            client.write({"phone": "8 916"})
        self.assertEqual(client.phone, "+79161234567")

    def test_becoming_a_client_normalizes_and_checks(self):
        contact = self.env["res.partner"].create(
            {"name": "Lead", "phone": "8 916 111 22 33"}
        )
        contact.is_salon_client = True
        self.assertEqual(contact.phone, "+79161112233")
        wrong = self.env["res.partner"].create({"name": "Wrong", "phone": "42"})
        with self.assertRaises(ValidationError):
            wrong.is_salon_client = True

    def test_other_contacts_keep_odoo_behaviour(self):
        partner = self.env["res.partner"].create({"name": "Supplier", "phone": "12345"})
        self.assertEqual(partner.phone, "12345")
        self.assertFalse(partner.company_id)
        self.assertFalse(partner.client_category)
        self.assertEqual(partner.visit_count, 0)

    @users("bc_reception")
    def test_receptionist_creates_client_in_own_company(self):
        client = (
            self.env["res.partner"]
            .with_context(default_is_salon_client=True)
            .create({"name": "Walk-in", "phone": "8 916 000 11 22"})
        )
        self.assertEqual(client.company_id, self.company)
        self.assertEqual(client.phone, "+79160001122")


@tagged("post_install", "-at_install")
class TestClientDuplicates(ClientCardCommon):
    def test_same_phone_flagged_on_create(self):
        first = self._client(name="Olga Petrova", phone="+7 985 010-20-30")
        second = self._client(name="Olga P.", phone="8 985 010 20 30")
        self.assertEqual(second.duplicate_partner_ids, first)
        self.assertEqual(first.duplicate_partner_ids, second)
        note = second.message_ids.filtered(lambda m: "Possible duplicate" in m.body)
        self.assertTrue(note)
        self.assertIn("Olga Petrova", note.body)
        unrelated = self._client(name="Other", phone="+7 985 010 20 31")
        self.assertFalse(unrelated.duplicate_partner_ids)
        self.assertFalse(
            unrelated.message_ids.filtered(lambda m: "Possible duplicate" in m.body)
        )

    def test_same_email_flagged(self):
        self.assertEqual(
            self._client(
                name="Katya K.", email="KATYA@example.com"
            ).duplicate_partner_ids,
            self.client,
        )

    @users("bc_manager")
    def test_merge_wizard_keeps_health_data(self):
        first = self._client(
            name="Olga Petrova", phone="+79850102030", email="olga.merge@example.com"
        )
        second = self._client(
            name="Olga P.",
            phone="89850102030",
            email="olga.merge@example.com",
            allergen_ids=[Command.link(self.allergen_ppd.id)],
        )
        action = second.action_beauty_merge_duplicates()
        self.assertEqual(action["res_model"], "base.partner.merge.automatic.wizard")
        self.assertEqual(set(action["context"]["active_ids"]), {first.id, second.id})
        wizard = (
            self.env[action["res_model"]].with_context(**action["context"]).create({})
        )
        self.assertEqual(wizard.partner_ids, first | second)
        kept = wizard.dst_partner_id
        wizard.action_merge()
        self.assertEqual((first | second).exists(), kept)
        self.assertEqual(kept.allergen_ids, self.allergen_ppd)
        self.assertTrue(kept.has_health_alert)
        self.assertIn("Test dye PPD", kept.health_alert)


@tagged("post_install", "-at_install")
class TestClientHistory(ClientCardCommon):
    def test_history_follows_appointments(self):
        client = self._client()
        with freeze_time(NOW):
            # Thursday, Friday and Saturday 11:00 in Moscow.
            slots = [NOW + timedelta(days=day, hours=-1) for day in (1, 2, 3)]
            appointments = [self._book(client, start) for start in slots]
            self.assertEqual(client.next_appointment_start, slots[0])
            self.assertEqual(client.visit_count, 0)
            self.assertEqual(client.client_category, "new")
            self.assertEqual(client.appointment_count, 3)
        with freeze_time(slots[1] + timedelta(hours=2)):
            appointments[0].state = "done"
            self.assertEqual(client.visit_count, 1)
            self.assertEqual(client.client_category, "new")
            appointments[1].state = "done"
            self.assertEqual(client.visit_count, 2)
            self.assertEqual(client.first_visit_date, slots[0])
            self.assertEqual(client.last_visit_date, slots[1])
            self.assertEqual(client.total_spent, 8000)
            self.assertEqual(client.average_ticket, 4000)
            self.assertEqual(client.client_category, "regular")
            self.assertEqual(client.next_appointment_start, slots[2])
            self.assertEqual(
                client.next_visit_date,
                slots[1].date() + timedelta(days=self.company.beauty_recall_days),
            )
            self.assertEqual(
                client.visit_line_ids.appointment_id, appointments[0] | appointments[1]
            )
            self.assertEqual(client.upcoming_appointment_ids, appointments[2])
            appointments[1].line_ids.price_unit = 5000
            self.assertEqual(client.total_spent, 9000)
            self.assertEqual(client.average_ticket, 4500)
            appointments[2].state = "cancelled"
            self.assertFalse(client.next_appointment_start)
            self.assertFalse(client.upcoming_appointment_ids)
            # The card stores what lists and filters need.
            self.assertEqual(
                self.env["res.partner"].search(
                    [
                        ("visit_count", "=", 2),
                        ("total_spent", "=", 9000),
                        # not the demo salon's clients
                        ("create_date", ">=", client.create_date),
                    ]
                ),
                client,
            )

    def test_category_lost_vip_and_daily_cron(self):
        client = self._client()
        with freeze_time(NOW):
            first = self._book(client, NOW + timedelta(days=1, hours=-1))
        with freeze_time(NOW + timedelta(days=2)):
            first.state = "done"
            self.assertEqual(client.client_category, "new")
        # Nothing changes on the card, but time passes: the cron notices.
        with freeze_time(NOW + timedelta(days=200)):
            self.env["res.partner"]._cron_beauty_recompute_history()
            self.assertEqual(client.client_category, "lost")
            self.company.beauty_lost_after_days = 365
            self.env["res.partner"]._cron_beauty_recompute_history()
            self.assertEqual(client.client_category, "new")
            self.company.beauty_lost_after_days = 180
            # A new booking brings the client back at once.
            later = self._book(client, NOW + timedelta(days=202, hours=-1))
            self.assertEqual(client.client_category, "new")
            later.state = "cancelled"
            self.assertEqual(client.client_category, "lost")
        with freeze_time(NOW + timedelta(days=3)):
            self.company.beauty_vip_amount = 4000
            self.env["res.partner"]._cron_beauty_recompute_history()
            self.assertEqual(client.client_category, "vip")
            self.company.beauty_vip_amount = 0
            self.env["res.partner"]._cron_beauty_recompute_history()
            self.assertEqual(client.client_category, "new")
            client.category_id = self.env.ref("beauty_crm.res_partner_category_vip")
            self.assertEqual(client.client_category, "vip")

    def test_products_bought_come_from_posted_invoices(self):
        client = self._client()
        cream = self.env["product.product"].create(
            {"name": "Test SPF cream", "type": "consu", "list_price": 1500}
        )
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": client.id,
                "invoice_line_ids": [
                    Command.create({"product_id": cream.id, "price_unit": 1500}),
                    Command.create(
                        {"product_id": self.service_facial.id, "price_unit": 4000}
                    ),
                ],
            }
        )
        self.assertFalse(client.purchased_product_ids)
        invoice.action_post()
        client.invalidate_recordset(["purchased_product_ids"])
        # Goods only: services are in the visit history.
        self.assertEqual(client.purchased_product_ids, cream)
        self.assertEqual(
            client.with_user(self.user_receptionist).purchased_product_ids.name,
            "Test SPF cream",
        )

    def test_smart_buttons_open_the_client_appointments(self):
        client = self._client()
        with freeze_time(NOW):
            appointment = self._book(client, NOW + timedelta(days=1, hours=-1))
        action = client.action_view_beauty_appointments()
        self.assertEqual(
            self.env[action["res_model"]].search(action["domain"]), appointment
        )
        visits = client.action_view_beauty_visits()
        self.assertFalse(self.env[visits["res_model"]].search(visits["domain"]))


@tagged("post_install", "-at_install")
class TestClientConsents(ClientCardCommon):
    def _consent(self, client, kind, state="given", version="2026-01"):
        return self.env["beauty.consent"].create(
            {"partner_id": client.id, "kind": kind, "state": state, "version": version}
        )

    @users("bc_reception")
    def test_one_current_consent_per_kind_with_history(self):
        client = self._client(email="olga@example.com").with_env(self.env)
        first = self._consent(client, "marketing_email")
        self.assertTrue(client.consent_marketing_email)
        self.assertFalse(client.consent_marketing_sms)
        self.assertEqual(first.recorded_by_id, self.env.user)
        withdrawal = self._consent(client, "marketing_email", "withdrawn", "2026-02")
        self.assertFalse(client.consent_marketing_email)
        self.assertEqual(client.consent_ids, withdrawal)
        self.assertFalse(first.active)
        self.assertEqual(first.version, "2026-01")
        # Records are evidence: the front desk records, never edits or deletes.
        with self.assertRaises(AccessError):
            withdrawal.version = "2026-03"
        with self.assertRaises(AccessError):
            withdrawal.unlink()

    def test_recorded_by_is_the_logged_in_user(self):
        consent = (
            self.env["beauty.consent"]
            .with_user(self.user_receptionist)
            .create(
                {
                    "partner_id": self.client.id,
                    "kind": "treatment",
                    "version": "v1",
                    "recorded_by_id": self.user_manager.id,
                }
            )
        )
        self.assertEqual(consent.recorded_by_id, self.user_receptionist)

    def test_marketing_consent_drives_odoo_blacklists(self):
        client = self._client(email="olga@example.com", phone="+79850102077")
        self.assertFalse(client._beauty_marketing_allowed("email"))
        self._consent(client, "marketing_email")
        self.assertTrue(client._beauty_marketing_allowed("email"))
        self._consent(client, "marketing_email", "withdrawn")
        self.assertTrue(client.is_blacklisted)
        self.assertFalse(client._beauty_marketing_allowed("email"))
        # A new consent is a new decision of the client: the blacklist goes.
        self._consent(client, "marketing_email")
        self.assertFalse(client.is_blacklisted)
        self.assertTrue(client._beauty_marketing_allowed("email"))

        self._consent(client, "marketing_sms")
        self.assertTrue(client._beauty_marketing_allowed("sms"))
        self._consent(client, "marketing_sms", "withdrawn")
        self.assertTrue(client.phone_sanitized_blacklisted)
        self.assertTrue(
            self.env["phone.blacklist"].search([("number", "=", "+79850102077")])
        )
        self.assertFalse(client._beauty_marketing_allowed("sms"))
        self.assertFalse(client._beauty_marketing_allowed("messenger"))
        self._consent(client, "marketing_messenger")
        self.assertTrue(client._beauty_marketing_allowed("messenger"))

    def test_photo_needs_photo_consent(self):
        client = self._client()
        with self.assertRaises(ValidationError):
            client.image_1920 = PIXEL
        with self.assertRaises(ValidationError):
            self._client(name="Photo", image_1920=PIXEL)
        self._consent(client, "photo")
        client.image_1920 = PIXEL
        self.assertTrue(client.image_1920)
        self._consent(client, "photo", "withdrawn")
        self.assertFalse(client.image_1920)
        # Other contacts keep their pictures as in standard Odoo.
        supplier = self.env["res.partner"].create(
            {"name": "Supplier", "image_1920": PIXEL}
        )
        self.assertTrue(supplier.image_1920)

    def test_treatment_consent_check(self):
        client = self._client()
        with self.assertRaises(UserError) as caught:
            client._beauty_check_consent("treatment")
        self.assertIn("Treatment", str(caught.exception))
        self._consent(client, "treatment")
        client._beauty_check_consent("treatment")
        self.assertTrue(client.consent_treatment)


@tagged("post_install", "-at_install")
class TestClientProfileAndSegments(ClientCardCommon):
    def test_blacklist_needs_a_reason(self):
        with self.assertRaises(ValidationError):
            self.client.client_blacklisted = True
        self.client.write(
            {"client_blacklisted": True, "client_blacklist_reason": "Three no-shows"}
        )
        self.assertTrue(self.client.client_blacklisted)

    def test_alert_on_card_appointment_and_lists(self):
        self.assertTrue(self.client.has_health_alert)
        client = self._client()
        self.assertFalse(client.has_health_alert)
        self.assertFalse(client.health_alert)
        client.sudo().contraindication_ids = self.env["beauty.contraindication"].create(
            {"name": "Test tremor", "severity": "medium"}
        )
        client.sudo().pregnancy = "pregnant"
        self.assertTrue(client.has_health_alert)
        self.assertEqual(
            client.health_alert, "Test tremor (Medium), Pregnant (Critical)"
        )
        with freeze_time(NOW):
            appointment = self._book(client, NOW + timedelta(days=1, hours=-1))
        self.assertEqual(
            appointment.with_user(self.user_receptionist).health_alert,
            client.health_alert,
        )
        self.assertEqual(
            self.env["res.partner"].search(
                [
                    ("has_health_alert", "=", True),
                    ("id", "in", (client | self.client).ids),
                ]
            ),
            client | self.client,
        )
        partner_form = (
            self.env["res.partner"]
            .with_user(self.user_receptionist)
            .get_views(
                [
                    (False, "form"),
                    (self.env.ref("beauty_crm.res_partner_view_list").id, "list"),
                ]
            )["views"]
        )
        self.assertIn("o_beauty_health_alert", partner_form["form"]["arch"])
        self.assertIn('name="has_health_alert"', partner_form["list"]["arch"])
        self.assertIn("fa-exclamation-triangle", partner_form["list"]["arch"])
        appointment_form = (
            self.env["beauty.appointment"]
            .with_user(self.user_receptionist)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        self.assertIn("o_beauty_health_alert", appointment_form)

    def test_segments_group_by_and_export(self):
        vip = self.env.ref("beauty_crm.res_partner_category_vip")
        reason = self.env["beauty.visit.reason"].create({"name": "Test acne"})
        source = self.env["utm.source"].create({"name": "Test Instagram"})
        clients = self._client(
            name="Anna March",
            birthday="1990-03-15",
            gender="female",
            source_id=source.id,
            visit_reason_id=reason.id,
            category_id=[Command.link(vip.id)],
        ) | self._client(
            name="Boris May",
            birthday="1985-05-02",
            gender="male",
            client_blacklisted=True,
            client_blacklist_reason="Rude",
        )
        self.assertEqual(clients.mapped("birthday_month"), ["03", "05"])
        Partner = self.env["res.partner"].with_user(self.user_manager)
        domain = [("id", "in", clients.ids)]
        for groupby in (
            "birthday_month",
            "gender",
            "client_category",
            "source_id",
            "visit_reason_id",
            "client_blacklisted",
            "category_id",
        ):
            groups = Partner.read_group(domain, [groupby], [groupby])
            self.assertEqual(sum(g[f"{groupby}_count"] for g in groups), 2, groupby)
        self.assertEqual(
            Partner.search(domain + [("client_category", "=", "vip")]).name,
            "Anna March",
        )
        segment = Partner.search(domain + [("birthday_month", "=", "03")])
        rows = segment.export_data(
            [
                "name",
                "phone",
                "gender",
                "client_category",
                "source_id/name",
                "category_id/name",
            ]
        )["datas"]
        self.assertEqual(
            rows, [["Anna March", "", "Female", "VIP", "Test Instagram", "VIP"]]
        )
        with self.assertRaises(UserError):
            segment.with_user(self.user_receptionist).export_data(["name"])

    def test_search_view_filters_are_valid_domains(self):
        arch = (
            self.env["res.partner"]
            .with_user(self.user_receptionist)
            .get_views(
                [(self.env.ref("beauty_crm.res_partner_view_search").id, "search")]
            )["views"]["search"]["arch"]
        )
        for name in (
            "category_vip",
            "category_lost",
            "health_alert",
            "blacklisted",
            "birthday_this_month",
            "group_birthday_month",
            "group_tags",
            "group_source",
            "group_visit_reason",
        ):
            self.assertIn(f'name="{name}"', arch)
