from datetime import timedelta

from freezegun import freeze_time
from lxml import etree

from odoo.tests import tagged

from .common import NOW, BeautyBillingCommon

# NOW is 12:00 in Moscow; visits of the day in UTC.
AT_10 = NOW - timedelta(hours=2)
AT_14 = NOW + timedelta(hours=2)
AT_16 = NOW + timedelta(hours=4)


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestFrontDesk(BeautyBillingCommon):
    """The Today board, the check-out from the visit and the client card as
    the receptionist sees them."""

    def _board(self):
        # Only this test's visits: the demo salon's history has that day too
        # (created in an earlier transaction, so before this one began).
        self.env.cr.execute("SELECT now() AT TIME ZONE 'UTC'")
        began = self.env.cr.fetchone()[0]
        groups = (
            self.env["beauty.appointment"]
            .with_user(self.user_receptionist)
            .web_read_group(
                [
                    ("start", ">=", NOW.replace(hour=0)),
                    ("start", "<", NOW.replace(hour=23)),
                    ("create_date", ">=", began),
                ],
                ["desk_column"],
                ["desk_column"],
            )["groups"]
        )
        return [(group["desk_column"], group["desk_column_count"]) for group in groups]

    def test_board_columns_follow_the_visit(self):
        late = self._appointment(start=AT_10, state="confirmed")
        later = self._appointment(start=AT_14, state="confirmed")
        self._appointment(start=AT_16, state="draft")
        self.assertEqual(
            self._board(),
            [("expected", 3), ("arrived", 0), ("in_chair", 0), ("done", 0)],
        )
        desk = late.with_user(self.user_receptionist)
        self.assertEqual(desk.desk_time, "10:00–12:00")
        self.assertEqual(desk.with_context(tz="UTC").desk_time, "07:00–09:00")
        self.assertEqual(desk.desk_status, "Late 120 min")
        self.assertFalse(later.with_user(self.user_receptionist).desk_status)
        desk.action_arrive()
        self.assertEqual(desk.arrived_at, NOW)
        with freeze_time(NOW + timedelta(minutes=7)):
            desk.invalidate_recordset(["desk_status"])
            self.assertEqual(desk.desk_status, "Waiting 7 min")
            desk.action_start()
        self.assertEqual(desk.desk_status, "In the chair since 12:07")
        later.with_user(self.user_receptionist)._action_cancel("Client is ill")
        self.assertEqual(
            self._board(),
            [
                ("expected", 1),
                ("arrived", 0),
                ("in_chair", 1),
                ("done", 0),
                ("away", 1),
            ],
        )
        desk.action_done()
        self.assertEqual(desk.desk_column, "done")

    def test_board_lists_arrivals_in_time_order(self):
        view = self.env.ref("beauty_crm.beauty_appointment_view_kanban_today")
        order = etree.fromstring(view.arch).get("default_order")
        self._appointment(start=AT_16, state="confirmed")
        self._appointment(start=AT_10, state="confirmed")
        self._appointment(start=AT_14, state="confirmed")
        self.env.cr.execute("SELECT now() AT TIME ZONE 'UTC'")
        began = self.env.cr.fetchone()[0]
        starts = (
            self.env["beauty.appointment"]
            .with_user(self.user_receptionist)
            .search(
                [
                    ("start", ">=", AT_10),
                    ("start", "<=", AT_16),
                    # not the demo salon's visits of that day
                    ("create_date", ">=", began),
                ],
                order=order,
            )
            .mapped("start")
        )
        self.assertEqual(starts, [AT_10, AT_14, AT_16])

    def test_check_out_from_the_visit(self):
        visit = self._appointment(start=AT_10, state="done").with_user(
            self.user_receptionist
        )
        action = visit.action_beauty_checkout()
        invoice = self.env["account.move"].browse(action["res_id"])
        self.assertEqual(
            (action["res_model"], invoice.state), ("account.move", "draft")
        )
        self.assertEqual(invoice.beauty_appointment_id, visit)
        self.assertEqual(visit.action_beauty_checkout()["res_id"], invoice.id)
        invoice.action_post()
        pay = visit.action_beauty_checkout()
        self.assertEqual(pay["res_model"], "account.payment.register")
        self.assertEqual(
            self.env[pay["context"]["active_model"]]
            .browse(pay["context"]["active_ids"])
            .move_id,
            invoice,
        )
        next_visit = visit.action_beauty_book_next()
        self.assertEqual(next_visit["context"]["default_partner_id"], self.client.id)
        self.assertEqual(
            next_visit["context"]["default_line_ids"],
            [
                (
                    0,
                    0,
                    {
                        "product_id": self.service_colour.id,
                        "employee_id": self.specialist.id,
                    },
                )
            ],
        )

    def test_client_card_opens_on_the_salon_page(self):
        form = (
            self.env["res.partner"]
            .with_user(self.user_receptionist)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        arch = etree.fromstring(form)
        pages = arch.xpath("//notebook/page")
        self.assertEqual(pages[0].get("name"), "beauty_salon")
        self.assertFalse(arch.xpath("//notebook/page[@autofocus]"))
        salon = pages[0]
        for fname in (
            "next_appointment_start",
            "last_visit_date",
            "total_spent",
            "beauty_loyalty_points",
            "consent_treatment",
            "upcoming_appointment_ids",
        ):
            self.assertTrue(salon.xpath(f".//field[@name='{fname}']"), fname)
        for fname in ("vat", "function", "company_type"):
            field = arch.xpath(f"//sheet//field[@name='{fname}']")[0]
            self.assertIn("is_salon_client", field.get("invisible"), fname)
        self.assertNotIn('name="allergen_ids"', form)

    def test_loyalty_balance_on_the_client_card(self):
        card = self.client._beauty_loyalty_card(self.company)
        card.points = 250
        tier = self.env["beauty.loyalty.tier"].create(
            {"name": "Test silver", "min_yearly_spend": 0}
        )
        card.sudo().beauty_tier_id = tier
        client = self.client.with_user(self.user_receptionist)
        self.assertEqual(client.beauty_loyalty_points, 250)
        self.assertEqual(client.beauty_loyalty_tier_id, tier)
        other = self.env["res.partner"].create(
            {"name": "No card", "is_salon_client": True}
        )
        self.assertEqual(other.beauty_loyalty_points, 0)

    def test_demo_salon_reads_the_moscow_clock(self):
        reception = self.env.ref("beauty_crm.user_reception", raise_if_not_found=False)
        if not reception:
            self.skipTest("The demo data is not installed.")
        for user in (reception, self.env.ref("base.user_admin")):
            self.assertEqual(user.tz, "Europe/Moscow", user.login)
        self.assertEqual(self.env.ref("base.main_partner").tz, "Europe/Moscow")
