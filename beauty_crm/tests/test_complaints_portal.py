import re

from odoo.tests import HttpCase, tagged

from .common import BeautyCommon


@tagged("post_install", "-at_install")
class TestComplaintsPortal(BeautyCommon, HttpCase):
    """OCA helpdesk's portal pages: a client sees and closes only their own
    tickets, never a complaint of someone else, and bad input leads back to
    a page."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.me = cls.user_portal.partner_id
        cls.team = cls.env.ref("beauty_crm.helpdesk_team_complaints")
        Ticket = cls.env["helpdesk.ticket"]
        cls.question = Ticket.create(
            {
                "name": "Parking question",
                "description": "<p>Where?</p>",
                "partner_id": cls.me.id,
            }
        )
        cls.complaint = Ticket.create(
            {
                "name": "My own complaint",
                "description": "<p>Too hot.</p>",
                "partner_id": cls.me.id,
                "team_id": cls.team.id,
            }
        )
        # Someone of the same company (commercial partner) and a stranger.
        cls.colleague = cls.env["res.partner"].create({"name": "Colleague"})
        cls.company_partner = cls.env["res.partner"].create(
            {"name": "Portal Ltd", "is_company": True}
        )
        cls.me.parent_id = cls.company_partner
        cls.colleague.parent_id = cls.company_partner
        cls.theirs = Ticket.create(
            {
                "name": "Colleague burn complaint",
                "description": "<p>Private.</p>",
                "partner_id": cls.colleague.id,
                "team_id": cls.team.id,
            }
        )
        cls.stranger = Ticket.create(
            {
                "name": "Stranger complaint",
                "description": "<p>Private.</p>",
                "partner_id": cls.client.id,
            }
        )
        cls.done = cls.env["helpdesk.ticket.stage"].search(
            [("close_from_portal", "=", True)], limit=1
        )

    def _csrf(self):
        page = self.url_open("/my/tickets")
        return re.search(r'csrf_token: "([^"]+)"', page.text).group(1)

    def test_lists_and_opens_only_own_tickets(self):
        self.authenticate("bc_portal", "bc_portal")
        page = self.url_open("/my/tickets")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Parking question", page.text)
        self.assertIn("My own complaint", page.text)
        self.assertNotIn("Colleague burn complaint", page.text)
        self.assertNotIn("Stranger complaint", page.text)
        own = self.url_open(f"/my/ticket/{self.complaint.id}")
        self.assertEqual(own.status_code, 200)
        self.assertIn("Too hot", own.text)
        for ticket_id in (self.theirs.id, self.stranger.id, 999999999, "abc"):
            with self.subTest(ticket_id=ticket_id):
                response = self.url_open(f"/my/ticket/{ticket_id}")
                self.assertNotIn("Private.", response.text)
                self.assertLess(response.status_code, 500)

    def test_closing_is_a_post_of_own_non_complaint_tickets(self):
        self.assertTrue(self.done)
        self.authenticate("bc_portal", "bc_portal")
        csrf = self._csrf()
        # A GET link (the module's own form) changes nothing any more.
        self.url_open(
            f"/ticket/close?ticket_id={self.stranger.id}&stage_id={self.done.id}"
        )
        for ticket, data in (
            (self.stranger, {}),
            (self.theirs, {}),
            (self.complaint, {}),
            (self.question, {"stage_id": "x"}),
            (self.question, {"ticket_id": "99999999999999"}),
        ):
            with self.subTest(ticket=ticket.name, data=data):
                stage = ticket.stage_id
                response = self.url_open(
                    "/ticket/close",
                    data={
                        "csrf_token": csrf,
                        "ticket_id": ticket.id,
                        "stage_id": self.done.id,
                        **data,
                    },
                )
                self.assertLess(response.status_code, 500)
                ticket.invalidate_recordset(["stage_id"])
                self.assertEqual(ticket.stage_id, stage)
        self.url_open(
            "/ticket/close",
            data={
                "csrf_token": csrf,
                "ticket_id": self.question.id,
                "stage_id": self.done.id,
            },
        )
        self.question.invalidate_recordset(["stage_id"])
        self.assertEqual(self.question.stage_id, self.done)

    def test_new_ticket_with_bad_input(self):
        self.authenticate("bc_portal", "bc_portal")
        csrf = self._csrf()
        Ticket = self.env["helpdesk.ticket"]
        before = Ticket.search_count([])
        for data in (
            {},
            {"subject": "  ", "description": "x"},
            {"subject": "Hi", "description": ""},
        ):
            with self.subTest(data=data):
                response = self.url_open(
                    "/submitted/ticket", data={"csrf_token": csrf, **data}
                )
                self.assertLess(response.status_code, 500)
        self.assertEqual(Ticket.search_count([]), before)
        response = self.url_open(
            "/submitted/ticket",
            data={
                "csrf_token": csrf,
                "subject": "Gift voucher",
                "description": "Can I buy one?",
                "category": "abc",
                "team": str(self.team.id),
            },
        )
        self.assertLess(response.status_code, 500)
        created = Ticket.search([("name", "=", "Gift voucher")])
        self.assertEqual(created.partner_id, self.me)
        # Clients do not file into the Complaints team themselves.
        self.assertNotEqual(created.team_id, self.team)
