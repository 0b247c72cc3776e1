"""Salon leads: the consultation booked through the engine, the steps a
visit moves a lead to, the forecast, the lead funnel and specialist
performance, each compared with figures worked out by hand."""

from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from odoo.addons.mail.tests.common import mail_new_test_user

from .common import BeautyCommon

MSK = timedelta(hours=3)


def msk(day, hour=12):
    """Naive UTC of a Moscow time."""
    return datetime.combine(day, datetime.min.time()) + timedelta(hours=hour) - MSK


def working_day(offset=3):
    day = date.today() + timedelta(days=offset)
    while day.weekday() == 6:
        day += timedelta(days=1)
    return day


class LeadCommon(BeautyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team = cls.env.ref("beauty_crm.crm_team_salon")
        cls.stage = {
            stage.beauty_step: stage
            for stage in cls.env["crm.stage"].search([("team_id", "=", cls.team.id)])
        }
        cls.consultation = cls.env["product.product"].create(
            {
                "name": "Test free consultation",
                "type": "service",
                "is_salon_service": True,
                "is_beauty_consultation": True,
                "service_duration": 0.5,
                "list_price": 0,
                "specialist_ids": [Command.link(cls.specialist.id)],
            }
        )
        cls.service_nails = cls.env["product.product"].create(
            {
                "name": "Test manicure",
                "type": "service",
                "is_salon_service": True,
                "service_duration": 1.0,
                "list_price": 2000,
                "specialist_ids": [Command.link(cls.specialist.id)],
            }
        )
        cls.day = working_day()

    def _lead(self, **values):
        return (
            self.env["crm.lead"]
            .with_user(self.user_receptionist)
            .create(
                {
                    "name": "Asks about peels",
                    "type": "opportunity",
                    "team_id": self.team.id,
                    "contact_name": "Lena Lead",
                    "phone": "+7 912 444-55-66",
                    **values,
                }
            )
        )

    def _book_consultation(self, lead, hour=11, employee=None, user=None):
        wizard = (
            self.env["beauty.lead.consultation"]
            .with_user(user or self.user_receptionist)
            .create(
                {
                    "lead_id": lead.id,
                    "product_id": self.consultation.id,
                    "employee_id": (employee or self.specialist).id,
                    "start": msk(self.day, hour),
                }
            )
        )
        wizard.action_book()
        return lead.beauty_appointment_ids

    def _visit(self, partner, start, product=None, state="done"):
        appointment = self.env["beauty.appointment"].create(
            {
                "partner_id": partner.id,
                "line_ids": [
                    Command.create(
                        {
                            "product_id": (product or self.service_nails).id,
                            "employee_id": self.specialist.id,
                            "start": start,
                        }
                    )
                ],
            }
        )
        appointment.state = state
        return appointment


@tagged("post_install", "-at_install")
class TestLeadSteps(LeadCommon):
    def test_new_lead_of_the_team_starts_in_new(self):
        lead = self._lead()
        self.assertEqual(lead.stage_id, self.stage["new"])
        self.assertEqual(lead.beauty_channel, "phone")

    def test_consultation_to_first_visit(self):
        lead = self._lead()
        visit = self._book_consultation(lead)
        # Booked by the engine at 11:00 Moscow with the specialist, confirmed.
        self.assertEqual(visit.start, msk(self.day, 11))
        self.assertEqual(visit.line_ids.employee_id, self.specialist)
        self.assertEqual(visit.state, "confirmed")
        self.assertTrue(visit.beauty_is_consultation)
        self.assertEqual(visit.channel, "phone")
        self.assertEqual(lead.stage_id, self.stage["consultation_booked"])
        # The lead had no customer: a new client card from its contact.
        client = lead.partner_id
        self.assertEqual(visit.partner_id, client)
        self.assertTrue(client.is_salon_client)
        self.assertEqual(client.name, "Lena Lead")
        self.assertEqual(client.phone, "+79124445566")

        visit.action_arrive()
        visit.action_done()
        self.assertEqual(lead.stage_id, self.stage["consultation_done"])
        self.assertLess(lead.probability, 100)
        # A second consultation visit done is not a first paid visit.
        self._visit(client, msk(self.day, 15), self.consultation)
        self.assertEqual(lead.stage_id, self.stage["consultation_done"])

        paid = self._visit(client, msk(self.day, 16), state="confirmed")
        self.assertEqual(lead.stage_id, self.stage["consultation_done"])
        paid.action_arrive()
        paid.action_done()
        self.assertEqual(lead.stage_id, self.stage["first_visit_done"])
        self.assertEqual(lead.probability, 100)
        self.assertTrue(lead.stage_id.is_won)
        # A won lead never moves back.
        self._visit(client, msk(self.day, 18), self.consultation).lead_id = lead
        self.assertEqual(lead.stage_id, self.stage["first_visit_done"])

    def test_cancelled_consultation_goes_back_to_new(self):
        lead = self._lead()
        visit = self._book_consultation(lead)
        visit._action_cancel("Client is ill", cancelled_by="client")
        self.assertEqual(lead.stage_id, self.stage["new"])
        self.assertIn("cancelled or missed", lead.message_ids[0].body)

    def test_first_visit_without_consultation_wins_only_salon_leads(self):
        lead = self._lead(partner_id=self.client.id)
        other_team = self.env["crm.team"].create({"name": "Test wholesale"})
        other = self._lead(partner_id=self.client.id, team_id=other_team.id)
        self._visit(self.client, msk(self.day, 12))
        self.assertEqual(lead.stage_id, self.stage["first_visit_done"])
        self.assertEqual(lead.probability, 100)
        self.assertNotEqual(other.probability, 100)

    def test_lost_lead_is_not_booked_nor_moved(self):
        lead = self._lead(partner_id=self.client.id)
        lost_reason = self.env["crm.lost.reason"].create({"name": "Chose another"})
        lead.action_set_lost(lost_reason_id=lost_reason.id)
        with self.assertRaisesRegex(UserError, "won or lost"):
            lead.action_beauty_book_consultation()
        self._visit(self.client, msk(self.day, 12))
        self.assertFalse(lead.active)
        self.assertEqual(lead.probability, 0)
        self.assertEqual(lead.lost_reason_id, lost_reason)

    def test_taken_time_gives_the_engine_message(self):
        self._book_consultation(self._lead())
        second = self._lead(contact_name="Second Lead", phone="+7 912 444-55-67")
        with self.assertRaisesRegex(ValidationError, "already booked"):
            self._book_consultation(second)
        self.assertEqual(second.stage_id, self.stage["new"])
        self.assertFalse(second.beauty_appointment_ids)

    def test_nobody_free_names_the_next_free_time(self):
        self._book_consultation(self._lead())
        second = self._lead(contact_name="Second Lead", phone="+7 912 444-55-67")
        wizard = (
            self.env["beauty.lead.consultation"]
            .with_user(self.user_receptionist)
            .create(
                {
                    "lead_id": second.id,
                    "product_id": self.consultation.id,
                    "start": msk(self.day, 11),
                }
            )
        )
        # 11:00-11:30 is taken: the next start on the 15-minute grid is 11:30.
        with self.assertRaisesRegex(UserError, "first free time after it: .*11:30"):
            wizard.action_book()

    def test_wizard_proposes_the_first_free_time(self):
        wizard = self.env["beauty.lead.consultation"].create(
            {"lead_id": self._lead().id, "product_id": self.consultation.id}
        )
        first = self.env["beauty.scheduler"].get_available_slots(
            self.consultation,
            fields.Datetime.now(),
            fields.Datetime.now() + timedelta(days=14),
        )[0]
        self.assertEqual(wizard.start, first["start"])

    def test_lead_without_contact_is_refused(self):
        lead = self._lead(phone=False, contact_name="Nobody")
        with self.assertRaisesRegex(UserError, "phone or e-mail"):
            self._book_consultation(lead)

    def test_access(self):
        lead = self._lead()
        # The front desk and specialists work on leads; portal users and
        # employees outside the salon do not.
        lead.with_user(self.user_specialist).read(["name"])
        for user in (self.user_portal, self.user_employee):
            with self.assertRaises(AccessError):
                lead.with_user(user).read(["name"])
        with self.assertRaises(AccessError):
            self.env["beauty.report.forecast"].with_user(self.user_receptionist).search(
                []
            )
        with self.assertRaises(AccessError):
            self.env["beauty.report.lead.funnel"].with_user(
                self.user_receptionist
            ).search([])
        self.assertTrue(self.user_manager.has_group("sales_team.group_sale_manager"))


@tagged("post_install", "-at_install")
class TestLeadReports(LeadCommon):
    def test_forecast(self):
        today = date.today()
        in_40 = today + timedelta(days=40)
        a = self._lead(expected_revenue=10000, probability=30, date_deadline=in_40)
        b = self._lead(
            expected_revenue=5000,
            probability=50,
            date_deadline=today - timedelta(days=5),
            contact_name="B",
        )
        won = self._lead(expected_revenue=7000, contact_name="Won")
        won.action_set_won()
        lost = self._lead(expected_revenue=7000, contact_name="Lost")
        lost.action_set_lost()
        other_team = self.env["crm.team"].create({"name": "Test wholesale"})
        other = self._lead(expected_revenue=9000, team_id=other_team.id)
        booked = self._visit(self.client, msk(self.day, 12), state="confirmed")
        self._visit(self.client, msk(self.day, 14), state="cancelled")
        self._visit(self.client, msk(self.day, 16), state="draft").hold_expires_at = (
            fields.Datetime.now() + timedelta(minutes=5)
        )
        Forecast = self.env["beauty.report.forecast"].with_user(self.user_manager)
        domain = [
            "|",
            ("lead_id", "in", (a | b | won | lost | other).ids),
            ("partner_id", "=", self.client.id),
        ]
        rows = Forecast.search(domain)
        # Open salon leads a and b, the confirmed visit; not the won, lost or
        # other team's lead, the cancelled visit nor the online hold.
        self.assertEqual(rows.lead_id, a | b)
        self.assertEqual(rows.appointment_id, booked)
        # a: 10000 x 30 % = 3000, 0.3 visit, in the month of its closing;
        # b: 5000 x 50 % = 2500, 0.5 visit, closing passed: today.
        row_a = rows.filtered(lambda r: r.lead_id == a)
        row_b = rows.filtered(lambda r: r.lead_id == b)
        self.assertAlmostEqual(row_a.revenue, 3000)
        self.assertAlmostEqual(row_a.visits, 0.3)
        self.assertEqual(row_a.date.date(), in_40)
        self.assertAlmostEqual(row_b.revenue, 2500)
        self.assertEqual(row_b.date.date(), today)
        totals = Forecast.read_group(domain, ["visits:sum", "revenue:sum"], ["kind"])
        by_kind = {row["kind"]: row for row in totals}
        # Booked: one visit of 2000.
        self.assertAlmostEqual(by_kind["booked"]["visits"], 1)
        self.assertAlmostEqual(by_kind["booked"]["revenue"], 2000)
        self.assertAlmostEqual(by_kind["lead"]["visits"], 0.8)
        self.assertAlmostEqual(by_kind["lead"]["revenue"], 5500)

    def test_funnel(self):
        Partner = self.env["res.partner"]
        p1, p2, p3 = Partner.create(
            [{"name": f"Funnel {n}", "is_salon_client": True} for n in (1, 2, 3)]
        )
        source = self.env["utm.source"].create({"name": "Test Instagram"})
        l1 = self._lead(partner_id=p1.id, source_id=source.id)
        l2 = self._lead(partner_id=p2.id, source_id=source.id)
        l3 = self._lead(partner_id=p3.id)
        l4 = self._lead(contact_name="Never came")
        reason = self.env["crm.lost.reason"].create({"name": "Too far"})
        l4.action_set_lost(lost_reason_id=reason.id)
        leads = l1 | l2 | l3 | l4
        self.env.cr.execute(
            "UPDATE crm_lead SET create_date = %s WHERE id IN %s",
            (datetime(2026, 1, 15), tuple(leads.ids)),
        )
        # p3's only paid visit was before the lead: not a first visit.
        self._visit(p3, msk(date(2026, 1, 10)))
        # p1: consultation (done, for l1), then two paid visits in February.
        self._visit(p1, msk(date(2026, 1, 20)), self.consultation).lead_id = l1
        self._visit(p1, msk(date(2026, 2, 2)))
        self._visit(p1, msk(date(2026, 2, 20)))
        # p2: one paid visit, one cancelled.
        self._visit(p2, msk(date(2026, 2, 3)))
        self._visit(p2, msk(date(2026, 2, 24)), state="cancelled")
        self.env.invalidate_all()
        Funnel = self.env["beauty.report.lead.funnel"].with_user(self.user_manager)
        domain = [("lead_id", "in", leads.ids)]
        (total,) = Funnel.read_group(
            domain,
            ["leads:sum", "consultations:sum", "first_visits:sum", "second_visits:sum"]
            + ["lost:sum", "won:sum"],
            [],
        )
        # 4 leads; l1 consulted; l1 and l2 came (first visit); l1 came twice;
        # l4 lost. l1 and l2 are won by their first paid visit.
        self.assertEqual(total["leads"], 4)
        self.assertEqual(total["consultations"], 1)
        self.assertEqual(total["first_visits"], 2)
        self.assertEqual(total["second_visits"], 1)
        self.assertEqual(total["lost"], 1)
        self.assertEqual(total["won"], 2)
        by_source = {
            row["source_id"] and row["source_id"][0]: row
            for row in Funnel.read_group(
                domain, ["leads:sum", "first_visits:sum"], ["source_id"]
            )
        }
        self.assertEqual(by_source[source.id]["leads"], 2)
        self.assertEqual(by_source[source.id]["first_visits"], 2)
        self.assertEqual(by_source[False]["first_visits"], 0)
        (month,) = Funnel.read_group(domain, ["leads:sum"], ["date:month"])
        self.assertEqual(month["leads"], 4)


@tagged("post_install", "-at_install")
class TestSpecialistPerformance(BeautyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.branch = cls.env["res.company"].create({"name": "Performance branch"})
        cls.user_manager.company_ids = [Command.link(cls.branch.id)]
        cls.env.user.company_ids = [Command.link(cls.branch.id)]
        user = mail_new_test_user(
            cls.env,
            login="bc_perf_1",
            name="Perf specialist",
            groups="beauty_crm.group_beauty_specialist",
            company_id=cls.branch.id,
            company_ids=[Command.set(cls.branch.ids)],
        )
        cls.perf = cls.env["hr.employee"].create(
            {
                "name": "Perf specialist",
                "user_id": user.id,
                "is_specialist": True,
                "company_id": cls.branch.id,
                "resource_calendar_id": cls.calendar.copy(
                    {"company_id": cls.branch.id}
                ).id,
                "tz": "Europe/Moscow",
            }
        )
        service = cls.env["product.product"].create(
            {
                "name": "Perf service",
                "type": "service",
                "is_salon_service": True,
                "service_duration": 1.0,
                "list_price": 1500,
                "specialist_ids": [Command.link(cls.perf.id)],
            }
        )
        client = cls.env["res.partner"].create(
            {
                "name": "Perf client",
                "is_salon_client": True,
                "company_id": cls.branch.id,
            }
        )
        visits = cls.env["beauty.appointment"]
        for day in (2, 3, 4):
            visits |= cls.env["beauty.appointment"].create(
                {
                    "partner_id": client.id,
                    "company_id": cls.branch.id,
                    "line_ids": [
                        Command.create(
                            {
                                "product_id": service.id,
                                "employee_id": cls.perf.id,
                                "start": msk(date(2026, 3, day)),
                            }
                        )
                    ],
                }
            )
        visits[:2].write({"state": "done"})
        visits[2].state = "no_show"
        visits[0].beauty_rebooked = True
        visits[0].rating_apply(4, token=visits[0]._rating_get_access_token())

    @freeze_time("2026-04-15 09:00:00")
    def test_performance_of_march(self):
        action = self.perf.with_user(self.user_manager).action_beauty_performance()
        rows = self.env["beauty.specialist.performance"].search(action["domain"])
        # The last 12 months, this one included: May 2025 to April 2026.
        self.assertEqual(len(rows), 12)
        self.assertEqual(rows.employee_id, self.perf)
        march = rows.filtered(lambda row: row.month == date(2026, 3, 1))
        # Two visits done at 1500; booked 3 h (the no-show held its hour);
        # March 2026 has 26 days Monday to Saturday of 10 h: 3 / 260.
        self.assertAlmostEqual(march.revenue, 3000)
        self.assertEqual(march.services, 2)
        self.assertAlmostEqual(march.booked_hours, 3)
        self.assertAlmostEqual(march.working_hours, 260)
        self.assertAlmostEqual(march.utilisation, 100 * 3 / 260)
        self.assertAlmostEqual(march.rating, 4)
        self.assertEqual(march.reviews, 1)
        # Rebooked after one of the two visits done.
        self.assertEqual(march.visits, 2)
        self.assertEqual(march.rebooked, 1)
        self.assertAlmostEqual(march.rebooking, 50)
        # April so far (1-15): nothing booked.
        april = rows.filtered(lambda row: row.month == date(2026, 4, 1))
        self.assertEqual(april.services, 0)
        # From the Reporting menu: every specialist of the branch.
        Performance = self.env["beauty.specialist.performance"].with_user(
            self.user_manager
        )
        action = Performance.with_company(self.branch).action_beauty_open()
        everyone = Performance.search(action["domain"])
        self.assertEqual(everyone.employee_id, self.perf)
        self.assertEqual(everyone.company_id, self.branch)

    def test_only_managers(self):
        with self.assertRaises(AccessError):
            self.perf.with_user(self.user_receptionist).action_beauty_performance()
