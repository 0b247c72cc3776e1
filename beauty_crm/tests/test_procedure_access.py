"""Procedure records: access per role, the PDF, views and the tour."""

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged

from .common import NOW
from .test_procedure import ProcedureCommon


@tagged("post_install", "-at_install")
class TestProcedureRights(ProcedureCommon):
    def test_receptionist_and_outsiders_have_no_access(self):
        procedure = self._filler_procedure()
        for user in (self.user_receptionist, self.user_employee, self.user_portal):
            with self.assertRaises(AccessError, msg=user.login):
                self.env["beauty.procedure"].with_user(user).search([])
            with self.assertRaises(AccessError, msg=user.login):
                procedure.with_user(user).read(["zones"])
            with self.assertRaises(AccessError, msg=user.login):
                self.env["beauty.procedure.material"].with_user(user).search([])
        with self.assertRaises(AccessError):
            self.client.with_user(self.user_receptionist).read(["procedure_count"])
        with self.assertRaises(AccessError):
            self.lot.with_user(self.user_receptionist).read(["beauty_client_count"])

    def test_specialist_records_and_validates_own(self):
        Procedure = self.env["beauty.procedure"].with_user(self.user_specialist)
        procedure = Procedure.create(
            {
                "partner_id": self.client.id,
                "product_id": self.service_filler.id,
                "date": NOW,
                "zones": "Upper lip",
            }
        )
        self.assertEqual(procedure.employee_id, self.specialist)
        procedure.material_line_ids.filtered(
            lambda line: line.product_id == self.filler
        ).lot_id = self.lot
        procedure.action_validate()
        self.assertEqual(procedure.state, "done")
        self.assertEqual(self._available(self.filler, self.lot), 4)
        self.assertEqual(self.client.with_user(self.user_specialist).procedure_count, 1)

    def test_other_specialist_reads_but_cannot_write(self):
        procedure = self._filler_procedure(notes="<p>Nervous client</p>")
        as_other = procedure.with_user(self.user_specialist2)
        self.assertEqual(as_other.zones, procedure.zones)
        self.assertIn("Nervous", as_other.notes)
        with self.assertRaises(AccessError):
            as_other.write({"zones": "Changed"})
        with self.assertRaises(AccessError):
            as_other.action_validate()
        with self.assertRaises(AccessError):
            as_other.material_line_ids.write({"quantity": 3})
        with self.assertRaises(AccessError):
            as_other.unlink()
        with self.assertRaises(AccessError):
            self.env["beauty.procedure"].with_user(self.user_specialist2).create(
                {
                    "partner_id": self.client.id,
                    "employee_id": self.specialist.id,
                    "product_id": self.service_filler.id,
                }
            )
        self.assertEqual(procedure.state, "draft")
        self.assertEqual(self._available(self.filler, self.lot), 5)

    def test_manager_manages_all(self):
        procedure = self._filler_procedure()
        as_manager = procedure.with_user(self.user_manager)
        as_manager.write({"zones": "Lower lip"})
        as_manager.action_validate()
        self.assertEqual(procedure.state, "done")

    def test_other_branch_is_invisible(self):
        branch = self.env["res.company"].create({"name": "Second branch"})
        employee = self.env["hr.employee"].create(
            {"name": "Far specialist", "company_id": branch.id, "is_specialist": True}
        )
        branch_client = self.env["res.partner"].create(
            {"name": "Far client", "is_salon_client": True, "company_id": branch.id}
        )
        procedure = self._procedure(
            company_id=branch.id, employee_id=employee.id, partner_id=branch_client.id
        )
        self.assertEqual(procedure.location_id.company_id, branch)
        self.assertFalse(
            self.env["beauty.procedure"]
            .with_user(self.user_specialist)
            .search([("id", "=", procedure.id)])
        )


