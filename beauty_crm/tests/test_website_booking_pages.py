"""What the booking pages' speed-ups must not change (issue #16): the cached
list of services follows every change of what it shows, the links of the
slots page keep the visitor's language, the specialists offered are those
the services list."""

import re

from odoo.fields import Command
from odoo.tests import tagged

from .test_website_booking import TZ, WebsiteBookingCommon


@tagged("post_install", "-at_install")
class TestWebsiteBookingPages(WebsiteBookingCommon):
    def _services_page(self, url="/booking"):
        page = self.url_open(url)
        self.assertEqual(page.status_code, 200)
        return page.text

    def _card(self, html, product):
        """The text of ``product``'s card on the services page, or None."""
        match = re.search(
            rf'for="service_{product.id}">(.*?)</label>', html, flags=re.DOTALL
        )
        return match and re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match[1]))

    def _change(self, write):
        """One change of the salon, in a transaction (savepoint) of its own
        as every change from the back office or a cron is, then visible."""
        with self.env.cr.savepoint():
            write()
            self.env.flush_all()
        self.env.invalidate_all()

    def test_cached_services_list_follows_every_change(self):
        card = self._card(self._services_page(), self.service_nails)
        self.assertIn("Test manicure", card)
        self.assertIn("2,000.00", card)
        self.assertIn("01:00", card)
        # The same page again comes from the cache, identical.
        self.assertEqual(card, self._card(self._services_page(), self.service_nails))

        self._change(lambda: self.service_nails.write({"name": "Test pedicure"}))
        card = self._card(self._services_page(), self.service_nails)
        self.assertIn("Test pedicure", card)
        self.assertNotIn("Test manicure", card)

        # A change that no ORM method sees (plain SQL) shows as well: the key
        # is the rows' versions, not a cache cleared by write().
        self._change(
            lambda: self.env.cr.execute(
                "UPDATE product_template SET list_price = 2500, "
                "service_duration = 1.5 WHERE id = %s",
                [self.service_nails.product_tmpl_id.id],
            )
        )
        card = self._card(self._services_page(), self.service_nails)
        self.assertIn("2,500.00", card)
        self.assertIn("01:30", card)

        category = self.env["product.category"].create({"name": "Test nails"})
        self._change(lambda: self.service_nails.write({"categ_id": category.id}))
        self.assertIn(">Test nails<", self._services_page())
        self._change(
            lambda: self.service_nails.product_tmpl_id.categ_id.write(
                {"name": "Test hands"}
            )
        )
        html = self._services_page()
        self.assertIn(">Test hands<", html)
        self.assertNotIn(">Test nails<", html)

        self._change(lambda: self.service_nails.write({"is_bookable_online": False}))
        self.assertIsNone(self._card(self._services_page(), self.service_nails))
        self._change(lambda: self.service_nails.write({"is_bookable_online": True}))
        self.assertTrue(self._card(self._services_page(), self.service_nails))

    def test_cached_services_list_keeps_each_visitors_choice(self):
        box = rf'<input[^>]*value="{self.service_nails.id}"[^>]*>'
        chosen = self._services_page(f"/booking?service_ids={self.service_nails.id}")
        self.assertIn('checked="', re.search(box, chosen)[0])
        plain = self._services_page()
        self.assertNotIn('checked="', re.search(box, plain)[0])
        # Bad ids never reach the key: the page shows nothing ticked.
        hostile = self._services_page("/booking?service_ids=1,x,-5")
        self.assertNotIn('checked="', re.search(box, hostile)[0])

    def test_slot_links_keep_the_visitors_language(self):
        ru = self.env["res.lang"]._activate_lang("ru_RU")
        self.env.ref("website.default_website").language_ids |= ru
        query = f"service_ids={self.service_nails.id}&day={self.day}&tz={TZ}"
        for prefix in ("", "/ru"):
            with self.subTest(prefix=prefix):
                page = self.url_open(f"{prefix}/booking/slots?{query}")
                # Availability is never kept by a browser or a proxy.
                self.assertEqual(page.headers.get("Cache-Control"), "no-store")
                html = page.text
                slots = re.findall(r'o_beauty_slot" href="([^"]+)"', html)
                days = re.findall(r'href="([^"]+)" class="[^"]*o_beauty_day"', html)
                self.assertTrue(slots)
                self.assertEqual(len(days), 14)
                for href in slots:
                    self.assertTrue(href.startswith(f"{prefix}/booking/contact?"))
                for href in days:
                    self.assertTrue(href.startswith(f"{prefix}/booking/slots?"))
                # A link of the page opens the same language's page.
                contact = self.url_open(slots[0].replace("&amp;", "&"))
                self.assertIn("o_beauty_contact_form", contact.text)

    def test_specialists_offered_are_those_the_services_list(self):
        other = self.env["hr.employee"].create(
            {"name": "Test Olga Other", "is_specialist": True}
        )
        retired = self.env["hr.employee"].create(
            {"name": "Test Rita Retired", "is_specialist": True}
        )
        retired.action_archive()
        query = f"day={self.day}&tz={TZ}"

        def offered(product):
            html = self._services_page(
                f"/booking/slots?service_ids={product.id}&{query}"
            )
            return set(map(int, re.findall(r'data-employee-id="(\d+)"', html)))

        # The test service lists only the test specialist.
        self.assertEqual(offered(self.service_nails), {self.specialist.id})
        # A service listing only an archived specialist may be done by any.
        free_for_all = self.env["product.product"].create(
            {
                "name": "Test brows",
                "type": "service",
                "is_salon_service": True,
                "service_duration": 0.5,
                "specialist_ids": [Command.link(retired.id)],
            }
        )
        self.assertTrue({self.specialist.id, other.id} <= offered(free_for_all))
        self.assertNotIn(retired.id, offered(free_for_all))
        # Two services: the specialists who do both.
        free_for_all.specialist_ids = [Command.link(other.id)]
        self.assertEqual(offered(free_for_all), {other.id})
        both = f"{self.service_nails.id},{free_for_all.id}"
        html = self._services_page(f"/booking/slots?service_ids={both}&{query}")
        self.assertFalse(re.findall(r'data-employee-id="(\d+)"', html))
