from datetime import date, timedelta

from freezegun import freeze_time

from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common import BeautyCommon


@tagged("post_install", "-at_install")
class TestCertifications(BeautyCommon):
    """Certifications are hr_skills employee skills with an expiry date; the
    specialist's manager is reminded N days (default 30) before, once per
    certification and expiry date."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        skill_type = cls.env["hr.skill.type"].create(
            {
                "name": "Test licences",
                "skill_ids": [(0, 0, {"name": "Test laser licence"})],
                "skill_level_ids": [(0, 0, {"name": "Holder", "level_progress": 100})],
            }
        )
        cls.boss = cls.env["hr.employee"].create(
            {"name": "Mila Manager", "user_id": cls.user_manager.id}
        )
        cls.specialist.parent_id = cls.boss
        cls.certification = cls.env["hr.employee.skill"].create(
            {
                "employee_id": cls.specialist.id,
                "skill_type_id": skill_type.id,
                "skill_id": skill_type.skill_ids.id,
                "skill_level_id": skill_type.skill_level_ids.id,
                "expiry_date": date(2026, 4, 30),
                "beauty_training_note": "Laser school, renewal exam",
            }
        )
        cls.company.beauty_certification_reminder_days = 30
        cls.Skill = cls.env["hr.employee.skill"]

    def _reminders(self):
        return self.specialist.sudo().activity_ids.filtered(
            lambda activity: "Test laser licence" in (activity.summary or "")
        )

    def test_reminded_once_thirty_days_before(self):
        # 30 April - 30 days = 31 March: nothing on the 30th.
        self.assertFalse(
            self.Skill._cron_beauty_certification_reminders(date(2026, 3, 30))
        )
        self.assertFalse(self._reminders())
        self.assertEqual(
            self.Skill._cron_beauty_certification_reminders(date(2026, 3, 31)),
            self.certification,
        )
        reminder = self._reminders()
        self.assertEqual(len(reminder), 1)
        self.assertEqual(reminder.user_id, self.user_manager)
        self.assertEqual(reminder.date_deadline, date(2026, 4, 30))
        # The next days: no second reminder.
        self.Skill._cron_beauty_certification_reminders(date(2026, 4, 1))
        self.Skill._cron_beauty_certification_reminders(date(2026, 4, 29))
        self.assertEqual(len(self._reminders()), 1)
        # Renewed until next year: reminded again 30 days before that.
        self.certification.expiry_date = date(2027, 4, 30)
        self.Skill._cron_beauty_certification_reminders(date(2026, 5, 1))
        self.assertEqual(len(self._reminders()), 1)
        self.Skill._cron_beauty_certification_reminders(date(2027, 3, 31))
        self.assertEqual(len(self._reminders()), 2)

    def test_branch_delay_and_expired_ones(self):
        self.company.beauty_certification_reminder_days = 10
        self.assertFalse(
            self.Skill._cron_beauty_certification_reminders(date(2026, 4, 19))
        )
        self.assertTrue(
            self.Skill._cron_beauty_certification_reminders(date(2026, 4, 20))
        )
        # Already expired: not reminded (the list shows it as expired).
        self.certification.write({"expiry_date": date(2026, 3, 1)})
        self.assertFalse(
            self.Skill._cron_beauty_certification_reminders(date(2026, 3, 2))
        )
        with freeze_time(date(2026, 3, 2)):
            self.certification.invalidate_recordset(["beauty_expiry_state"])
            self.assertEqual(self.certification.beauty_expiry_state, "expired")

    def test_expiring_list(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "beauty_crm.hr_employee_skill_action_certifications"
        )
        listed = self.Skill.search(safe_eval(action["domain"]))
        self.assertIn(self.certification, listed)
        self.assertTrue(all(listed.employee_id.mapped("is_specialist")))
        self.assertTrue(all(listed.mapped("expiry_date")))
        with freeze_time(date(2026, 4, 10)):
            self.certification.invalidate_recordset(["beauty_expiry_state"])
            self.assertEqual(self.certification.beauty_expiry_state, "soon")
        with freeze_time(date(2026, 3, 10)):
            self.certification.invalidate_recordset(["beauty_expiry_state"])
            self.assertEqual(self.certification.beauty_expiry_state, "valid")
        # The booking engine already refuses the specialist once expired.
        self.assertTrue(
            self.specialist._beauty_is_certified(
                self.certification.skill_id, date(2026, 4, 30)
            )
        )
        self.assertFalse(
            self.specialist._beauty_is_certified(
                self.certification.skill_id, date(2026, 4, 30) + timedelta(days=1)
            )
        )
