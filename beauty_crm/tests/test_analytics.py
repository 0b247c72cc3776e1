"""Salon analytics: every metric computed on a small branch and compared with
the figure worked out by hand in the comments."""

import json
from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, tagged

from odoo.addons.mail.tests.common import mail_new_test_user

from .common import BeautyCommon

MSK = timedelta(hours=3)


def msk(day, hour=12):
    """Naive UTC of a Moscow time."""
    return datetime.combine(day, datetime.min.time()) + timedelta(hours=hour) - MSK


@tagged("post_install", "-at_install")
class TestAnalytics(BeautyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.branch = cls.env["res.company"].create({"name": "Analytics branch"})
        cls.user_manager.company_ids = [Command.link(cls.branch.id)]
        cls.env.user.company_ids = [Command.link(cls.branch.id)]
        users = [
            mail_new_test_user(
                cls.env,
                login=f"bc_an_{index}",
                name=f"Analyst specialist {index}",
                groups="beauty_crm.group_beauty_specialist",
                company_id=cls.branch.id,
                company_ids=[Command.set(cls.branch.ids)],
            )
            for index in (1, 2)
        ]
        cls.calendar_b = cls.calendar.copy({"company_id": cls.branch.id})
        cls.s1, cls.s2 = cls.env["hr.employee"].create(
            [
                {
                    "name": f"Analyst specialist {index + 1}",
                    "user_id": user.id,
                    "is_specialist": True,
                    "company_id": cls.branch.id,
                    "resource_calendar_id": cls.calendar_b.id,
                    "tz": "Europe/Moscow",
                }
                for index, user in enumerate(users)
            ]
        )
        service = {
            "type": "service",
            "is_salon_service": True,
            "specialist_ids": [Command.set((cls.s1 | cls.s2).ids)],
        }
        cls.service_a = cls.env["product.product"].create(
            dict(
                service,
                name="Analytics A",
                service_duration=1.0,
                list_price=1000,
                repeat_interval_days=30,
            )
        )
        cls.service_b = cls.env["product.product"].create(
            dict(service, name="Analytics B", service_duration=2.0, list_price=3000)
        )
        utm = cls.env["utm.source"]
        cls.instagram = utm.create({"name": "Analytics Instagram"})
        cls.google = utm.create({"name": "Analytics Google"})
        cls.reason = cls.env["beauty.visit.reason"].create({"name": "Analytics acne"})
        cls.spring = cls.env["utm.campaign"].create({"name": "Analytics spring"})
        client = {"is_salon_client": True, "company_id": cls.branch.id}
        Partner = cls.env["res.partner"]
        cls.c1 = Partner.create(
            dict(
                client,
                name="An C1",
                source_id=cls.instagram.id,
                campaign_id=cls.spring.id,
                visit_reason_id=cls.reason.id,
                birthday=date(1990, 12, 30),
            )
        )
        cls.c2 = Partner.create(
            dict(
                client,
                name="An C2",
                source_id=cls.instagram.id,
                birthday=date(1985, 1, 5),
            )
        )
        cls.c3 = Partner.create(
            dict(
                client,
                name="An C3",
                source_id=cls.google.id,
                birthday=date(1970, 6, 10),
            )
        )
        cls.c4 = Partner.create(dict(client, name="An C4"))
        cls.c5 = Partner.create(dict(client, name="An C5"))
        book = cls._book
        # C1 (Instagram): new in March, back on March 20, regular after April 10.
        cls.c1_first = book(cls.c1, date(2026, 3, 2), cls.s1, cls.service_a)
        cls.c1_second = book(cls.c1, date(2026, 3, 20), cls.s1, cls.service_a)
        book(cls.c1, date(2026, 4, 10), cls.s1, cls.service_a)
        # C2 (Instagram): new on March 5, booked again before leaving (April
        # 20, cancelled later), never came back.
        cls.c2_first = book(cls.c2, date(2026, 3, 5), cls.s2, cls.service_b)
        with freeze_time(cls.c2_first.stop + timedelta(minutes=30)):
            book(cls.c2, date(2026, 4, 20), cls.s2, cls.service_b, "cancelled")
        # ... while C1's second visit was booked long after the first ended.
        # C3 (Google): came first in February; March 12 done, March 25 no-show.
        book(cls.c3, date(2026, 2, 10), cls.s1, cls.service_a)
        cls.c3_march = book(cls.c3, date(2026, 3, 12), cls.s1, cls.service_b)
        book(cls.c3, date(2026, 3, 25), cls.s2, cls.service_a, "no_show")
        # C4 (no source): new on March 16, cancelled March 28, booked for 2027.
        book(cls.c4, date(2026, 3, 16), cls.s2, cls.service_a)
        book(cls.c4, date(2026, 3, 28), cls.s1, cls.service_a, "cancelled")
        book(cls.c4, date(2027, 1, 15), cls.s2, cls.service_a, "confirmed")
        # C5: an online hold that expired unconfirmed: not a booking.
        hold = book(cls.c5, date(2026, 3, 18), cls.s1, cls.service_a, "cancelled")
        hold.hold_expires_at = msk(date(2026, 3, 1))
        # Reviews: C1 gives specialist 1 five stars, C2 gives specialist 2 three.
        for appointment, stars in ((cls.c1_second, 5), (cls.c2_first, 3)):
            appointment.rating_apply(
                stars, token=appointment._rating_get_access_token()
            )
        spend = cls.env["beauty.ad.spend"]
        spend.create(
            [
                {
                    "company_id": cls.branch.id,
                    "source_id": cls.instagram.id,
                    "month": "2026-03-17",
                    "amount": 1000,
                },
                {
                    "company_id": cls.branch.id,
                    "source_id": cls.instagram.id,
                    "month": "2026-02-01",
                    "amount": 500,
                },
                {
                    "company_id": cls.branch.id,
                    "source_id": cls.instagram.id,
                    "campaign_id": cls.spring.id,
                    "month": "2026-03-01",
                    "amount": 400,
                },
            ]
        )
        cls.kpi = cls.env["beauty.kpi"].with_user(cls.user_manager)

    @classmethod
    def _book(cls, partner, day, employee, product, state="done"):
        appointment = cls.env["beauty.appointment"].create(
            {
                "partner_id": partner.id,
                "company_id": cls.branch.id,
                "line_ids": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "employee_id": employee.id,
                            "start": msk(day),
                        }
                    )
                ],
            }
        )
        appointment.state = state
        return appointment

    def _march(self, **kwargs):
        return self.kpi._beauty_metrics(
            self.branch, date(2026, 3, 1), date(2026, 3, 31), **kwargs
        )

    def test_visit_metrics(self):
        m = self._march()
        # Done in March: C1 x2, C2, C3, C4 = 5 visits of 4 clients;
        # 1000 + 1000 + 3000 + 3000 + 1000 = 9000.
        self.assertEqual(m["visits"], 5)
        self.assertEqual(m["clients"], 4)
        self.assertAlmostEqual(m["revenue"], 9000)
        self.assertAlmostEqual(m["average_ticket"], 1800)
        self.assertAlmostEqual(m["visits_per_client"], 1.25)
        # One no-show among 5 visits + 1 no-show; one cancellation among 7
        # bookings (the expired hold of C5 is not a booking).
        self.assertEqual(m["no_shows"], 1)
        self.assertAlmostEqual(m["no_show_rate"], 1 / 6)
        self.assertEqual(m["cancellations"], 1)
        self.assertAlmostEqual(m["cancellation_rate"], 1 / 7)
        # Only C2 booked again before leaving.
        self.assertEqual(m["rebooked"], 1)
        self.assertAlmostEqual(m["rebooking_rate"], 1 / 5)

    def test_new_clients_retention_funnel(self):
        m = self._march()
        # New in March: C1, C2, C4 (C3 came first in February).
        self.assertEqual(m["new_clients"], 3)
        # Back within 90 days: C1 only; within 10 days: nobody (18 days).
        self.assertEqual(m["retained"], 1)
        self.assertAlmostEqual(m["retention_rate"], 1 / 3)
        self.assertEqual(self._march(retention_days=10)["retained"], 0)
        # Funnel: 3 new -> 1 second visit -> 1 regular (C1, three visits).
        self.assertEqual(m["funnel_second_visit"], 1)
        self.assertEqual(m["funnel_regular"], 1)
        with self.assertRaises(UserError):
            self._march(retention_days=0)

    def test_specialists(self):
        rows = {row["employee"]: row for row in self._march()["specialists"]}
        s1, s2 = rows[self.s1], rows[self.s2]
        # Specialist 1: C1 A, C1 A, C3 B done (5000, 4 h); C4's cancelled A
        # holds nothing. Specialist 2: C2 B and C4 A done (4000); booked 2 h +
        # 1 h + the no-show's 1 h = 4 h.
        self.assertAlmostEqual(s1["revenue"], 5000)
        self.assertEqual(s1["services"], 3)
        self.assertAlmostEqual(s1["booked_hours"], 4)
        self.assertAlmostEqual(s2["revenue"], 4000)
        self.assertEqual(s2["services"], 2)
        self.assertAlmostEqual(s2["booked_hours"], 4)
        # March 2026: 26 days Monday to Saturday, 10 h each.
        self.assertAlmostEqual(s1["working_hours"], 260)
        self.assertAlmostEqual(s1["utilisation"], 4 / 260)
        self.assertAlmostEqual(s1["rating"], 5)
        self.assertEqual(s1["reviews"], 1)
        self.assertAlmostEqual(s2["rating"], 3)
        self.assertEqual(s2["reviews"], 1)

    def test_specialists_of_several_periods(self):
        # February, March and April 2026 in one grouped call, as the
        # specialist performance screen asks for its months.
        periods = [
            self.kpi._period(first, last)
            for first, last in (
                (date(2026, 2, 1), date(2026, 2, 28)),
                (date(2026, 3, 1), date(2026, 3, 31)),
                (date(2026, 4, 1), date(2026, 4, 30)),
            )
        ]
        february, march, april = (
            {row["employee"]: row for row in table}
            for table in self.kpi._specialist_metrics_periods(self.branch, periods)
        )
        # February: C3's first visit, A with specialist 1 (1000, 1 h); 24 days
        # Monday to Saturday of 10 h (four Sundays).
        self.assertAlmostEqual(february[self.s1]["revenue"], 1000)
        self.assertAlmostEqual(february[self.s1]["booked_hours"], 1)
        self.assertAlmostEqual(february[self.s1]["working_hours"], 240)
        self.assertEqual(february[self.s1]["visits"], 1)
        self.assertEqual(february[self.s2]["services"], 0)
        # March is the table of the March KPIs, figure for figure.
        self.assertEqual(list(march.values()), self._march()["specialists"])
        self.assertEqual(march[self.s2]["visits"], 2)
        self.assertEqual(march[self.s2]["rebooked"], 1)
        # April: C1's third visit with specialist 1; C2's cancelled B with
        # specialist 2 holds nothing; 26 working days.
        self.assertAlmostEqual(april[self.s1]["revenue"], 1000)
        self.assertEqual(april[self.s1]["services"], 1)
        self.assertAlmostEqual(april[self.s1]["working_hours"], 260)
        self.assertAlmostEqual(april[self.s2]["booked_hours"], 0)
        self.assertEqual(april[self.s2]["visits"], 0)

    def test_channels(self):
        metrics = self._march()
        rows = {row["channel"]: row for row in metrics["channels"]}
        instagram = rows[self.instagram]
        # New from Instagram: C1 and C2; their revenue until March 31:
        # 1000 + 1000 + 3000. March spend 1000 + 400 of its spring campaign
        # (February's 500 is not March): CAC 700, ROI (5000 - 1400) / 1400.
        self.assertEqual(instagram["new_clients"], 2)
        self.assertAlmostEqual(instagram["new_client_revenue"], 5000)
        self.assertAlmostEqual(instagram["spend"], 1400)
        self.assertAlmostEqual(instagram["cac"], 700)
        self.assertAlmostEqual(instagram["roi"], 3600 / 1400)
        # LTV: total spent to date per client of the source: (3000 + 3000) / 2.
        self.assertAlmostEqual(instagram["ltv"], 3000)
        google = rows[self.google]
        self.assertEqual(google["new_clients"], 0)
        self.assertAlmostEqual(google["ltv"], 4000)
        none = rows[self.env["utm.source"]]
        self.assertEqual(none["new_clients"], 1)
        self.assertAlmostEqual(none["cac"], 0)
        # Per campaign: C1 came through the spring campaign, which cost 400
        # in March: CAC 400, ROI (2000 - 400) / 400; C2 and C4 have none.
        campaigns = {row["channel"]: row for row in metrics["campaigns"]}
        spring = campaigns[self.spring]
        self.assertEqual(spring["new_clients"], 1)
        self.assertAlmostEqual(spring["spend"], 400)
        self.assertAlmostEqual(spring["cac"], 400)
        self.assertAlmostEqual(spring["roi"], 4.0)
        no_campaign = campaigns[self.env["utm.campaign"]]
        self.assertEqual(no_campaign["new_clients"], 2)
        self.assertAlmostEqual(no_campaign["cac"], 500)

    def test_services(self):
        services = self._march()["services"]
        self.assertEqual(
            [(row["product"], row["services"], row["revenue"]) for row in services],
            [(self.service_a, 3, 3000.0), (self.service_b, 2, 6000.0)],
        )

    def test_period_is_in_user_time_zone(self):
        # C1's first visit is March 2, 12:00 Moscow = 09:00 UTC. A period of
        # March 2 only holds it; in Moscow, 02:00 on March 2 is still March 1
        # in UTC, so a naive UTC period would differ at the edges.
        start, stop = self.kpi._period(date(2026, 3, 2), date(2026, 3, 2))
        self.assertEqual(start, datetime(2026, 3, 1, 21, 0))
        self.assertEqual(stop, datetime(2026, 3, 2, 21, 0))
        with self.assertRaises(UserError):
            self.kpi._period(date(2026, 3, 2), date(2026, 3, 1))

    def _wizard(self, report, date_from=None, date_to=None, **values):
        wizard = (
            self.env["beauty.report.wizard"]
            .with_user(self.user_manager)
            .create(
                dict(
                    report=report,
                    date_from=date_from or date(2026, 3, 1),
                    date_to=date_to or date(2026, 3, 31),
                    company_ids=[Command.set(self.branch.ids)],
                    **values,
                )
            )
        )
        action = wizard.action_open()
        return (
            self.env[action["res_model"]]
            .with_user(self.user_manager)
            .search(action["domain"])
        )

    def test_report_birthdays(self):
        across_new_year = self._wizard(
            "birthdays", date(2026, 12, 20), date(2027, 1, 10)
        )
        self.assertEqual(across_new_year, self.c1 | self.c2)
        self.assertEqual(
            self._wizard("birthdays", date(2026, 6, 1), date(2026, 6, 30)), self.c3
        )

    def test_report_new_clients_and_rating(self):
        new = self._wizard("new_clients")
        self.assertEqual(new.partner_id, self.c1 | self.c2 | self.c4)
        rating = self._wizard("rating")
        # Done in March: C2 3000, C3 3000 (equal: by client), C1 2000, C4 1000.
        self.assertEqual(
            [(row.rank, row.partner_id, row.revenue, row.visits) for row in rating],
            [
                (1, self.c2, 3000.0, 1),
                (2, self.c3, 3000.0, 1),
                (3, self.c1, 2000.0, 2),
                (4, self.c4, 1000.0, 1),
            ],
        )
        self.assertEqual(rating[2].client_category, self.c1.client_category)
        top = self._wizard("rating", rating_limit=2)
        self.assertEqual(top.partner_id, self.c2 | self.c3)
        self.assertTrue(rating[2].client_category)
        # Another manager's ranking is not readable; branches one does not
        # work for are refused.
        other = self.user_receptionist
        with self.assertRaises(AccessError):
            rating.with_user(other).read(["revenue"])
        self.user_manager.company_ids = [Command.unlink(self.branch.id)]
        with self.assertRaises(UserError):
            self._wizard("rating")

    def test_report_lost(self):
        with freeze_time("2026-12-03 09:00:00"):
            # Not seen since May 17 (200 days) and nothing booked; C4 has a
            # visit booked for 2027, C5 never came.
            lost = self._wizard("lost", lost_days=200)
        self.assertEqual(lost, self.c1 | self.c2 | self.c3)
        with self.assertRaises(UserError):
            self._wizard("lost", lost_days=0)

    def test_report_visits_due(self):
        # C3's service B of March 12 has a procedure record that sets the next
        # visit for April 20; service A repeats every 30 days.
        self.env["beauty.consent"].create(
            {"partner_id": self.c3.id, "kind": "treatment", "version": "test-1"}
        )
        line = self.c3_march.line_ids
        procedure = self.env["beauty.procedure"].browse(
            line.action_create_procedure()["res_id"]
        )
        procedure.next_visit_date = date(2026, 4, 20)
        procedure.action_validate()
        self.assertEqual(line.next_due_date, date(2026, 4, 20))
        with freeze_time("2026-12-03 09:00:00"):
            due = self._wizard("due", date(2026, 4, 1), date(2026, 5, 31))
        # C1: last A done April 10 -> May 10 (the March visits are superseded);
        # C4's A is due April 15 but C4 has a visit booked.
        self.assertEqual(
            {(row.partner_id, row.product_id, row.due_date) for row in due},
            {
                (self.c1, self.service_a, date(2026, 5, 10)),
                (self.c3, self.service_b, date(2026, 4, 20)),
            },
        )
        # Recalls from the report: C1 accepts marketing e-mails, C3 nothing.
        self.c1.email = "an.c1@example.com"
        self.env["beauty.consent"].create(
            {"partner_id": self.c1.id, "kind": "marketing_email", "version": "t-1"}
        )
        Message = self.env["beauty.message"]
        for _attempt in range(2):
            with freeze_time("2026-12-03 09:00:00"):
                due.with_user(self.user_manager).action_beauty_send_recall()
        recalls = Message.search(
            [("kind", "=", "recall"), ("partner_id", "in", due.partner_id.ids)]
        )
        self.assertEqual(recalls.partner_id, self.c1)
        self.assertEqual((len(recalls), recalls.channel), (1, "email"))

    def test_access(self):
        for model in ("beauty.report.visit", "beauty.report.due", "beauty.ad.spend"):
            with self.assertRaises(AccessError):
                self.env[model].with_user(self.user_receptionist).search([])
        # A manager of the main company only sees nothing of the branch.
        self.user_manager.company_ids = [Command.unlink(self.branch.id)]
        visits = self.env["beauty.report.visit"].with_user(self.user_manager)
        self.assertFalse(visits.search([("company_id", "=", self.branch.id)]))
        with self.assertRaises(AccessError):
            self._march()

    def test_ad_spend(self):
        spend = self.env["beauty.ad.spend"].create(
            {"source_id": self.google.id, "month": "2026-05-19", "amount": 10}
        )
        self.assertEqual(spend.month, date(2026, 5, 1))
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            spend.amount = -1
            spend.flush_recordset()

    def test_dashboard_and_weekly_mail(self):
        dashboard = (
            self.env["beauty.kpi.dashboard"]
            .with_user(self.user_manager)
            .create(
                {
                    "company_id": self.branch.id,
                    "date_from": "2026-03-01",
                    "date_to": "2026-03-31",
                }
            )
        )
        self.assertIn("Analyst specialist 1", dashboard.report_html)
        self.assertIn("9,000.00", dashboard.report_html)
        self.user_manager.email = "mila@example.com"
        with freeze_time("2026-03-09 06:00:00"):
            mails = self.env["beauty.kpi"]._cron_weekly_kpi_mail()
        mail = mails.filtered(lambda mail: "Analytics branch" in mail.subject)
        self.assertEqual(mail.recipient_ids, self.user_manager.partner_id)
        # March 2 to 8: C1's 1000 and C2's 3000.
        self.assertIn("4,000.00", mail.body_html)


