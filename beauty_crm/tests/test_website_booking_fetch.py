"""What the slots page reads of the chosen services, in one query (issue #16):
the same values as the ORM reads, in the visitor's language, the variant's
extra price in the visit's total, and a slot search that takes them from the
cache as superuser but still asks the database for a user's rights."""

import re

from odoo.fields import Command
from odoo.tests import tagged

from ..controllers.booking_tools import fetch_variants, visit_totals
from ..models.beauty_scheduler_checks import SERVICE_FIELDS
from .test_website_booking import TZ, WebsiteBookingCommon

SHOWN = ["name", "description_sale", "service_duration", "list_price", "categ_id"]


@tagged("post_install", "-at_install")
class TestBookingServicesFetch(WebsiteBookingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("ru_RU")
        cls.service_nails.product_tmpl_id.update_field_translations(
            "name", {"ru_RU": "Тестовый маникюр"}
        )
        length = cls.env["product.attribute"].create(
            {
                "name": "Test nail length",
                "value_ids": [
                    Command.create({"name": "Test short"}),
                    Command.create({"name": "Test long"}),
                ],
            }
        )
        cls.lengths = cls.env["product.template"].create(
            {
                "name": "Test extensions",
                "type": "service",
                "is_salon_service": True,
                "service_duration": 1.5,
                "list_price": 3000,
                "specialist_ids": [Command.link(cls.specialist.id)],
                "attribute_line_ids": [
                    Command.create(
                        {"attribute_id": length.id, "value_ids": length.value_ids.ids}
                    )
                ],
            }
        )
        long_value = cls.lengths.attribute_line_ids.product_template_value_ids.filtered(
            lambda value: value.name == "Test long"
        )
        long_value.price_extra = 700
        cls.long = cls.lengths.product_variant_ids.filtered(
            lambda variant: long_value in variant.product_template_attribute_value_ids
        )

    def _fetch(self, lang, ids):
        products = self.env["product.product"].with_context(lang=lang).sudo()
        products.env.invalidate_all()
        return fetch_variants(
            products,
            [("id", "in", ids)],
            ["combination_indices"],
            SHOWN + SERVICE_FIELDS,
        )[0]

    def test_one_query_reads_what_the_orm_reads(self):
        ids = (self.service_nails | self.long).ids
        for lang, name in (("en_US", "Test manicure"), ("ru_RU", "Тестовый маникюр")):
            with self.subTest(lang=lang):
                self._fetch(lang, ids)  # the language's cached data loaded
                with self.assertQueryCount(1):
                    products = self._fetch(lang, ids)
                    # Everything read is in the cache: no further query.
                    values = [
                        (p.id, p.product_tmpl_id.id, p.combination_indices)
                        + tuple(p.product_tmpl_id[f] for f in SHOWN + SERVICE_FIELDS)
                        for p in products
                    ]
                self.assertEqual(products.with_context(lang=lang)[:1].name, name)
                products.env.invalidate_all()
                expected = [
                    (p.id, p.product_tmpl_id.id, p.combination_indices)
                    + tuple(p.product_tmpl_id[f] for f in SHOWN + SERVICE_FIELDS)
                    for p in products.browse(ids)
                ]
                self.assertEqual(sorted(values), sorted(expected))
        self.assertFalse(self._fetch("en_US", [0]))
        # A context that asks for every language (the website's translation
        # mode) reads the context's language.
        products = self.env["product.product"].with_context(
            lang="ru_RU", prefetch_langs=True
        )
        products.env.invalidate_all()
        found = fetch_variants(products, [("id", "in", ids)], [], SHOWN)[0]
        self.assertEqual(
            found.with_context(lang="ru_RU").browse(ids[0]).product_tmpl_id.name,
            "Тестовый маникюр",
        )

    def test_visit_total_counts_the_variants_extra_price(self):
        short = self.lengths.product_variant_ids - self.long
        self.assertEqual(visit_totals(self.service_nails | self.long), (2.5, 5700.0))
        self.assertEqual(visit_totals(short), (1.5, 3000.0))
        query = f"day={self.day}&tz={TZ}"
        html = self.url_open(f"/booking/slots?service_ids={self.long.id}&{query}").text
        self.assertIn("3,700.00", html)
        html = self.url_open(f"/booking/slots?service_ids={short.id}&{query}").text
        self.assertIn("3,000.00", html)

    def test_slot_search_asks_the_database_only_for_a_users_rights(self):
        Scheduler = self.env["beauty.scheduler"]
        products = self._fetch("en_US", self.service_nails.ids)
        with self.assertQueryCount(0):
            Scheduler.sudo()._engine_products(products.ids, online=True)
        # A user's search (the front desk's) reads them with the user's rights.
        user = Scheduler.with_user(self.user_receptionist)
        before = self.env.cr.sql_log_count
        user._engine_products(products.ids)
        self.assertGreater(self.env.cr.sql_log_count, before)
        self.assertFalse(user._engine_products_cached(products.ids))
        # Not in the cache (another transaction's view): read again.
        self.env.invalidate_all()
        self.assertFalse(Scheduler.sudo()._engine_products_cached(products.ids))
        query = f"service_ids={self.service_nails.id}&day={self.day}&tz={TZ}"
        page = self.url_open(f"/booking/slots?{query}")
        self.assertEqual(
            len(re.findall(r"o_beauty_slot\"", page.text)),
            len(self._slots()),
        )
