import uuid
from contextlib import closing
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import SUPERUSER_ID, api, sql_db
from odoo.tests import tagged

from ..models.messaging_rules import quiet_end, reminder_time
from .common_messages import NOW, VISIT, BeautyMessageCommon


@tagged("post_install", "-at_install")
class TestMessageRules(BeautyMessageCommon):
    def test_quiet_hours_in_client_zone(self):
        # 19:00 UTC is 22:00 in Moscow (quiet) but 19:00 in London (not).
        moment = datetime(2026, 3, 4, 19, 0)
        self.assertEqual(
            quiet_end(moment, "Europe/Moscow", 21, 9), datetime(2026, 3, 5, 6, 0)
        )
        self.assertEqual(quiet_end(moment, "Europe/London", 21, 9), moment)
        # Early morning: waits until 09:00 the same day.
        self.assertEqual(
            quiet_end(datetime(2026, 3, 5, 3, 0), "Europe/Moscow", 21, 9),
            datetime(2026, 3, 5, 6, 0),
        )
        self.assertEqual(quiet_end(moment, "Europe/Moscow", 0, 0), moment)

    def test_reminder_before_an_early_visit_leaves_the_evening_before(self):
        # Visit 09:00 Moscow: 2 h before is 07:00 (quiet); 09:00 would be too
        # late, so it leaves at 20:55 the evening before.
        visit = datetime(2026, 3, 6, 6, 0)
        self.assertEqual(
            reminder_time(visit, 2, "Europe/Moscow", 21, 9),
            datetime(2026, 3, 5, 17, 55),
        )
        # Visit 10:30 Moscow: 08:30 is quiet, 09:00 is still before the visit.
        self.assertEqual(
            reminder_time(datetime(2026, 3, 6, 7, 30), 2, "Europe/Moscow", 21, 9),
            datetime(2026, 3, 6, 6, 0),
        )


