from datetime import date, timedelta

from freezegun import freeze_time

from odoo.tests import RecordCapturer, tagged

from .common import NOW
from .test_scheduling import THU, SchedulingCommon, utc


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestWaitlist(SchedulingCommon):
    """Freed time reaches the waitlist after the cancelling request, through
    a cron, and only the entries that could use it are looked at."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cron = cls.env.ref("beauty_crm.ir_cron_beauty_waitlist_freed")
        cls.brows = cls._service(
            "Test brows", 1.0, specialist_ids=[(6, 0, cls.specialist.ids)]
        )
        Waitlist = cls.env["beauty.waitlist"]

        def entry(partner, product, date_from, date_to, employee=None):
            return Waitlist.create(
                {
                    "partner_id": partner.id,
                    "product_id": product.id,
                    "employee_id": employee.id if employee else False,
                    "date_from": date_from,
                    "date_to": date_to,
                }
            )

        cls.client_past = cls.env["res.partner"].create(
            {"name": "Past Client", "is_salon_client": True}
        )
        cls.match = entry(cls.client_free, cls.manicure, THU.date(), THU.date())
        cls.other_days = entry(
            cls.client, cls.manicure, date(2026, 3, 10), date(2026, 3, 12)
        )
        cls.other_specialist = entry(
            cls.client, cls.manicure, THU.date(), THU.date(), employee=cls.specialist
        )
        cls.other_service = entry(cls.client, cls.brows, THU.date(), THU.date())
        cls.own_time = entry(cls.client_other, cls.manicure, THU.date(), THU.date())
        cls.past = entry(
            cls.client_past, cls.manicure, date(2026, 3, 1), date(2026, 3, 3)
        )
        cls.open_entries = (
            cls.match
            | cls.other_days
            | cls.other_specialist
            | cls.other_service
            | cls.own_time
            | cls.past
        )

    def _cancel_vera_at_15(self):
        appointment = self.book(
            utc(THU, 15), employee=self.vera, partner=self.client_other
        )
        with RecordCapturer(
            self.env["ir.cron.trigger"].sudo(), [("cron_id", "=", self.cron.id)]
        ) as triggers:
            appointment.with_user(self.user_receptionist)._action_cancel(
                "Client moved away"
            )
        return appointment, triggers.records

    def test_cancellation_only_records_the_freed_time(self):
        _appointment, triggers = self._cancel_vera_at_15()
        self.assertEqual(len(triggers), 1, "the cron is woken up after the request")
        self.assertFalse(self.open_entries.offer_ids)
        self.assertEqual(set(self.open_entries.mapped("state")), {"waiting"})
        freed = self.env["beauty.waitlist.freed"].search([])
        self.assertEqual(
            (freed.employee_id, freed.start, freed.stop),
            (self.vera, utc(THU, 15), utc(THU, 16)),
        )
        self.assertEqual(freed._matching_entries(), self.match)

    def test_cron_offers_to_matching_entries_and_closes_past_ones(self):
        self._cancel_vera_at_15()
        self.cron.method_direct_trigger()
        self.assertEqual(self.match.state, "offered")
        offer = self.match.offer_ids
        self.assertEqual((offer.start, offer.employee_id), (utc(THU, 15), self.vera))
        for entry in self.other_days | self.other_specialist | self.other_service:
            self.assertEqual(entry.state, "waiting", entry.display_name)
        self.assertFalse((self.open_entries - self.match).offer_ids)
        self.assertEqual(self.own_time.state, "waiting")
        self.assertEqual(self.past.state, "expired")
        self.assertFalse(self.env["beauty.waitlist.freed"].search([]))
        # A second run offers nothing twice.
        self.cron.method_direct_trigger()
        self.assertEqual(len(self.match.offer_ids), 1)
        offer.action_book()
        self.assertEqual(self.match.state, "booked")
        self.assertEqual(offer.appointment_id.partner_id, self.client_free)
        self.assertEqual(offer.appointment_id.line_ids.start, utc(THU, 15))

    def test_no_show_and_time_taken_meanwhile(self):
        """A no-show frees time too; time booked again before the cron runs is
        not offered."""
        appointment = self.book(
            utc(THU, 12), employee=self.vera, partner=self.client_other
        )
        appointment.action_confirm()
        appointment.with_user(self.user_receptionist).action_no_show()
        self.assertEqual(len(self.env["beauty.waitlist.freed"].search([])), 1)
        self.book(utc(THU, 12), employee=self.vera, partner=self.client_past)
        self.cron.method_direct_trigger()
        self.assertFalse(self.match.offer_ids)
        self.assertEqual(self.match.state, "waiting")

    def test_past_freed_time_is_not_recorded(self):
        with freeze_time(NOW - timedelta(days=3)):
            appointment = self.book(
                utc(THU - timedelta(days=3), 12),
                employee=self.vera,
                partner=self.client_other,
            )
        appointment._action_cancel("Too late")
        self.assertFalse(self.env["beauty.waitlist.freed"].search([]))