@tagged("post_install", "-at_install")
class TestSalonDashboard(BeautyCommon, HttpCase):
    def test_dashboard_references_real_fields(self):
        """Every model, measure, group-by and filter field of the Salon
        dashboard exists and can be grouped or summed."""
        dashboard = self.env.ref("beauty_crm.spreadsheet_dashboard_salon")
        data = json.loads(dashboard.spreadsheet_data)
        used = []
        for pivot in data["pivots"].values():
            used += [
                (pivot["model"], m["fieldName"], "measure") for m in pivot["measures"]
            ]
            used += [(pivot["model"], r["fieldName"], "group") for r in pivot["rows"]]
            used += [
                (pivot["model"], f["chain"], "group")
                for f in pivot["fieldMatching"].values()
            ]
        for sheet in data["sheets"]:
            for figure in sheet["figures"]:
                meta = figure["data"].get("metaData")
                if meta:
                    used.append((meta["resModel"], meta["measure"], "measure"))
                    used += [
                        (meta["resModel"], group.split(":")[0], "group")
                        for group in meta["groupBy"]
                    ]
        self.assertGreater(len(used), 20)
        for model, fname, usage in used:
            if fname == "__count":
                continue
            field = self.env[model]._fields[fname]
            self.assertTrue(field.store, f"{model}.{fname}")
            if usage == "measure":
                self.assertIn(field.type, ("integer", "float", "monetary"), fname)
        self.assertEqual(
            dashboard.group_ids, self.env.ref("beauty_crm.group_beauty_manager")
        )

    def test_reports_are_read_only_requests(self):
        """Pivot, list and graph reads of the reports are Odoo's read-only
        RPC methods, so a chain's Odoo with db_replica_* sends them to the
        replica; they work on a read-only transaction."""
        self.authenticate("bc_manager", "bc_manager")
        groups = self.make_jsonrpc_request(
            "/web/dataset/call_kw",
            {
                "model": "beauty.report.visit",
                "method": "web_read_group",
                "args": [[], ["revenue:sum"], ["company_id"]],
                "kwargs": {"lazy": False},
            },
        )
        self.assertIn("groups", groups)
        with self.env.registry.cursor(readonly=True) as cr:
            cr.execute("SHOW transaction_read_only")
            self.assertEqual(cr.fetchone()[0], "on")
            env = self.env(cr=cr, user=self.user_manager)
            metrics = env["beauty.kpi"]._beauty_metrics(
                env.company, date(2026, 3, 1), date(2026, 3, 31)
            )
        self.assertIn("visits", metrics)

    def test_tour_dashboard(self):
        self.start_tour(
            "/odoo/action-spreadsheet_dashboard.ir_actions_dashboard_action",
            "beauty_crm_salon_dashboard",
            login="bc_manager",
        )