@tagged("post_install", "-at_install")
class TestMessageFlow(BeautyMessageCommon):
    @freeze_time(NOW)
    def test_confirmation_sent_at_once_with_calendar_file(self):
        appointment = self._book()
        confirmation = self._messages(appointment, "confirmation")
        self.assertEqual(len(confirmation), 1)
        self.assertEqual(
            (confirmation.channel, confirmation.state), ("email", "queued")
        )
        cron = self.env.ref("beauty_crm.ir_cron_beauty_message_dispatch")
        self.assertTrue(
            self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)]),
            "the dispatcher is woken up at once",
        )
        with self.mock_mail_gateway():
            self.Message._cron_dispatch()
        self.assertEqual(confirmation.state, "sent")
        self.assertEqual(confirmation.sent_at, NOW)
        mail = next(m for m in self._mails if "booked" in m["subject"])
        self.assertEqual(mail["email_to"], ['"Masha Message" <masha@example.com>'])
        # Local time of the client, the cabinet link with its token, the ICS.
        self.assertIn("Friday 6 March 2026, 12:00", mail["body"])
        self.assertIn(
            f"/my/appointments/{appointment.id}?access_token="
            f"{appointment.access_token}",
            mail["body"],
        )
        names = [attachment[0] for attachment in mail["attachments"]]
        self.assertIn(f"{appointment.name.replace('/', '-')}.ics", names)

    @freeze_time(NOW)
    def test_messages_in_the_client_language_and_zone(self):
        self.env["res.lang"]._activate_lang("ru_RU")
        self.env["ir.module.module"]._load_module_terms(
            ["beauty_crm"], ["ru_RU"], overwrite=True
        )
        self.guest.write({"lang": "ru_RU", "tz": "Asia/Vladivostok"})
        self._book()
        with self.mock_mail_gateway():
            self.Message._cron_dispatch()
        mail = self._mails[0]
        self.assertIn("Вы записаны в", mail["subject"])
        # 09:00 UTC is 19:00 in Vladivostok, written in Russian.
        self.assertIn("пятница 6 марта 2026, 19:00", mail["body"])
        self.assertIn("Мой визит", mail["body"])

    @freeze_time(NOW)
    def test_reminders_planned_once_at_local_times(self):
        appointment = self._book()
        reminders = self._messages(appointment).filtered(
            lambda m: m.kind in ("reminder", "reminder_soon")
        )
        self.assertEqual(
            sorted(reminders.mapped(lambda m: (m.kind, m.channel, m.scheduled_at))),
            [
                ("reminder", "email", VISIT - timedelta(hours=24)),
                ("reminder_soon", "sms", VISIT - timedelta(hours=2)),
            ],
        )
        # The hourly pass plans nothing more, however often it runs.
        self.assertEqual(self.Message._cron_schedule_reminders(), 0)
        self.assertEqual(self.Message._cron_schedule_reminders(), 0)
        self.assertEqual(len(self._messages(appointment, "reminder")), 1)

    def test_reminder_sent_at_its_time_and_never_twice(self):
        with freeze_time(NOW):
            appointment = self._book()
        with freeze_time(VISIT - timedelta(hours=25)), self.mock_mail_gateway():
            self.Message._cron_dispatch()
            reminder = self._messages(appointment, "reminder")
            self.assertEqual(reminder.state, "queued", "not due yet")
        with freeze_time(VISIT - timedelta(hours=24)), self.mock_mail_gateway():
            self.Message._cron_dispatch()
            self.assertEqual(reminder.state, "sent")
            body = next(m for m in self._mails if "Reminder" in m["subject"])["body"]
            self.assertIn(f"/beauty/visit/{appointment.id}/confirm?access_token=", body)
            self.assertIn(f"/beauty/visit/{appointment.id}/cancel?access_token=", body)
            self.Message._cron_schedule_reminders()
            self._init_mail_mock()
            self.Message._cron_dispatch()
            self.assertFalse(
                [m for m in self._mails if "Reminder" in m["subject"]],
                "a reminder is never sent twice",
            )
        self.assertEqual(len(self._messages(appointment, "reminder")), 1)

    @freeze_time(NOW)
    def test_reschedule_moves_reminders_and_tells_the_client(self):
        appointment = self._book()
        old = self._messages(appointment, "reminder")
        new_start = VISIT + timedelta(days=1)
        appointment.line_ids.write({"start": new_start})
        self.assertEqual(old.state, "cancelled")
        current = self._messages(appointment, "reminder", "queued")
        self.assertEqual(current.scheduled_at, new_start - timedelta(hours=24))
        change = self._messages(appointment, "change")
        self.assertEqual(len(change), 1)
        self.assertEqual(change.state, "queued")
        # Moved back: the first reminder is planned again, not duplicated.
        appointment.line_ids.write({"start": VISIT})
        self.assertEqual(old.state, "queued")
        self.assertEqual(current.state, "cancelled")
        self.assertEqual(len(self._messages(appointment, "reminder")), 2)

    @freeze_time(NOW)
    def test_nothing_for_a_cancelled_visit(self):
        by_client = self._book()
        by_client._action_cancel("Ill", "client")
        self.assertFalse(self._messages(by_client, state="queued"))
        self.assertFalse(self._messages(by_client, "cancellation"))
        by_salon = self._book(start=VISIT + timedelta(hours=2))
        by_salon._action_cancel("Specialist ill", "salon")
        self.assertEqual(
            self._messages(by_salon, state="queued").mapped("kind"), ["cancellation"]
        )
        self.assertTrue(
            all(
                m.state == "cancelled"
                for m in self._messages(by_salon)
                if m.kind.startswith("reminder")
            )
        )

    def test_review_request_after_a_done_visit_in_daytime(self):
        with freeze_time(NOW):
            appointment = self._book()
        # Done at 20:30 Moscow: the request (2 h later) waits for 09:00.
        with freeze_time(datetime(2026, 3, 6, 17, 30)):
            appointment.action_arrive()
            appointment.action_start()
            appointment.action_done()
            review = self._messages(appointment, "review_request")
            self.assertEqual(review.scheduled_at, datetime(2026, 3, 6, 19, 30))
        with freeze_time(datetime(2026, 3, 6, 19, 30)), self.mock_mail_gateway():
            self.Message._cron_dispatch()
            self.assertEqual(review.state, "queued")
            self.assertEqual(review.scheduled_at, datetime(2026, 3, 7, 6, 0))
            self.assertFalse(self._mails)
        with freeze_time(datetime(2026, 3, 7, 6, 0)), self.mock_mail_gateway():
            self.Message._cron_dispatch()
            self.assertEqual(review.state, "sent")
            self.assertIn(
                f"/my/appointments/{appointment.id}?access_token=",
                self._mails[0]["body"],
            )

    @freeze_time(NOW)
    def test_one_message_per_key(self):
        row = self.Message._beauty_row(
            "birthday", self.guest, "birthday:test:2026", NOW
        ) or {
            "partner_id": self.guest.id,
            "company_id": self.company.id,
            "kind": "birthday",
            "channel": "email",
            "state": "queued",
            "scheduled_at": NOW,
            "dedup_key": "birthday:test:2026",
        }
        first = self.Message._beauty_insert([row, dict(row)])
        second = self.Message._beauty_insert([row])
        self.assertEqual(len(first), 1)
        self.assertFalse(second)
        self.assertEqual(
            self.Message.search_count([("dedup_key", "=", "birthday:test:2026")]), 1
        )

    @freeze_time(NOW)
    def test_interrupted_send_is_reported_not_repeated(self):
        appointment = self._book()
        confirmation = self._messages(appointment, "confirmation")
        self.Message._beauty_claim(10)
        self.assertEqual(confirmation.state, "sending")
        with freeze_time(NOW + timedelta(hours=1)), self.mock_mail_gateway():
            self.Message._cron_dispatch()
        self.assertEqual(confirmation.state, "failed")
        self.assertFalse([m for m in self._mails if "booked" in m["subject"]])


