from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import BeautyCommon


@tagged("post_install", "-at_install")
class TestJournalLanes(BeautyCommon):
    """The journal's lanes and the time shaded in them, as the browser asks
    for them: one call for the days around the visible window."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Monday and Tuesday 10:00-14:00 and 15:00-20:00 in Moscow (UTC+3):
        # 07:00-11:00 and 12:00-17:00 UTC, a break from 11:00 to 12:00 UTC.
        cls.split_calendar = cls.env["resource.calendar"].create(
            {
                "name": "Split day",
                "tz": "Europe/Moscow",
                "attendance_ids": [(5, 0, 0)]
                + [
                    (
                        0,
                        0,
                        {
                            "name": f"Day {day} {period}",
                            "dayofweek": str(day),
                            "hour_from": hour_from,
                            "hour_to": hour_to,
                            "day_period": period,
                        },
                    )
                    for day in (0, 1)
                    for hour_from, hour_to, period in (
                        (10, 14, "morning"),
                        (15, 20, "afternoon"),
                    )
                ],
            }
        )
        cls.specialist.resource_calendar_id = cls.split_calendar
        # Time off on Tuesday 12:00-14:00 Moscow, 09:00-11:00 UTC.
        cls.env["resource.calendar.leaves"].create(
            {
                "name": "Dentist",
                "calendar_id": cls.split_calendar.id,
                "resource_id": cls.specialist.resource_id.id,
                "date_from": "2031-03-04 09:00:00",
                "date_to": "2031-03-04 11:00:00",
            }
        )
        cls.other_branch = cls.env["res.company"].create({"name": "Lanes branch B"})
        cls.far_specialist = cls.env["hr.employee"].create(
            {
                "name": "Zoya Far Branch",
                "is_specialist": True,
                "company_id": cls.other_branch.id,
                "resource_calendar_id": cls.split_calendar.id,
            }
        )
        cls.not_a_specialist = cls.env["hr.employee"].create(
            {"name": "Anna Accountant", "resource_calendar_id": cls.calendar.id}
        )
        cls.laser = cls.env["resource.resource"].create(
            {"name": "Laser device", "resource_type": "material"}
        )
        cls.user_receptionist.company_ids = [(4, cls.other_branch.id)]
        cls.lines = (
            cls.env["beauty.appointment.line"]
            .with_user(cls.user_receptionist)
            .with_context(allowed_company_ids=[cls.company.id, cls.other_branch.id])
        )

    def test_specialist_lanes_shade_nights_breaks_and_time_off(self):
        # Monday 3 March 2031 00:00 UTC to Wednesday 00:00 UTC.
        result = self.lines.get_journal_lanes(
            "employee_id", "2031-03-03 00:00:00", "2031-03-05 00:00:00", []
        )
        lane_ids = [lane["id"] for lane in result["lanes"]]
        self.assertIn(self.specialist.id, lane_ids)
        self.assertIn(self.far_specialist.id, lane_ids)
        self.assertNotIn(self.not_a_specialist.id, lane_ids)
        shaded = sorted(
            (item["kind"], item["start"], item["end"])
            for item in result["off"]
            if item["group"] == self.specialist.id
        )
        self.assertEqual(
            shaded,
            [
                ("leave", "2031-03-04 09:00:00", "2031-03-04 11:00:00"),
                ("off", "2031-03-03 00:00:00", "2031-03-03 07:00:00"),
                ("off", "2031-03-03 11:00:00", "2031-03-03 12:00:00"),
                ("off", "2031-03-03 17:00:00", "2031-03-04 07:00:00"),
                ("off", "2031-03-04 11:00:00", "2031-03-04 12:00:00"),
                ("off", "2031-03-04 17:00:00", "2031-03-05 00:00:00"),
            ],
        )

    def test_branch_filter_chooses_the_lanes(self):
        domain = [
            ("state", "not in", ("cancelled", "no_show")),
            ("company_id", "=", self.company.id),
        ]
        result = self.lines.get_journal_lanes(
            "employee_id", "2031-03-03 00:00:00", "2031-03-04 00:00:00", domain
        )
        lane_ids = [lane["id"] for lane in result["lanes"]]
        self.assertIn(self.specialist.id, lane_ids)
        self.assertNotIn(self.far_specialist.id, lane_ids)
        self.assertFalse(
            [item for item in result["off"] if item["group"] == self.far_specialist.id]
        )
        # A branch the user has not selected in the company switcher is left out.
        result = self.lines.with_context(
            allowed_company_ids=[self.company.id]
        ).get_journal_lanes(
            "employee_id", "2031-03-03 00:00:00", "2031-03-04 00:00:00", []
        )
        self.assertNotIn(
            self.far_specialist.id, [lane["id"] for lane in result["lanes"]]
        )

    def test_room_lanes_are_not_shaded(self):
        result = self.lines.get_journal_lanes(
            "room_id", "2031-03-03 00:00:00", "2031-03-04 00:00:00", []
        )
        self.assertIn({"id": self.laser.id, "content": "Laser device"}, result["lanes"])
        self.assertEqual(result["off"], [])

    def test_a_year_is_not_shaded(self):
        result = self.lines.get_journal_lanes(
            "employee_id", "2031-01-01 00:00:00", "2032-01-01 00:00:00", []
        )
        self.assertIn(self.specialist.id, [lane["id"] for lane in result["lanes"]])
        self.assertEqual(result["off"], [])

    def test_hostile_windows(self):
        self.assertEqual(
            self.lines.get_journal_lanes(
                "partner_id", "2031-03-03 00:00:00", "2031-03-04 00:00:00", []
            ),
            {"lanes": [], "off": []},
        )
        for start, stop in (
            ("yesterday", "2031-03-04 00:00:00"),
            ("2031-03-04 00:00:00", "2031-03-03 00:00:00"),
            (False, "2031-03-04 00:00:00"),
        ):
            with self.subTest(start=start, stop=stop), self.assertRaises(UserError):
                self.lines.get_journal_lanes("employee_id", start, stop, [])
