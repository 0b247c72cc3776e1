from datetime import date, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import NOW, BeautyCommon


@tagged("post_install", "-at_install")
class TestComplaints(BeautyCommon):
    """Complaints are OCA helpdesk tickets of the Complaints team: linked to
    the client and the visit, with an owner, a deadline and a compensation
    booked through the loyalty card's history or as a gift card."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.client.allergen_ids = [(5, 0, 0)]
        cls.team = cls.env.ref("beauty_crm.helpdesk_team_complaints")
        cls.facial = cls.env["product.product"].create(
            {
                "name": "Test facial",
                "type": "service",
                "is_salon_service": True,
                "service_duration": 1.0,
                "list_price": 3250.40,
                "specialist_ids": [(4, cls.specialist.id)],
            }
        )
        cls.visit = cls.env["beauty.appointment"].create(
            {
                "partner_id": cls.client.id,
                "line_ids": [
                    (
                        0,
                        0,
                        {
                            "product_id": cls.facial.id,
                            "employee_id": cls.specialist.id,
                            "start": NOW + timedelta(days=1),
                        },
                    )
                ],
            }
        )
        cls.visit.state = "done"

    def _complaint(self, **vals):
        return (
            self.env["helpdesk.ticket"]
            .with_user(self.user_receptionist)
            .create(
                {
                    "name": "Burn after the peel",
                    "description": "<p>Red skin for three days.</p>",
                    "team_id": self.team.id,
                    "beauty_appointment_id": self.visit.id,
                    "user_id": self.user_receptionist.id,
                    **vals,
                }
            )
        )

    def test_complaint_of_a_visit_with_owner_and_deadline(self):
        ticket = self._complaint(beauty_deadline=date(2026, 3, 9))
        # The client comes from the visit.
        self.assertEqual(ticket.partner_id, self.client)
        activity = ticket.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.date_deadline, date(2026, 3, 9))
        self.assertEqual(activity.user_id, self.user_receptionist)
        # A new deadline moves the to-do, a new owner gets it: still one.
        ticket.write(
            {"beauty_deadline": date(2026, 3, 11), "user_id": self.user_manager.id}
        )
        self.assertEqual(len(ticket.activity_ids), 1)
        self.assertEqual(ticket.activity_ids.date_deadline, date(2026, 3, 11))
        self.assertEqual(ticket.activity_ids.user_id, self.user_manager)
        with freeze_time(date(2026, 3, 12)):
            ticket.invalidate_recordset(["beauty_is_overdue"])
            self.assertTrue(ticket.beauty_is_overdue)
            self.assertIn(
                ticket,
                self.env["helpdesk.ticket"].search([("beauty_is_overdue", "=", True)]),
            )
        # Shown on the visit and on the client card.
        self.assertEqual(self.visit.complaint_count, 1)
        self.assertEqual(self.client.beauty_complaint_count, 1)
        self.assertEqual(self.client.beauty_open_complaint_count, 1)
        self.assertEqual(
            self.env["helpdesk.ticket"].search(
                self.client.action_beauty_view_complaints()["domain"]
            ),
            ticket,
        )

    def test_visit_of_another_client_is_refused(self):
        other = self.env["res.partner"].create(
            {"name": "Other", "is_salon_client": True}
        )
        with self.assertRaises(ValidationError):
            self._complaint(partner_id=other.id)

    def test_compensation_in_loyalty_points_once(self):
        card = self.client._beauty_loyalty_card()
        card.sudo()._beauty_book_points(40, "Earlier bonus", "birthday")
        ticket = self._complaint(
            beauty_compensation_type="points", beauty_compensation_points=150
        )
        # Money: the front desk cannot give it, a manager can.
        with self.assertRaises(AccessError):
            ticket.with_user(self.user_receptionist).action_beauty_compensate()
        ticket.with_user(self.user_manager).action_beauty_compensate()
        # 40 + 150 = 190 points, and the history says why.
        self.assertEqual(card.points, 190)
        line = card.history_ids.filtered(lambda h: h.beauty_kind == "compensation")
        self.assertEqual(line.issued, 150)
        self.assertEqual(
            (line.order_model, line.order_id), ("helpdesk.ticket", ticket.id)
        )
        self.assertIn(ticket.number, line.description)
        self.assertEqual(ticket.beauty_compensation_amount, 150)
        self.assertEqual(ticket.beauty_loyalty_card_id, card)
        with self.assertRaises(UserError):
            ticket.with_user(self.user_manager).action_beauty_compensate()
        self.assertEqual(card.points, 190)

    def test_compensation_as_a_gift_card_for_a_free_service(self):
        ticket = self._complaint(
            beauty_compensation_type="gift_card",
            beauty_compensation_product_id=self.facial.id,
        )
        ticket.with_user(self.user_manager).action_beauty_compensate()
        gift = ticket.beauty_loyalty_card_id
        self.assertEqual(gift.program_id.program_type, "gift_card")
        self.assertEqual(gift.partner_id, self.client)
        # The free facial is worth its price: 3,250.40.
        self.assertAlmostEqual(gift.points, 3250.40, places=2)
        self.assertAlmostEqual(ticket.beauty_compensation_amount, 3250.40, places=2)
        self.assertEqual(gift.history_ids.issued, 3250.40)
        # The salon card did not change; a second gift card is not issued.
        self.assertFalse(self.client._beauty_loyalty_card(create=False).points)
        with self.assertRaises(UserError):
            ticket.with_user(self.user_manager).action_beauty_compensate()
        self.assertEqual(
            self.env["loyalty.card"].search_count(
                [
                    ("program_id", "=", gift.program_id.id),
                    ("partner_id", "=", self.client.id),
                ]
            ),
            1,
        )

    def test_compensation_needs_its_details(self):
        for vals in (
            {"beauty_compensation_type": "none"},
            {"beauty_compensation_type": "points", "beauty_compensation_points": 0},
            {"beauty_compensation_type": "gift_card"},
        ):
            with self.subTest(vals=vals), self.assertRaises(UserError):
                self._complaint(**vals).with_user(
                    self.user_manager
                ).action_beauty_compensate()

    def _review(self, stars, feedback="Bad <b>burn</b>"):
        token = self.visit.sudo()._rating_get_access_token()
        return self.visit.sudo().rating_apply(stars, token=token, feedback=feedback)

    def test_low_rating_opens_one_complaint(self):
        self.company.beauty_complaint_days = 3
        self.team.user_id = self.user_manager
        with freeze_time(NOW):
            rating = self._review(2)
        ticket = self.env["helpdesk.ticket"].search(
            [("beauty_rating_id", "=", rating.id)]
        )
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.team_id, self.team)
        self.assertEqual(ticket.partner_id, self.client)
        self.assertEqual(ticket.beauty_appointment_id, self.visit)
        self.assertEqual(ticket.user_id, self.user_manager)
        # 4 March + 3 days.
        self.assertEqual(ticket.beauty_deadline, date(2026, 3, 7))
        # The client's words are escaped, not markup.
        self.assertIn("&lt;b&gt;burn&lt;/b&gt;", ticket.description)
        # Applying the rating again opens nothing more.
        self.visit.sudo()._beauty_complaint_from_rating(rating)
        self.visit.sudo().rating_apply(1, rating=rating)
        self.assertEqual(
            self.env["helpdesk.ticket"].search_count(
                [("beauty_appointment_id", "=", self.visit.id)]
            ),
            1,
        )

    def test_good_rating_opens_none(self):
        self._review(3)
        self.assertFalse(self.visit.complaint_ids)

    def _visit(self, employee, start):
        visit = self.env["beauty.appointment"].create(
            {
                "partner_id": self.client.id,
                "line_ids": [
                    (
                        0,
                        0,
                        {
                            "product_id": self.facial.id,
                            "employee_id": employee.id,
                            "start": start,
                        },
                    )
                ],
            }
        )
        visit.state = "done"
        return visit

    def _rate(self, visit, stars):
        token = visit.sudo()._rating_get_access_token()
        return visit.sudo().rating_apply(stars, token=token)

    def test_reviews_per_specialist(self):
        colleague = self.env["hr.employee"].create(
            {
                "name": "Colleague",
                "is_specialist": True,
                "resource_calendar_id": self.calendar.id,
                "tz": "Europe/Moscow",
            }
        )
        self.facial.specialist_ids = [(4, colleague.id)]
        self._rate(self.visit, 2)
        self._rate(self._visit(self.specialist, NOW + timedelta(days=2)), 5)
        self._rate(self._visit(colleague, NOW + timedelta(days=1)), 4)
        self.env["beauty.report.review"].invalidate_model()
        # (2 + 5) / 2 = 3.5 over 2 reviews for the specialist, 4 for the colleague.
        specialist = self.specialist.with_user(self.user_manager)
        self.assertEqual(specialist.beauty_review_count, 2)
        self.assertAlmostEqual(specialist.beauty_rating_avg, 3.5)
        self.assertEqual(colleague.with_user(self.user_manager).beauty_review_count, 1)
        reviews = self.env["beauty.report.review"]
        action = specialist.action_beauty_view_reviews()
        self.assertEqual(
            reviews.with_user(self.user_manager)
            .search(action["domain"])
            .mapped("rating"),
            [5.0, 2.0],
        )
        # A specialist reads their own reviews only; the desk none.
        self.assertEqual(
            reviews.with_user(self.user_specialist).search([]).employee_id,
            self.specialist,
        )
        # The manager reads every review of both (the demo salon has others).
        both = (self.specialist | colleague).ids
        self.assertEqual(
            reviews.with_user(self.user_manager).search_count(
                [("employee_id", "in", both)]
            ),
            3,
        )
        with self.assertRaises(AccessError):
            reviews.with_user(self.user_receptionist).search([])

    def test_portal_reads_only_own_tickets(self):
        own = self._complaint(partner_id=False, beauty_appointment_id=False)
        own.partner_id = self.user_portal.partner_id
        other = self._complaint()
        Ticket = self.env["helpdesk.ticket"].with_user(self.user_portal)
        self.assertEqual(Ticket.search([]), own)
        with self.assertRaises(AccessError):
            other.with_user(self.user_portal).read(["name"])
        # Nor an employee outside the salon.
        self.assertFalse(
            self.env["helpdesk.ticket"].with_user(self.user_employee).search([])
        )
