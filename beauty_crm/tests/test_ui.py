from odoo.tests import HttpCase, tagged

from .common import BeautyCommon


@tagged("post_install", "-at_install")
class TestSalonUi(BeautyCommon, HttpCase):
    def test_roles_open_salon_app(self):
        for login in ("bc_reception", "bc_specialist", "bc_manager"):
            self.authenticate(login, login)
            response = self.url_open(
                "/odoo/action-beauty_crm.beauty_appointment_action"
            )
            self.assertEqual(response.status_code, 200, login)
            menus = self.make_jsonrpc_request(
                "/web/dataset/call_kw",
                {
                    "model": "ir.ui.menu",
                    "method": "load_web_menus",
                    "args": [False, False],
                    "kwargs": {},
                },
            )
            root = self.env.ref("beauty_crm.beauty_crm_menu_root")
            self.assertIn(str(root.id), {str(key) for key in menus}, login)

    def test_portal_user_cannot_open_salon_app(self):
        self.authenticate("bc_portal", "bc_portal")
        response = self.url_open("/odoo/action-beauty_crm.beauty_appointment_action")
        # Portal users are sent to their portal, never to the backend.
        self.assertNotIn("/odoo", response.url)
        self.assertIn("/my", response.url)

    def test_tour_salon_app(self):
        self.start_tour("/odoo", "beauty_crm_open_salon", login="bc_reception")