@tagged("post_install", "-at_install")
class TestProcedureReport(ProcedureCommon):
    def _render_html(self, procedure, user=None):
        Report = self.env["ir.actions.report"].with_user(user or self.user_specialist)
        html, _kind = Report._render_qweb_html(
            "beauty_crm.beauty_procedure_report_action", procedure.ids
        )
        return html.decode()

    def test_report_content(self):
        procedure = self._filler_procedure(
            zones="Upper lip 0.5 ml",
            parameters={"technique": "needle", "points": 8},
            notes="<p>INTERNAL-ONLY remark</p>",
        )
        procedure.action_validate()
        html = self._render_html(procedure)
        self.assertIn("Katya Client", html)
        self.assertIn("Test lip filler", html)
        self.assertIn("TFIL-001", html)
        self.assertIn("Upper lip 0.5 ml", html)
        self.assertIn("Injection points", html)
        self.assertIn("Procedure record", html)
        self.assertNotIn("INTERNAL-ONLY", html)

    def test_report_in_client_language(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(
            ["beauty_crm"], ["fr_FR"], overwrite=True
        )
        procedure = self._filler_procedure()
        self.client.lang = "fr_FR"
        html = self._render_html(procedure)
        self.assertIn("Fiche de soin", html)
        self.assertIn("Prochaine visite conseill", html)
        self.assertNotIn("Procedure record", html)
        self.client.lang = "en_US"
        self.assertIn("Procedure record", self._render_html(procedure))

    def test_report_refused_to_receptionist(self):
        procedure = self._filler_procedure()
        # QWeb wraps the AccessError of reading the record.
        with self.assertRaisesMessage(
            Exception, "not allowed to access 'Procedure record'"
        ):
            self._render_html(procedure, user=self.user_receptionist)


@tagged("post_install", "-at_install")
class TestProcedurePdf(ProcedureCommon, HttpCase):
    """wkhtmltopdf fetches the report's assets from the running server, which
    sees the test's uncommitted data only in an HttpCase."""

    def test_report_pdf(self):
        procedure = self._filler_procedure()
        pdf, kind = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(
                "beauty_crm.beauty_procedure_report_action", procedure.ids
            )
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))


@tagged("post_install", "-at_install")
class TestProcedureViews(ProcedureCommon):
    def test_views_load_for_each_role(self):
        for user in (self.user_specialist, self.user_manager):
            views = (
                self.env["beauty.procedure"]
                .with_user(user)
                .get_views([(False, "form"), (False, "list"), (False, "search")])
            )
            self.assertIn("material_line_ids", views["views"]["form"]["arch"])
            partner_form = (
                self.env["res.partner"].with_user(user).get_views([(False, "form")])
            )
            self.assertIn("procedure_ids", partner_form["views"]["form"]["arch"])
            appointment_form = (
                self.env["beauty.appointment"]
                .with_user(user)
                .get_views([(False, "form")])
            )
            self.assertIn(
                "action_create_procedure", appointment_form["views"]["form"]["arch"]
            )
        # The front desk opens the same client and appointment forms without
        # the procedure parts.
        partner_form = (
            self.env["res.partner"]
            .with_user(self.user_receptionist)
            .get_views([(False, "form")])
        )
        self.assertNotIn("procedure_ids", partner_form["views"]["form"]["arch"])
        appointment_form = (
            self.env["beauty.appointment"]
            .with_user(self.user_receptionist)
            .get_views([(False, "form")])
        )
        self.assertNotIn(
            "action_create_procedure", appointment_form["views"]["form"]["arch"]
        )
        product_form = (
            self.env["product.template"]
            .with_user(self.user_receptionist)
            .get_views([(False, "form")])
        )
        self.assertIn("kit_line_ids", product_form["views"]["form"]["arch"])


@tagged("post_install", "-at_install")
class TestProcedureTour(ProcedureCommon, HttpCase):
    def test_specialist_validates_in_browser(self):
        client = self.env["res.partner"].create(
            {
                "name": "Tomas Tour",
                "is_salon_client": True,
                "allergen_ids": [(4, self.allergen_ppd.id)],
            }
        )
        self._give_consent(client, "treatment")
        procedure = self._procedure(partner_id=client.id)
        procedure.material_line_ids.filtered(
            lambda line: line.product_id == self.dye
        ).unlink()
        self.start_tour("/odoo", "beauty_crm_procedure_validate", login="bc_specialist")
        self.assertEqual(procedure.state, "done")
        self.assertEqual(procedure.material_line_ids.lot_id, self.lot)
        self.assertEqual(self._available(self.filler, self.lot), 4)
