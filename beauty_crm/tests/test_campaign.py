import re

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

# Odoo's link tracker fetches the title of every new link's page. Here that
# page is this very test server, whose request would wait on the test's
# cursor and outlive the test; Odoo's own mixin answers the title instead, as
# mass_mailing's tests do.
from odoo.addons.link_tracker.tests.common import MockLinkTracker

from .common_messages import BeautyMessageCommon
from .fake_sms_server import FakeSmsServer
from .test_website_booking import WebsiteBookingCommon


class CampaignMixin:
    def _new_campaign(self, clients, mailing_type="mail", subject="Spring offer"):
        """Through the client list's action and its wizard, as a manager."""
        wizard = self._wizard(clients)
        wizard.mailing_type = mailing_type
        wizard.subject = subject
        wizard = wizard.save()
        opened = wizard.action_create()
        return self.env["mailing.mailing"].browse(opened["res_id"]), wizard

    def _wizard(self, records):
        action = records.with_user(self.user_manager).action_beauty_new_campaign()
        model = self.env[action["res_model"]].with_user(self.user_manager)
        return Form(model.with_context(**action["context"]))

    def _traced(self, mailing):
        traces = self.env["mailing.trace"].search(
            [("mass_mailing_id", "=", mailing.id)]
        )
        return set(traces.mapped("res_id"))


