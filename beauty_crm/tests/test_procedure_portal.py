from odoo.tests import HttpCase, tagged

from .test_procedure import ProcedureCommon


@tagged("post_install", "-at_install")
class TestProcedurePortal(ProcedureCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_partner = cls.user_portal.partner_id
        cls.portal_partner.is_salon_client = True
        cls.own = cls._make_validated(
            cls.portal_partner, "Own cheeks zone", "SECRET-NOTE about the client"
        )
        cls.own_draft = cls.env["beauty.procedure"].create(
            {
                "partner_id": cls.portal_partner.id,
                "employee_id": cls.specialist.id,
                "product_id": cls.service_colour.id,
                "zones": "Draft zone",
            }
        )
        cls.other = cls._make_validated(cls.client, "Other client zone", "Other note")
        # A person filed under the portal user's contact (a company and its
        # employee, a parent and a child): their records stay their own.
        cls.person = cls.env["res.partner"].create(
            {
                "name": "Person under the portal contact",
                "parent_id": cls.portal_partner.id,
                "type": "other",
                "is_salon_client": True,
            }
        )
        cls.person_procedure = cls._make_validated(
            cls.person, "Person zone", "Person note"
        )

    @classmethod
    def _make_validated(cls, partner, zones, notes):
        if not partner.consent_treatment:
            cls._give_consent(partner, "treatment")
        procedure = cls.env["beauty.procedure"].create(
            {
                "partner_id": partner.id,
                "employee_id": cls.specialist.id,
                "product_id": cls.service_filler.id,
                "zones": zones,
                "notes": f"<p>{notes}</p>",
                "recommendations": "Drink water",
            }
        )
        procedure.material_line_ids.filtered(
            lambda line: line.product_id == cls.filler
        ).lot_id = cls.lot
        procedure.action_validate()
        return procedure

    def test_list_shows_only_own_validated_procedures(self):
        self.authenticate("bc_portal", "bc_portal")
        response = self.url_open("/my/procedures")
        self.assertEqual(response.status_code, 200)
        self.assertIn(f"/my/procedures/{self.own.id}", response.text)
        self.assertNotIn(f"/my/procedures/{self.other.id}", response.text)
        self.assertNotIn(f"/my/procedures/{self.own_draft.id}", response.text)
        self.assertNotIn(f"/my/procedures/{self.person_procedure.id}", response.text)
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["procedure_count"]}
        )
        self.assertEqual(counters["procedure_count"], 1)

    def test_detail_without_internal_notes(self):
        self.authenticate("bc_portal", "bc_portal")
        response = self.url_open(f"/my/procedures/{self.own.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Own cheeks zone", response.text)
        self.assertIn("TFIL-001", response.text)
        self.assertIn("Drink water", response.text)
        self.assertNotIn("SECRET-NOTE", response.text)
        report = self.url_open(f"/my/procedures/{self.own.id}?report_type=pdf")
        self.assertEqual(report.status_code, 200)
        self.assertIn("Own cheeks zone", report.text)
        self.assertNotIn("SECRET-NOTE", report.text)

    def test_other_clients_and_hostile_ids_are_refused(self):
        self.authenticate("bc_portal", "bc_portal")
        for path in (
            f"/my/procedures/{self.other.id}",
            f"/my/procedures/{self.other.id}?report_type=pdf",
            f"/my/procedures/{self.own_draft.id}",
            f"/my/procedures/{self.person_procedure.id}",
            f"/my/procedures/{self.person_procedure.id}?report_type=pdf",
            "/my/procedures/999999999",
            "/my/procedures/99999999999999999999",
        ):
            response = self.url_open(path)
            self.assertEqual(response.status_code, 200, path)
            self.assertTrue(response.url.endswith("/my"), path)
            self.assertNotIn("Other client zone", response.text, path)
            self.assertNotIn("Person zone", response.text, path)
        self.assertEqual(self.url_open("/my/procedures/abc").status_code, 404)
        self.assertEqual(self.url_open("/my/procedures/page/-1").status_code, 200)

    def test_public_is_sent_to_login(self):
        response = self.url_open(f"/my/procedures/{self.own.id}")
        self.assertIn("/web/login", response.url)
        self.assertNotIn("Own cheeks zone", response.text)
