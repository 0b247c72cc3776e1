from odoo.exceptions import AccessError
from odoo.tests import tagged, users

from .common import BeautyCommon


@tagged("post_install", "-at_install")
class TestSalonSecurity(BeautyCommon):
    def test_groups_are_chained(self):
        receptionist = self.env.ref("beauty_crm.group_beauty_receptionist")
        specialist = self.env.ref("beauty_crm.group_beauty_specialist")
        manager = self.env.ref("beauty_crm.group_beauty_manager")
        self.assertIn(receptionist, specialist.implied_ids)
        self.assertIn(specialist, manager.implied_ids)
        self.assertIn(self.env.ref("base.group_user"), receptionist.implied_ids)
        self.assertTrue(
            self.user_manager.has_group("beauty_crm.group_beauty_receptionist")
        )
        self.assertFalse(
            self.user_receptionist.has_group("beauty_crm.group_beauty_specialist")
        )

    def test_salon_menu(self):
        root = self.env.ref("beauty_crm.beauty_crm_menu_root")
        for user in (self.user_receptionist, self.user_specialist, self.user_manager):
            visible = self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()
            self.assertIn(root.id, visible, user.login)
            self.assertIn(
                self.env.ref("beauty_crm.beauty_appointment_menu").id, visible
            )
        config = self.env.ref("beauty_crm.beauty_crm_menu_config")
        self.assertIn(
            config.id,
            self.env["ir.ui.menu"].with_user(self.user_manager)._visible_menu_ids(),
        )
        self.assertNotIn(
            config.id,
            self.env["ir.ui.menu"]
            .with_user(self.user_receptionist)
            ._visible_menu_ids(),
        )
        self.assertNotIn(
            root.id,
            self.env["ir.ui.menu"].with_user(self.user_employee)._visible_menu_ids(),
        )
        with self.assertRaises(AccessError):
            self.env["ir.ui.menu"].with_user(self.user_portal).search([])

    @users("bc_portal", "bc_employee")
    def test_outsiders_cannot_read_appointments(self):
        with self.assertRaises(AccessError):
            self.env["beauty.appointment"].search([])

    @users("bc_reception")
    def test_receptionist_sees_alert_not_allergies(self):
        client = self.client.with_env(self.env)
        self.assertIn("Test dye PPD", client.health_alert)
        self.assertIn("Critical", client.health_alert)
        with self.assertRaises(AccessError):
            client.read(["allergen_ids"])

    @users("bc_specialist")
    def test_specialist_reads_allergies(self):
        client = self.client.with_env(self.env)
        self.assertEqual(client.allergen_ids, self.allergen_ppd)