@tagged("post_install", "-at_install")
class TestCampaign(CampaignMixin, MockLinkTracker, BeautyMessageCommon):
    """A campaign from a client list reaches only the clients with the
    marketing consent of its channel and off Odoo's blacklists."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.agreed, cls.silent, cls.listed, cls.withdrawn = Partner.create(
            [
                {
                    "name": f"Client {name}",
                    "is_salon_client": True,
                    "email": f"{name}@example.com",
                    "mobile": f"+7916000000{index}",
                }
                for index, name in enumerate(("agreed", "silent", "listed", "gone"))
            ]
        )
        cls.clients = cls.agreed | cls.silent | cls.listed | cls.withdrawn
        for client in cls.agreed | cls.listed | cls.withdrawn:
            for kind in ("marketing_email", "marketing_sms"):
                cls.env["beauty.consent"].create(
                    {"partner_id": client.id, "kind": kind, "version": "T1"}
                )
        # On the blacklists for a reason of its own (a bounce, an unsubscribe
        # link), whatever the consent says.
        cls.env["mail.blacklist"]._add(cls.listed.email)
        cls.env["phone.blacklist"]._add([cls.listed.phone_sanitized])

    def test_email_campaign_reaches_only_consenting_clients(self):
        mailing, wizard = self._new_campaign(self.clients)
        self.assertEqual((wizard.client_count, wizard.reachable_count), (4, 2))
        self.assertEqual(mailing.mailing_model_real, "res.partner")
        self.assertEqual(mailing.campaign_id.title, "Spring offer")
        self.assertEqual(mailing.medium_id, self.env.ref("utm.utm_medium_email"))
        # The last one withdraws before the campaign leaves.
        self._consent(self.withdrawn, "marketing_email", state="withdrawn")
        self.assertEqual(mailing.total, 1)
        mailing.body_html = (
            f'<p>Book now: <a href="{mailing.get_base_url()}/booking">book</a></p>'
        )
        with self.mock_mail_gateway():
            mailing.action_send_mail()
        self.assertEqual(self._traced(mailing), {self.agreed.id})
        mails = self.env["mail.mail"].sudo().search([("mailing_id", "=", mailing.id)])
        self.assertEqual(mails.recipient_ids, self.agreed)
        # Its link is Odoo's tracked link, with the mailing's UTM.
        tracker = self.env["link.tracker"].search(
            [("mass_mailing_id", "=", mailing.id)]
        )
        self.assertEqual(len(tracker), 1)
        self.assertEqual(
            (tracker.campaign_id, tracker.source_id, tracker.medium_id),
            (mailing.campaign_id, mailing.source_id, mailing.medium_id),
        )
        self.assertIn(
            f"utm_source={mailing.source_id.name}".replace(" ", "+"),
            tracker.redirected_url,
        )
        self.assertEqual(len(self._mails), 1)
        self.assertEqual(
            self._mails[0]["email_to"], ['"Client agreed" <agreed@example.com>']
        )
        self.assertTrue(re.search(rf"/r/{tracker.code}/m/\d+", self._mails[0]["body"]))

    def test_sms_campaign_reaches_only_consenting_clients(self):
        mailing, wizard = self._new_campaign(self.clients, "sms", "Spring SMS")
        self.assertEqual((wizard.client_count, wizard.reachable_count), (4, 2))
        self._consent(self.withdrawn, "marketing_sms", state="withdrawn")
        mailing.write(
            {"body_plaintext": "Spring offer: -20 % on facials", "sms_force_send": True}
        )
        self.assertEqual(
            mailing.medium_id, self.env.ref("mass_mailing_sms.utm_medium_sms")
        )
        with FakeSmsServer() as server:
            self.company.sudo().write(
                {
                    "beauty_sms_provider": "webhook",
                    "beauty_sms_url": server.url,
                    "beauty_sms_api_key": "test-key",
                }
            )
            server.responses = [(200, {"id": "hook-1"})]
            mailing.action_send_mail()
        self.assertEqual([r["body"]["to"] for r in server.requests], ["+79160000000"])
        self.assertIn("Spring offer", server.requests[0]["body"]["text"])
        self.assertEqual(self._traced(mailing), {self.agreed.id})

    def test_nothing_to_send_and_no_clients(self):
        with self.assertRaisesRegex(UserError, "None of these clients accepts"):
            self._new_campaign(self.silent)
        employee = self.user_employee.partner_id
        with self.assertRaisesRegex(UserError, "Select salon clients"):
            employee.with_user(self.user_manager).action_beauty_new_campaign()

    def test_campaigns_need_email_marketing_rights(self):
        self.assertTrue(
            self.user_manager.has_group("mass_mailing.group_mass_mailing_user")
        )
        Wizard = self.env["beauty.campaign.wizard"].with_user(self.user_receptionist)
        with self.assertRaises(AccessError):
            Wizard.create({"client_domain": "[]", "subject": "Not mine"})

    def test_report_lists_start_campaigns_of_their_clients(self):
        """Visits due (issue #12): the campaign targets the listed clients."""
        self.service.repeat_interval_days = 30
        with self.mock_mail_gateway():
            visit = self._book(partner=self.agreed)
            visit.write({"state": "done"})
        due = self.env["beauty.report.due"].search(
            [("partner_id", "=", self.agreed.id)]
        )
        self.assertTrue(due)
        wizard = self._wizard(due)
        wizard.subject = "Time for your facial"
        wizard = wizard.save()
        self.assertEqual((wizard.client_count, wizard.reachable_count), (1, 1))
        self.assertEqual(
            self.env["res.partner"].search(wizard._clients_domain()), self.agreed
        )


@tagged("post_install", "-at_install")
class TestCampaignBookings(CampaignMixin, MockLinkTracker, WebsiteBookingCommon):
    """A booking made after the link of a mailing counts on that mailing."""

    def test_booking_from_a_campaign_link_counts_on_the_mailing(self):
        client = self.partner_a
        self.env["beauty.consent"].create(
            {"partner_id": client.id, "kind": "marketing_email", "version": "T1"}
        )
        mailing, _wizard = self._new_campaign(client)
        mailing.body_html = f'<p><a href="{self.base_url()}/booking">Book</a></p>'
        mailing.action_send_mail()
        tracker = self.env["link.tracker"].search(
            [("mass_mailing_id", "=", mailing.id)]
        )
        # The client clicks the link: Odoo redirects with the UTM parameters
        # and the website keeps them in cookies.
        page = self.url_open(f"/r/{tracker.code}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("utm_campaign=", page.url)
        self.assertEqual(
            self.opener.cookies.get("odoo_utm_source").strip('"'),
            mailing.source_id.name,
        )
        slots = self._slots()
        self._submit(slots[0])
        booked = self._appointments()
        self.assertEqual(
            (booked.campaign_id, booked.source_id, booked.medium_id),
            (mailing.campaign_id, mailing.source_id, mailing.medium_id),
        )
        # Another visitor, without the cookies, is not the campaign's.
        self.opener.cookies.clear()
        self._submit(
            slots[-1],
            name="Other Visitor",
            phone="+7 912 000-00-01",
            email="other@example.com",
        )
        other = self._appointments() - booked
        self.assertEqual(len(other), 1)
        self.assertFalse(other.source_id)
        mailing.invalidate_recordset()
        self.assertEqual(mailing.beauty_booking_count, 1)
        self.assertEqual(mailing.beauty_booking_revenue, 0.0)
        booked.write({"state": "done"})
        mailing.invalidate_recordset()
        self.assertEqual(mailing.beauty_booking_revenue, 2000.0)
        action = mailing.action_view_beauty_bookings()
        self.assertEqual(
            self.env["beauty.appointment"].search(action["domain"]), booked
        )
