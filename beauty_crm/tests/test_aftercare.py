from datetime import date, datetime

from freezegun import freeze_time

from odoo.tests import tagged

from .common_messages import NOW, BeautyMessageCommon


@tagged("post_install", "-at_install")
class TestAftercare(BeautyMessageCommon):
    """A done visit sends the after-care instructions of its procedure
    template once (a service message: quiet hours, no marketing consent
    needed, nothing for a cancelled visit) and gives the desk a follow-up
    call N days later."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.template = cls.env["beauty.procedure.template"].create(
            {
                "name": "Test peel",
                "aftercare_instructions": "<p>No sun for 7 days. SPF 50.</p>",
                "aftercare_followup_days": 3,
            }
        )
        cls.service.procedure_template_id = cls.template
        cls.desk = cls.user_receptionist
        cls.company.beauty_winback_user_id = cls.desk

    def _finish(self, appointment):
        appointment.action_arrive()
        appointment.action_start()
        appointment.action_done()

    def test_instructions_once_after_the_visit_and_a_call_later(self):
        with freeze_time(NOW):
            appointment = self._book()
        # Done at 21:30 Moscow (18:30 UTC), in quiet hours.
        with freeze_time(datetime(2026, 3, 6, 18, 30)):
            self._finish(appointment)
            message = self._messages(appointment, "aftercare")
            self.assertEqual(len(message), 1)
            self.assertEqual(message.channel, "email")
            self.assertEqual(message.dedup_key, f"aftercare:{appointment.id}")
        with freeze_time(datetime(2026, 3, 6, 18, 30)), self.mock_mail_gateway():
            self.Message._cron_dispatch()
            # Held until 09:00 Moscow = 06:00 UTC.
            self.assertEqual(message.state, "queued")
            self.assertEqual(message.scheduled_at, datetime(2026, 3, 7, 6, 0))
        with freeze_time(datetime(2026, 3, 7, 6, 0)), self.mock_mail_gateway():
            self.Message._cron_dispatch()
            self.assertEqual(message.state, "sent")
            mails = [m for m in self._mails if "SPF 50" in m["body"]]
            self.assertEqual(len(mails), 1)
            self.assertIn("Test facial", mails[0]["body"])
        # The desk calls three days after the visit day (Moscow): 9 March.
        calls = appointment.activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref("mail.mail_activity_data_call")
        )
        self.assertEqual(len(calls), 1)
        self.assertEqual(calls.date_deadline, date(2026, 3, 9))
        self.assertEqual(calls.user_id, self.desk)
        # Done again (reopened by mistake): no second message, no second call.
        with freeze_time(datetime(2026, 3, 7, 7, 0)):
            appointment.state = "in_progress"
            appointment.action_done()
        self.assertEqual(len(self._messages(appointment, "aftercare")), 1)
        self.assertEqual(
            len(
                appointment.activity_ids.filtered(
                    lambda a: (
                        a.activity_type_id
                        == self.env.ref("mail.mail_activity_data_call")
                    )
                )
            ),
            1,
        )

    def test_service_message_without_marketing_consent_by_sms(self):
        self.guest.write({"email": False, "beauty_channel_order": False})
        with freeze_time(NOW):
            appointment = self._book()
        with freeze_time(datetime(2026, 3, 6, 10, 30)):
            self._finish(appointment)
        message = self._messages(appointment, "aftercare")
        self.assertEqual((message.channel, message.state), ("sms", "queued"))
        template = self.env.ref("beauty_crm.sms_template_beauty_aftercare")
        body = template._render_field("body", appointment.ids)[appointment.id]
        self.assertIn("care after your Test facial", body)
        self.assertIn(f"/my/appointments/{appointment.id}?access_token=", body)

    def test_nothing_for_a_cancelled_visit(self):
        with freeze_time(NOW):
            appointment = self._book()
            appointment.action_cancel()
        self.assertFalse(self._messages(appointment, "aftercare"))
        self.assertFalse(appointment.activity_ids)
        # A done visit cancelled before the message left: it never leaves.
        with freeze_time(NOW):
            other = self._book(start=datetime(2026, 3, 6, 12, 0))
        with freeze_time(datetime(2026, 3, 6, 18, 30)):
            self._finish(other)
            message = self._messages(other, "aftercare")
            other.state = "cancelled"
            self.Message._cron_dispatch()
        self.assertEqual(message.state, "cancelled")

    def test_no_instructions_no_message(self):
        self.template.aftercare_instructions = False
        self.template.aftercare_followup_days = 0
        with freeze_time(NOW):
            appointment = self._book()
        with freeze_time(datetime(2026, 3, 6, 10, 30)):
            self._finish(appointment)
        self.assertFalse(self._messages(appointment, "aftercare"))
        self.assertFalse(appointment.beauty_followup_planned)
