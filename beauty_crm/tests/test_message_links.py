import re
from datetime import datetime, timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged

from .common_messages import BeautyMessageCommon


def _next_visit():
    """A weekday noon (Moscow) a week ahead of the real clock: the HTTP
    server runs on the real clock."""
    day = fields.Datetime.now().date() + timedelta(days=7)
    while day.weekday() == 6:
        day += timedelta(days=1)
    return datetime.combine(day, datetime.min.time()) + timedelta(hours=9)


@tagged("post_install", "-at_install")
class TestMessageLinks(HttpCase, BeautyMessageCommon):
    """The links of reminders open a page; only its POST changes the visit."""

    def setUp(self):
        super().setUp()
        self.appointment = self._book(start=_next_visit())
        self.token = self.appointment._portal_ensure_token()
        self.url = f"/beauty/visit/{self.appointment.id}"

    def _csrf(self, response):
        match = re.search(r'name="csrf_token" value="([^"]+)"', response.text)
        self.assertTrue(match, "the page has a form with a CSRF token")
        return match.group(1)

    def test_confirm_from_the_link(self):
        page = self.url_open(f"{self.url}/confirm?access_token={self.token}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Yes, I am coming", page.text)
        self.assertFalse(self.appointment.client_confirmed_at, "a GET changes nothing")
        response = self.url_open(
            f"{self.url}/confirm",
            data={"csrf_token": self._csrf(page), "access_token": self.token},
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("message=confirmed", response.url)
        self.assertTrue(self.appointment.client_confirmed_at)
        self.assertEqual(self.appointment.state, "confirmed")

    def test_cancel_from_the_link(self):
        page = self.url_open(f"{self.url}/cancel?access_token={self.token}")
        self.assertIn("Cancel the visit", page.text)
        self.assertEqual(self.appointment.state, "confirmed")
        self.url_open(
            f"{self.url}/cancel",
            data={"csrf_token": self._csrf(page), "access_token": self.token},
        )
        self.assertEqual(self.appointment.state, "cancelled")
        self.assertFalse(self._messages(self.appointment, state="queued"))

    def test_post_without_csrf_or_token_changes_nothing(self):
        response = self.url_open(
            f"{self.url}/cancel", data={"access_token": self.token}
        )
        self.assertEqual(response.status_code, 400)
        page = self.url_open(f"{self.url}/cancel?access_token={self.token}")
        csrf = self._csrf(page)
        for data in (
            {"csrf_token": csrf, "access_token": "wrong"},
            {"csrf_token": csrf},
        ):
            response = self.url_open(f"{self.url}/cancel", data=data)
            self.assertNotIn("message=cancelled", response.url)
        self.assertEqual(self.appointment.state, "confirmed")

    def test_hostile_links(self):
        for path in (
            f"{self.url}/cancel?access_token=nope",
            f"{self.url}/delete?access_token={self.token}",
            f"/beauty/visit/999999999/confirm?access_token={self.token}",
            f"{self.url}/confirm?access_token[]=x",
        ):
            response = self.url_open(path)
            self.assertEqual(response.status_code, 200, path)
            self.assertNotIn("Yes, I am coming", response.text, path)
        self.assertEqual(self.appointment.state, "confirmed")

    def test_link_of_a_cancelled_visit(self):
        self.appointment._action_cancel("Test", "salon")
        page = self.url_open(f"{self.url}/confirm?access_token={self.token}")
        self.assertIn("not possible for this visit any more", page.text)
        self.assertNotIn('name="csrf_token"', page.text)


@tagged("post_install", "-at_install")
class TestDeliveryReports(HttpCase, BeautyMessageCommon):
    def setUp(self):
        super().setUp()
        self.appointment = self._book(start=_next_visit())
        self.message = self._messages(self.appointment, "reminder_soon")
        self.message.write(
            {
                "state": "sent",
                "provider_ref": "000000-777",
                "sent_at": fields.Datetime.now(),
            }
        )
        self.path = f"/beauty/sms/status/{self.Message._beauty_status_token()}"

    def _post_json(self, path, body):
        return self.url_open(
            path, data=body, headers={"Content-Type": "application/json"}
        )

    def test_webhook_report(self):
        response = self._post_json(
            self.path, '{"id": "000000-777", "status": "delivered"}'
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.message.state, "delivered")
        self.assertTrue(self.message.delivered_at)

    def test_smsru_report(self):
        response = self.url_open(
            self.path, data={"data[]": "sms_status\n000000-777\n104\n1700000000"}
        )
        self.assertEqual(response.text, "100")
        self.assertEqual(self.message.state, "failed")
        self.assertIn("104", self.message.error)

    def test_bad_reports(self):
        self.assertEqual(
            self._post_json(
                "/beauty/sms/status/wrong",
                '{"id": "000000-777", "status": "delivered"}',
            ).status_code,
            403,
        )
        for body in (
            "not json",
            "[1, 2]",
            '{"id": "000000-777", "status": "eaten"}',
            '{"id": {"x": 1}, "status": "failed"}',
        ):
            self.assertEqual(self._post_json(self.path, body).status_code, 400, body)
        self.assertEqual(self.message.state, "sent")


@tagged("post_install", "-at_install")
class TestMessageLinksTour(HttpCase, BeautyMessageCommon):
    def test_confirm_and_cancel_from_the_email(self):
        self.company.write({"beauty_quiet_start": 0, "beauty_quiet_end": 0})
        appointment = self._book(start=_next_visit())
        reminder = self._messages(appointment, "reminder")
        reminder.scheduled_at = fields.Datetime.now() - timedelta(minutes=1)
        with self.mock_mail_gateway():
            self.Message._cron_dispatch()
        self.assertEqual(reminder.state, "sent")
        body = next(m for m in self._mails if "Reminder" in m["subject"])["body"]
        links = dict(
            re.findall(r'href="[^"]*(/beauty/visit/\d+/(confirm|cancel)\?[^"]+)"', body)
        )
        links = {action: path.replace("&amp;", "&") for path, action in links.items()}
        self.assertEqual(set(links), {"confirm", "cancel"})
        self.start_tour(links["confirm"], "beauty_message_link_confirm")
        self.assertTrue(appointment.client_confirmed_at)
        self.start_tour(links["cancel"], "beauty_message_link_cancel")
        self.assertEqual(appointment.state, "cancelled")
