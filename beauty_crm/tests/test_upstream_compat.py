from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestUpstreamCompat(TransactionCase):
    """Behaviour of Odoo's own models that beauty_crm and its OCA
    dependencies must leave as Odoo's test suites expect."""

    def test_partner_sanitized_number_is_the_mobile(self):
        # mail_gateway_whatsapp lists the number fields from a set: without
        # beauty_crm's fix the order changed with the server's hash seed and
        # crm's test_crm_lead_partner_sync_email_phone failed one run in two.
        partner = self.env["res.partner"].create(
            {
                "name": "Turanga Leela",
                "mobile": "202 555 0999",
                "phone": "202 555 0888",
                "country_id": self.env.ref("base.us").id,
            }
        )
        self.assertEqual(partner._phone_get_number_fields()[:2], ["mobile", "phone"])
        self.assertEqual(partner.phone_sanitized, "+12025550999")
        partner.phone = "+1 202-555-7799"
        self.assertEqual(partner.phone_sanitized, "+12025550999")
        partner.mobile = False
        self.assertEqual(partner.phone_sanitized, "+12025557799")
