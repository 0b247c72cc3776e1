from odoo.tests import HttpCase, TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestDemoSalon(TransactionCase):
    """The demo chain (installed with demo data): a Moscow salon in roubles,
    a Shanghai salon in yuan, both closed on Sundays, with a year of paid
    visits, loyalty points, procedures with lots and reviews."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.shanghai = cls.env.ref("beauty_crm.company_shanghai", False)
        if not cls.shanghai:
            cls.skipTest(cls, "installed without demo data")
        cls.moscow = cls.env.ref("base.main_company")

    def test_salons(self):
        self.assertEqual(self.moscow.currency_id.name, "RUB")
        self.assertEqual(self.moscow._beauty_tz(), "Europe/Moscow")
        self.assertEqual(self.shanghai.currency_id.name, "CNY")
        self.assertEqual(self.shanghai._beauty_tz(), "Asia/Shanghai")
        for company in self.moscow | self.shanghai:
            days = set(company.resource_calendar_id.attendance_ids.mapped("dayofweek"))
            self.assertEqual(days, {"0", "1", "2", "3", "4", "5"}, company.name)
        facial = self.env.ref("beauty_crm.service_facial_cleansing")
        self.assertEqual(facial.list_price, 4500)
        self.assertTrue(facial.image_128)
        self.assertTrue(self.env.ref("beauty_crm.specialist_anna").image_128)

    def test_a_year_of_history(self):
        Appointment = self.env["beauty.appointment"]
        for company in self.moscow | self.shanghai:
            done = Appointment.search(
                [("company_id", "=", company.id), ("state", "=", "done")]
            )
            self.assertGreater(len(done), 40, company.name)
            first = min(done.mapped("start"))
            self.assertGreater((max(done.mapped("start")) - first).days, 330)
            self.assertFalse(
                done.filtered(lambda v: v.start.weekday() == 6),
                "closed on Sundays",
            )
            invoices = done.invoice_ids.filtered(lambda m: m.state == "posted")
            self.assertEqual(len(invoices), len(done))
            self.assertLessEqual(
                set(invoices.mapped("payment_state")), {"paid", "in_payment"}
            )
            self.assertEqual(invoices.currency_id, company.currency_id)
            cards = self.env["loyalty.card"].search(
                [("program_id", "=", company.beauty_loyalty_program_id.id)]
            )
            self.assertTrue(cards.filtered(lambda c: c.points > 0))
            self.assertTrue(done.rating_ids.filtered("consumed"))
        procedures = self.env["beauty.procedure"].search([("state", "=", "done")])
        self.assertTrue(procedures.material_line_ids.lot_id)
        deposits = self.env["account.payment"].search(
            [("beauty_appointment_id.state", "=", "confirmed")]
        )
        self.assertTrue(deposits)
        self.assertGreater(deposits.beauty_appointment_id[:1].deposit_paid, 0)
        portal = self.env.ref("beauty_crm.user_portal_ekaterina")
        self.assertTrue(portal._is_portal())


@tagged("post_install", "-at_install")
class TestDemoBookingZone(HttpCase):
    def test_visitor_without_cookie_sees_salon_time(self):
        """A visitor with no tz cookie is shown the salon's zone, that of the
        website's company, not that of Odoo's default working hours."""
        facial = self.env.ref("beauty_crm.service_facial_cleansing", False)
        if not facial:
            self.skipTest("installed without demo data")
        company = self.env["website"].get_current_website().company_id
        company.partner_id.tz = "Asia/Vladivostok"
        company.resource_calendar_id.tz = "Europe/Brussels"
        self.assertEqual(company._beauty_tz(), "Asia/Vladivostok")
        page = self.url_open(f"/booking/slots?service_ids={facial.id}").text
        self.assertIn("in your time zone: Asia/Vladivostok", page)

    def test_website_shows_the_salon(self):
        """The demo website's header and footer carry the salon's phone,
        address and hours in the visitor's language, not Odoo's sample
        company (+1 555-555-5556, info@yourcompany.example.com)."""
        if not self.env.ref("beauty_crm.website_footer_salon", False):
            self.skipTest("installed without demo data")
        website = self.env["website"].get_current_website()
        company = website.company_id
        # make demo's website speaks the three; a test database only English.
        website.language_ids |= self.env["res.lang"].search(
            [("code", "in", ("ru_RU", "zh_CN"))]
        )
        for prefix, hours in (
            ("/en", "Opening hours"),
            ("/ru", "Часы работы"),
            ("/zh_CN", "营业时间"),
        ):
            page = self.url_open(f"{prefix}/booking").text
            self.assertNotIn("555-555-5556", page, prefix)
            self.assertNotIn("yourcompany.example.com", page, prefix)
            # The header (desktop and mobile) and the footer.
            self.assertEqual(page.count(f'href="tel:{company.phone}"'), 3, prefix)
            self.assertIn(hours, page)
            self.assertIn(company.street, page)