@tagged("post_install", "-at_install")
class TestMarketingMessages(BeautyMessageCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Only the test's client has a birthday: the demo salon's clients are
        # born on days counted back from the day the database was made, so
        # one of them may share the frozen day.
        cls.env["res.partner"].search(
            [("birthday", "!=", False), ("id", "!=", cls.guest.id)]
        ).birthday = False

    @freeze_time(NOW)
    def test_birthday_only_with_consent_and_not_blacklisted(self):
        self.guest.birthday = "1990-03-04"
        self.assertEqual(self.Message._beauty_schedule_birthdays(), 0)
        self._consent(self.guest, "marketing_email")
        self.assertEqual(self.Message._beauty_schedule_birthdays(), 1)
        self.assertEqual(self.Message._beauty_schedule_birthdays(), 0, "once a year")
        greeting = self.Message.search([("kind", "=", "birthday")])
        self.assertEqual(greeting.channel, "email")
        # Consent withdrawn before it leaves: cancelled, nothing sent.
        self._consent(self.guest, "marketing_email", "withdrawn")
        with self.mock_mail_gateway():
            self.Message._cron_dispatch()
        self.assertEqual(greeting.state, "cancelled")
        self.assertFalse(self._mails)

    @freeze_time(NOW)
    def test_blacklisted_email_falls_back_to_sms_with_consent(self):
        self.guest.birthday = "1990-03-04"
        self._consent(self.guest, "marketing_email")
        self._consent(self.guest, "marketing_sms")
        self.env["mail.blacklist"].sudo()._add(self.guest.email)
        self.Message._beauty_schedule_birthdays()
        greeting = self.Message.search([("kind", "=", "birthday")])
        self.assertEqual(greeting.channel, "sms")

    @freeze_time(NOW)
    def test_winback_message_and_one_call_for_the_desk(self):
        self._consent(self.guest, "marketing_email")
        with freeze_time(NOW - timedelta(days=61)):
            visit = self._book(start=NOW - timedelta(days=61) + timedelta(hours=3))
            visit.action_arrive()
            visit.action_done()
        self.assertTrue(self.guest.last_visit_date)
        self.assertEqual(self.Message._beauty_schedule_winbacks(), 1)
        self.assertEqual(self.Message._beauty_schedule_winbacks(), 0)
        calls = self.env["mail.activity"].search(
            [("res_model", "=", "res.partner"), ("res_id", "=", self.guest.id)]
        )
        self.assertEqual(len(calls), 1)
        self.assertEqual(
            calls.activity_type_id, self.env.ref("mail.mail_activity_data_call")
        )
        winback = self.Message.search([("kind", "=", "winback")])
        self.assertEqual((winback.channel, winback.state), ("email", "queued"))

    @freeze_time(NOW)
    def test_recall_from_next_visit_date(self):
        self._consent(self.guest, "marketing_email")
        self.guest.next_visit_date = NOW.date()
        self.assertEqual(self.Message._beauty_schedule_recalls(), 1)
        self.assertEqual(self.Message._beauty_schedule_recalls(), 0)
        # Nothing for a client who already booked the next visit.
        other = self.guest.copy({"name": "Booked Client", "email": "b@example.com"})
        self._consent(other, "marketing_email")
        other.next_visit_date = NOW.date()
        self._book(partner=other)
        self.assertEqual(self.Message._beauty_schedule_recalls(), 0)


@tagged("post_install", "-at_install")
class TestTwoWorkers(BeautyMessageCommon):
    """Two dispatchers on two real database connections at once."""

    def test_two_workers_never_claim_the_same_message(self):
        dbname = self.env.cr.dbname
        key = f"concurrency-test-{uuid.uuid4().hex}"
        with closing(sql_db.db_connect(dbname).cursor()) as setup:
            setup.execute(
                """
                INSERT INTO beauty_message (partner_id, company_id, kind, channel,
                       state, scheduled_at, dedup_key, attempts)
                SELECT p.id, c.id, 'birthday', 'email', 'queued',
                       now() AT TIME ZONE 'UTC' - interval '1 minute', %s, 0
                  FROM res_company c, res_partner p
                 WHERE p.id = c.partner_id
                 ORDER BY c.id LIMIT 1
                RETURNING id
                """,
                (key,),
            )
            message_id = setup.fetchone()[0]
            setup.commit()
        try:
            with (
                closing(sql_db.db_connect(dbname).cursor()) as first,
                closing(sql_db.db_connect(dbname).cursor()) as second,
            ):
                claimed_first = self.Message.with_env(
                    api.Environment(first, SUPERUSER_ID, {})
                )._beauty_claim(1000)
                claimed_second = self.Message.with_env(
                    api.Environment(second, SUPERUSER_ID, {})
                )._beauty_claim(1000)
                self.assertIn(message_id, claimed_first)
                self.assertNotIn(message_id, claimed_second)
                first.commit()
                second.rollback()
            with closing(sql_db.db_connect(dbname).cursor()) as check:
                # Claimed and committed: no later worker takes it again.
                claimed_later = self.Message.with_env(
                    api.Environment(check, SUPERUSER_ID, {})
                )._beauty_claim(1000)
                self.assertNotIn(message_id, claimed_later)
                check.rollback()
        finally:
            with closing(sql_db.db_connect(dbname).cursor()) as cleanup:
                cleanup.execute(
                    "DELETE FROM beauty_message WHERE id = %s", (message_id,)
                )
                cleanup.commit()


@tagged("post_install", "-at_install")
class TestMoreMessages(BeautyMessageCommon):
    @freeze_time(NOW)
    def test_last_reminder_of_an_early_visit_leaves_the_evening_before(self):
        # 09:00 in Vladivostok (UTC+10) is 23:00 UTC the day before; the
        # salon's calendar is Moscow's, so the visit is written directly.
        self.guest.tz = "Asia/Vladivostok"
        appointment = self._book()
        visit = datetime(2026, 3, 6, 23, 0)
        self.env.cr.execute(
            "UPDATE beauty_appointment SET start = %s, stop = %s WHERE id = %s",
            (visit, visit + timedelta(hours=1), appointment.id),
        )
        appointment.invalidate_recordset(["start", "stop"])
        self._messages(appointment).write({"state": "cancelled"})
        self.Message._cron_schedule_reminders(appointment_ids=appointment.ids)
        soon = self._messages(appointment, "reminder_soon", "queued")
        # 07:00 local is quiet, 09:00 is the visit: 20:55 local the evening before.
        self.assertEqual(soon.scheduled_at, datetime(2026, 3, 6, 10, 55))
        early = self._messages(appointment, "reminder", "queued")
        self.assertEqual(early.scheduled_at, visit - timedelta(hours=24))

    @freeze_time(NOW)
    def test_waitlist_offer_tells_the_client(self):
        waitlist = self.env["beauty.waitlist"].create(
            {
                "partner_id": self.guest.id,
                "product_id": self.service.id,
                "date_to": NOW.date() + timedelta(days=7),
            }
        )
        offer = self.env["beauty.waitlist.offer"].create(
            {
                "waitlist_id": waitlist.id,
                "employee_id": self.specialist.id,
                "start": VISIT,
                "stop": VISIT + timedelta(hours=1),
            }
        )
        message = self.Message.search([("waitlist_offer_id", "=", offer.id)])
        self.assertEqual((message.kind, message.state), ("waitlist_offer", "queued"))
        with self.mock_mail_gateway():
            self.Message._cron_dispatch()
        self.assertEqual(message.state, "sent")
        mail = next(m for m in self._mails if "A time is free" in m["subject"])
        self.assertIn("Friday 6 March 2026, 12:00", mail["body"])
