"""Booking rules of the engine: conflicts, working hours, certifications,
contraindications, states."""

from datetime import datetime, timedelta

import psycopg2
from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import NOW
from .test_scheduling import THU, SchedulingCommon, utc


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestBookingRules(SchedulingCommon):
    def test_overlap_names_the_conflict(self):
        self.book(utc(THU, 12), partner=self.client_other)
        with self.assertRaises(ValidationError) as caught:
            self.book(utc(THU, 12, 30), env=self.env(user=self.user_receptionist))
        message = str(caught.exception)
        self.assertIn("Sofia Specialist", message)
        self.assertIn("Nina Client", message)
        self.assertIn("Test manicure", message)
        # In the receptionist's time zone (Moscow).
        self.assertIn("03/05/2026 12:00:00", message)
        self.assertIn("03/05/2026 13:00:00", message)
        # Back to back is fine.
        self.book(utc(THU, 13))

    def test_database_refuses_overlap(self):
        appointment = self.book(utc(THU, 12))
        block = appointment.env["beauty.resource.block"].search(
            [("appointment_id", "=", appointment.id)]
        )
        self.assertEqual(len(block), 1)
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(psycopg2.errors.ExclusionViolation),
            self.env.cr.savepoint(),
        ):
            self.env.cr.execute(
                """INSERT INTO beauty_resource_block
                       (appointment_id, resource_id, kind, start, stop, active)
                   VALUES (%s, %s, 'specialist', %s, %s, true)""",
                [appointment.id, block.resource_id.id, utc(THU, 12, 30), utc(THU, 14)],
            )
        # Inactive (cancelled) rows do not count.
        self.env.cr.execute(
            """INSERT INTO beauty_resource_block
                   (appointment_id, resource_id, kind, start, stop, active)
               VALUES (%s, %s, 'specialist', %s, %s, false)""",
            [appointment.id, block.resource_id.id, utc(THU, 12, 30), utc(THU, 14)],
        )

    def test_cancel_and_no_show_free_the_time(self):
        appointment = self.book(utc(THU, 12))
        with self.assertRaises(UserError):
            appointment._action_cancel("  ")
        wizard = (
            self.env["beauty.appointment.cancel"]
            .with_context(**appointment.action_cancel()["context"])
            .create({"reason": "Client is ill"})
        )
        wizard.action_confirm()
        self.assertEqual(appointment.state, "cancelled")
        self.assertEqual(appointment.cancel_reason, "Client is ill")
        second = self.book(utc(THU, 12), partner=self.client_other)
        second.action_no_show()
        third = self.book(utc(THU, 12))
        # Reactivating a cancelled visit whose time was taken is refused.
        with self.assertRaisesRegex(ValidationError, "already booked"):
            appointment.action_draft()
        third.action_confirm()
        self.assertEqual(third.state, "confirmed")

    def test_state_transitions(self):
        appointment = self.book(utc(THU, 12))
        appointment.action_confirm()
        appointment.action_arrive()
        appointment.action_start()
        appointment.action_done()
        self.assertEqual(appointment.state, "done")
        with self.assertRaisesRegex(UserError, "cannot become"):
            appointment.action_arrive()
        with self.assertRaisesRegex(UserError, "cannot be cancelled"):
            appointment._action_cancel("Too late")
        # A done visit keeps its time.
        with self.assertRaises(ValidationError):
            self.book(utc(THU, 12), partner=self.client_other)

    def test_late_clients_on_the_desk_board(self):
        today = datetime(2026, 3, 4)
        late = self.book(utc(today, 11, 45))
        on_time = self.book(utc(today, 11, 55), employee=self.vera)
        (late | on_time).action_confirm()
        self.assertTrue(late.is_late)
        self.assertFalse(on_time.is_late)
        Appointment = self.env["beauty.appointment"]
        self.assertEqual(Appointment.search([("is_late", "=", True)]), late)
        self.assertIn(on_time, Appointment.search([("is_late", "=", False)]))
        late.action_arrive()
        self.assertFalse(late.is_late)

    def test_reschedule_keeps_history_and_goes_through_the_rules(self):
        appointment = self.book(utc(THU, 12))
        line = appointment.line_ids
        self.book(utc(THU, 15), partner=self.client_other)
        # What the calendar's drag and drop writes.
        line.write({"start": utc(THU, 14), "stop": utc(THU, 15)})
        self.assertEqual(appointment.start, utc(THU, 14))
        messages = appointment.message_ids.mapped("body")
        self.assertTrue(any("rescheduled" in body for body in messages), messages)
        with self.assertRaisesRegex(ValidationError, "Nina Client"):
            line.write({"start": utc(THU, 14, 30), "stop": utc(THU, 15, 30)})
        with self.assertRaisesRegex(ValidationError, "must end after"):
            line.write({"start": utc(THU, 14), "stop": utc(THU, 13)})
        blocks = self.env["beauty.resource.block"].search(
            [("appointment_id", "=", appointment.id)]
        )
        self.assertEqual((blocks.start, blocks.stop), (utc(THU, 14), utc(THU, 15)))

    def test_outside_working_hours(self):
        reception = self.env(user=self.user_receptionist)
        with self.assertRaisesRegex(
            ValidationError, "only a salon manager|Only a salon manager"
        ):
            self.book(utc(THU, 20), env=reception)
        # An overnight service.
        with self.assertRaisesRegex(ValidationError, "does not work"):
            self.book(
                utc(THU, 19), env=reception, stop=utc(THU, 19) + timedelta(hours=8)
            )
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Training",
                "resource_id": self.specialist.resource_id.id,
                "date_from": utc(THU, 10),
                "date_to": utc(THU, 20),
            }
        )
        with self.assertRaisesRegex(ValidationError, "time off"):
            self.book(utc(THU, 12), env=reception)
        appointment = self.book(utc(THU, 20), env=self.env(user=self.user_manager))
        self.assertEqual(appointment.line_ids.stop, utc(THU, 21))
        appointment = self.book(utc(THU, 12), env=reception, employee=self.vera)
        self.assertEqual(appointment.line_ids.employee_id, self.vera)

    def test_contraindication_refused_for_reception_overridden_by_specialist(self):
        reception = self.env(user=self.user_receptionist)
        with self.assertRaisesRegex(ValidationError, "Test dye PPD"):
            self.book(
                utc(THU, 12),
                product=self.service_colour,
                partner=self.client,
                env=reception,
            )
        with self.assertRaises(AccessError):
            self.book(
                utc(THU, 12),
                product=self.service_colour,
                partner=self.client,
                env=reception,
                contraindication_override="Patch test negative",
            )
        specialist = self.env(user=self.user_specialist)
        with self.assertRaisesRegex(ValidationError, "override reason"):
            self.book(
                utc(THU, 12),
                product=self.service_colour,
                partner=self.client,
                env=specialist,
            )
        appointment = self.book(
            utc(THU, 12),
            product=self.service_colour,
            partner=self.client,
            env=specialist,
            contraindication_override="Patch test negative on 1 March",
        )
        line = appointment.line_ids
        self.assertEqual(line.override_user_id, self.user_specialist)
        self.assertEqual(line.override_date, NOW)
        self.assertIn("Test dye PPD", line.health_warning)
        self.assertTrue(
            any(
                "Patch test negative" in body
                for body in appointment.message_ids.mapped("body")
            )
        )
        # The front desk cannot read the reason.
        with self.assertRaises(AccessError):
            line.with_user(self.user_receptionist).read(["contraindication_override"])

    def test_receptionist_books_but_cannot_write_busy_time(self):
        reception = self.env(user=self.user_receptionist)
        appointment = self.book(utc(THU, 12), env=reception)
        self.assertTrue(appointment.line_ids)
        blocks = reception["beauty.resource.block"].search(
            [("appointment_id", "=", appointment.id)]
        )
        self.assertEqual(len(blocks), 1)
        with self.assertRaises(AccessError):
            blocks.write({"active": False})
        with self.assertRaises(AccessError):
            reception["beauty.resource.block"].create(
                {
                    "appointment_id": appointment.id,
                    "resource_id": self.vera.resource_id.id,
                    "kind": "specialist",
                    "start": utc(THU, 12),
                    "stop": utc(THU, 13),
                }
            )

    def test_ics_file(self):
        appointment = self.book(utc(THU, 12))
        ics = appointment._get_ics().decode()
        self.assertTrue(ics.startswith("BEGIN:VCALENDAR\r\n"))
        self.assertTrue(ics.endswith("END:VCALENDAR\r\n"))
        self.assertNotIn("\n", ics.replace("\r\n", ""))
        self.assertIn("\r\nDTSTART:20260305T090000Z\r\n", ics)
        self.assertIn("\r\nDTEND:20260305T100000Z\r\n", ics)
        self.assertIn("Test manicure", ics)
        self.assertIn("STATUS:TENTATIVE", ics)
        action = appointment.with_user(self.user_receptionist).action_download_ics()
        attachment_id = int(action["url"].split("/")[3].split("?")[0])
        attachment = self.env["ir.attachment"].browse(attachment_id)
        self.assertEqual(attachment.mimetype, "text/calendar")
        self.assertIn(b"DTSTART:20260305T090000Z", attachment.raw)
