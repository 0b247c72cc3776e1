import xmlrpc.client

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged, users
from odoo.tests.common import JsonRpcException

from odoo.addons.beauty_crm.models.res_partner import _write_health_access_log
from odoo.addons.mail.tests.common import mail_new_test_user

from .common import BeautyCommon

MEDICAL = [
    "allergen_ids",
    "contraindication_ids",
    "skin_type",
    "phototype",
    "health_conditions",
    "medications",
    "pregnancy",
    "physiological_notes",
    "staff_note",
]


class ClientPrivacyCommon(BeautyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.client.write(
            {
                "medications": "Isotretinoin 20 mg",
                "staff_note": "<p>Anxious about needles</p>",
                "physiological_notes": "Tremor of the hands",
            }
        )
        cls.other_company = cls.env["res.company"].create({"name": "Other salon"})
        cls.user_other_specialist = mail_new_test_user(
            cls.env,
            login="bc_other_specialist",
            name="Otto Other",
            groups="beauty_crm.group_beauty_specialist",
            company_id=cls.other_company.id,
            company_ids=[Command.set(cls.other_company.ids)],
        )
        # Even with Odoo's export right, medical fields stay out of reach.
        (
            cls.user_receptionist | cls.user_employee | cls.user_other_specialist
        ).groups_id = [Command.link(cls.env.ref("base.group_allow_export").id)]
        cls.env["beauty.consent"].create(
            {"partner_id": cls.client.id, "kind": "treatment", "version": "v1"}
        )


@tagged("post_install", "-at_install")
class TestClientPrivacyOrm(ClientPrivacyCommon):
    @users("bc_reception")
    def test_receptionist_sees_alert_not_medical_details(self):
        client = self.client.with_env(self.env)
        self.assertIn("Test dye PPD (Critical)", client.health_alert)
        self.assertTrue(client.has_health_alert)
        self.assertEqual(client.read(["name", "phone"])[0]["name"], "Katya Client")
        for fname in MEDICAL:
            with self.assertRaises(AccessError, msg=fname):
                client.read([fname])
            with self.assertRaises(AccessError, msg=fname):
                self.env["res.partner"].search([(fname, "!=", False)])
            with self.assertRaises(AccessError, msg=fname):
                self.env["res.partner"].read_group([], [fname], [fname])
        with self.assertRaises(AccessError):
            client.write({"medications": "none"})
        with self.assertRaises(AccessError):
            client.export_data(["name", "allergen_ids/name"])
        form = self.env["res.partner"].get_views([(False, "form")])["views"]["form"]
        for fname in MEDICAL:
            self.assertNotIn(f'name="{fname}"', form["arch"], fname)
        self.assertIn('name="health_alert"', form["arch"])

    @users("bc_specialist", "bc_manager")
    def test_specialist_and_manager_read_and_write_medical_details(self):
        client = self.client.with_env(self.env)
        values = client.read(MEDICAL)[0]
        self.assertEqual(values["allergen_ids"], self.allergen_ppd.ids)
        self.assertEqual(values["medications"], "Isotretinoin 20 mg")
        client.write(
            {"skin_type": "dry", "phototype": "2", "pregnancy": "breastfeeding"}
        )
        self.assertEqual(client.skin_type, "dry")
        self.assertIn("Breastfeeding (Critical)", client.health_alert)
        form = self.env["res.partner"].get_views([(False, "form")])["views"]["form"]
        for fname in MEDICAL:
            self.assertIn(f'name="{fname}"', form["arch"], fname)

    @users("bc_employee", "bc_portal")
    def test_outsiders_never_read_medical_details(self):
        client = self.client.with_env(self.env)
        for fname in MEDICAL:
            with self.assertRaises(AccessError, msg=fname):
                client.read([fname])
        for model in ("beauty.consent", "beauty.allergen", "beauty.health.access.log"):
            with self.assertRaises(AccessError, msg=model):
                self.env[model].search([])

    @users("bc_other_specialist")
    def test_other_company_cannot_see_the_client(self):
        self.assertEqual(self.client.company_id, self.company)
        Partner = self.env["res.partner"]
        self.assertFalse(Partner.search([("id", "=", self.client.id)]))
        with self.assertRaises(AccessError):
            Partner.browse(self.client.id).read(["name", "allergen_ids"])
        self.assertFalse(self.env["beauty.consent"].search([]))

    def test_anonymisation_on_request(self):
        self.client.write({"phone": "+79850102099", "birthday": "1990-01-02"})
        self.env["beauty.consent"].create(
            [
                {"partner_id": self.client.id, "kind": kind, "version": "v1"}
                for kind in ("marketing_email", "photo")
            ]
        )
        with self.assertRaises(AccessError):
            self.client.with_user(self.user_specialist).action_beauty_anonymize()
        self.client.with_user(self.user_manager).action_beauty_anonymize()
        client = self.client
        self.assertEqual(client.name, f"Anonymised client {client.id}")
        for fname in ("email", "phone", "birthday", "medications", "staff_note"):
            self.assertFalse(client[fname], fname)
        self.assertFalse(client.allergen_ids)
        self.assertFalse(client.has_health_alert)
        self.assertFalse(client.consent_marketing_email or client.consent_photo)
        self.assertTrue(client.consent_treatment)
        # The consent history stays: treatment, two given, two withdrawn.
        self.assertEqual(
            self.env["beauty.consent"]
            .with_context(active_test=False)
            .search_count([("partner_id", "=", client.id)]),
            5,
        )
        # The erased e-mail does not survive on the blacklist either.
        self.assertFalse(
            self.env["mail.blacklist"].search([("email", "=", "katya@example.com")])
        )

    def test_health_access_is_audited(self):
        Log = self.env["beauty.health.access.log"]
        self.client.with_user(self.user_specialist).read(["name", "allergen_ids"])
        log = Log.search([("partner_id", "=", self.client.id)])
        self.assertEqual(log.user_id, self.user_specialist)
        self.assertEqual(log.operation, "read")
        self.assertEqual(log.field_names, "allergen_ids")
        # Reads without medical fields, by the system, or again within the hour
        # add nothing.
        self.client.with_user(self.user_receptionist).read(["name", "health_alert"])
        self.client.read(["allergen_ids"])
        self.client.with_user(self.user_specialist).read(["medications"])
        self.assertEqual(Log.search([("partner_id", "=", self.client.id)]), log)
        self.client.with_user(self.user_manager).export_data(["name", "medications"])
        exports = Log.search([("operation", "=", "export")])
        self.assertEqual(exports.user_id, self.user_manager)
        self.assertEqual(exports.field_names, "medications")
        self.assertEqual(
            Log.with_user(self.user_manager).search(
                [("partner_id", "=", self.client.id)]
            ),
            log | exports,
        )
        with self.assertRaises(AccessError):
            Log.with_user(self.user_specialist).search([])

    def test_duplicate_keeps_medical_data_only_for_who_may_read_it(self):
        # Any user who may create contacts (an accountant, the front desk)
        # duplicates a client card without touching its medical fields.
        copy = self.client.with_user(self.user_receptionist).copy()
        self.assertFalse(copy.sudo().allergen_ids)
        self.assertFalse(copy.sudo().medications)
        copy = self.client.with_user(self.user_specialist).copy()
        self.assertEqual(copy.sudo().allergen_ids, self.allergen_ppd)
        self.assertEqual(copy.sudo().medications, "Isotretinoin 20 mg")


@tagged("post_install", "-at_install")
class TestClientPrivacyRpc(ClientPrivacyCommon, HttpCase):
    # Reading medical fields inserts audit rows. With Odoo's default setup (no
    # read replica) reads run in read/write transactions, as here; on a
    # replica the rows are written after the read (see test_audit_on_replica).
    readonly_enabled = False

    def _call(self, login, method, args, kwargs=None):
        self.authenticate(login, login)
        return self.make_jsonrpc_request(
            "/web/dataset/call_kw",
            {
                "model": "res.partner",
                "method": method,
                "args": args,
                "kwargs": kwargs or {},
            },
        )

    def _medical_calls(self):
        domain = [("id", "=", self.client.id)]
        return {
            "read": ([[self.client.id], ["name", "allergen_ids", "medications"]], {}),
            "search_read": ([domain, ["name", "staff_note"]], {}),
            "web_read": (
                [[self.client.id]],
                {
                    "specification": {
                        "name": {},
                        "allergen_ids": {"fields": {"name": {}}},
                    }
                },
            ),
            "export_data": ([[self.client.id], ["name", "allergen_ids/name"]], {}),
        }

    def test_receptionist_and_portal_get_access_errors(self):
        for login in (
            "bc_reception",
            "bc_portal",
            "bc_employee",
            "bc_other_specialist",
        ):
            for method, (args, kwargs) in self._medical_calls().items():
                if login == "bc_other_specialist" and method == "search_read":
                    # The fields are allowed, the client is not: nothing found.
                    self.assertEqual(self._call(login, method, args, kwargs), [])
                    continue
                with (
                    self.subTest(login=login, method=method),
                    self.assertRaises(JsonRpcException) as caught,
                ):
                    self._call(login, method, args, kwargs)
                # Portal users lack Odoo's export right: refused before the
                # fields are even looked at.
                expected = (
                    "UserError"
                    if method == "export_data" and login == "bc_portal"
                    else "AccessError"
                )
                self.assertIn(expected, str(caught.exception), (login, method))
        alert = self._call(
            "bc_reception",
            "read",
            [[self.client.id], ["health_alert", "has_health_alert"]],
        )
        self.assertEqual(alert[0]["health_alert"], "Test dye PPD (Critical)")

    def test_specialist_reads_through_rpc_and_is_audited(self):
        result = self._call(
            "bc_specialist",
            "read",
            [[self.client.id], ["name", "allergen_ids", "medications"]],
        )
        self.assertEqual(result[0]["allergen_ids"], self.allergen_ppd.ids)
        self.assertEqual(result[0]["medications"], "Isotretinoin 20 mg")
        rows = self._call(
            "bc_specialist",
            "search_read",
            [[("id", "=", self.client.id)], ["staff_note"]],
        )
        self.assertIn("needles", rows[0]["staff_note"])
        form = self._call(
            "bc_specialist",
            "web_read",
            [[self.client.id]],
            {"specification": {"allergen_ids": {"fields": {"display_name": {}}}}},
        )
        self.assertEqual(form[0]["allergen_ids"][0]["display_name"], "Test dye PPD")
        exported = self._call(
            "bc_manager",
            "export_data",
            [[self.client.id], ["name", "allergen_ids/name"]],
        )
        self.assertEqual(exported["datas"], [["Katya Client", "Test dye PPD"]])
        logs = self.env["beauty.health.access.log"].search(
            [("partner_id", "=", self.client.id)]
        )
        self.assertEqual(
            {(log.user_id.login, log.operation) for log in logs},
            {("bc_specialist", "read"), ("bc_manager", "export")},
        )

    def test_tour_card_per_role(self):
        url = "/odoo/action-beauty_crm.res_partner_action_salon_client"
        self.start_tour(url, "beauty_crm_client_card_reception", login="bc_reception")
        self.start_tour(url, "beauty_crm_client_card_specialist", login="bc_specialist")
        self.assertEqual(
            self.client.physiological_notes,
            "Tremor of both hands, worse in the evening",
        )
        self.assertTrue(
            self.env["beauty.health.access.log"].search(
                [
                    ("partner_id", "=", self.client.id),
                    ("user_id", "=", self.user_specialist.id),
                ]
            )
        )

    def test_audit_on_replica(self):
        rows = [
            {
                "partner_id": self.client.id,
                "user_id": self.user_specialist.id,
                "operation": "read",
                "field_names": "allergen_ids",
            }
        ]
        _write_health_access_log(self.registry, rows)
        log = self.env["beauty.health.access.log"].search(
            [("partner_id", "=", self.client.id)]
        )
        self.assertEqual(log.user_id, self.user_specialist)
        self.assertEqual(log.field_names, "allergen_ids")

    def test_xmlrpc_receptionist_refused(self):
        uid = self.user_receptionist.id
        with self.assertRaises(xmlrpc.client.Fault) as caught:
            self.xmlrpc_object.execute(
                self.env.cr.dbname,
                uid,
                "bc_reception",
                "res.partner",
                "read",
                [self.client.id],
                ["allergen_ids"],
            )
        # Odoo's fault code for an access error.
        self.assertEqual(caught.exception.faultCode, 4)
        values = self.xmlrpc_object.execute(
            self.env.cr.dbname,
            self.user_specialist.id,
            "bc_specialist",
            "res.partner",
            "read",
            [self.client.id],
            ["allergen_ids"],
        )
        self.assertEqual(values[0]["allergen_ids"], self.allergen_ppd.ids)
