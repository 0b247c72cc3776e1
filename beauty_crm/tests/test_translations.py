"""Every term of beauty_crm has its Russian and Chinese translation, the pot
follows the code, and the booking page, the client cabinet and the procedure
record are shown in the client's language.

The terms are read from the code the way ``--i18n-export`` reads them, so a
string added without its translation fails here with the msgids to add. Terms
of records defined only by the demo files are left out, as in an export from a
database without demo data: the demo salon is sample content, not the UI."""

import polib
from lxml import etree

from odoo.modules.module import get_manifest, get_module_path
from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import TranslationModuleReader

from .test_website_booking import TZ, WebsiteBookingCommon

LANGS = {"ru": "ru_RU", "zh_CN": "zh_CN"}
HOW_TO_FIX = (
    "\nRegenerate the pot (python3 -m odoo --addons-path=. -d <db> "
    "--i18n-export=beauty_crm/i18n/beauty_crm.pot --modules=beauty_crm "
    "--stop-after-init) and translate the terms in ru.po and zh_CN.po."
)


def _po_path(name):
    return f"{get_module_path('beauty_crm')}/i18n/{name}"


def _demo_xmlids():
    xmlids = set()
    for path in get_manifest("beauty_crm").get("demo", []):
        for node in etree.parse(f"{get_module_path('beauty_crm')}/{path}").xpath(
            "//*[@id]"
        ):
            xmlid = node.get("id")
            xmlids.add(xmlid if "." in xmlid else f"beauty_crm.{xmlid}")
    return xmlids


def module_terms(cr):
    """The msgids ``--i18n-export --modules=beauty_crm`` writes, without the
    terms of demo records (a product's template has the xmlid of the product
    with the suffix ``_product_template``)."""
    demo = _demo_xmlids()
    terms = set()
    for (
        module,
        ttype,
        _name,
        xmlid,
        source,
        _value,
        _comments,
    ) in TranslationModuleReader(cr, ["beauty_crm"]):
        if module != "beauty_crm":
            continue
        if ttype in ("model", "model_terms") and (
            xmlid in demo or xmlid.removesuffix("_product_template") in demo
        ):
            continue
        terms.add(source)
    return terms


def _listing(terms):
    return "".join(f"\n  msgid {term!r}" for term in sorted(terms))


@tagged("post_install", "-at_install")
class TestTranslationFiles(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.code_terms = module_terms(cls.env.cr)

    def test_pot_follows_the_code(self):
        # Fewer terms than the installed code would mean the reader failed.
        self.assertGreater(len(self.code_terms), 1000)
        pot = {entry.msgid for entry in polib.pofile(_po_path("beauty_crm.pot"))}
        added, removed = self.code_terms - pot, pot - self.code_terms
        self.assertFalse(
            added or removed,
            f"beauty_crm.pot is out of date: {len(added)} term(s) of the code "
            f"missing:{_listing(added)}\n{len(removed)} term(s) no longer in "
            f"the code:{_listing(removed)}{HOW_TO_FIX}",
        )

    def test_every_term_is_translated(self):
        for code, lang in LANGS.items():
            with self.subTest(lang=lang):
                po = polib.pofile(_po_path(f"{code}.po"))
                self.assertEqual(po.metadata.get("Language"), code)
                self.assertTrue(po.metadata.get("Plural-Forms"))
                translated = {e.msgid for e in po if e.msgstr.strip()}
                missing = self.code_terms - translated
                self.assertFalse(
                    missing,
                    f"{len(missing)} term(s) without a {lang} translation in "
                    f"beauty_crm/i18n/{code}.po:{_listing(missing)}{HOW_TO_FIX}",
                )


@tagged("post_install", "-at_install")
class TestTranslatedPages(WebsiteBookingCommon):
    """The default website speaks English, Russian (/ru/) and Chinese
    (/zh_CN/); only beauty_crm's own translations are loaded, so every
    Russian or Chinese text checked below comes from its po files."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        langs = cls.env["res.lang"]
        for lang in LANGS.values():
            langs |= cls.env["res.lang"]._activate_lang(lang)
        cls.env["ir.module.module"]._load_module_terms(
            ["beauty_crm"], list(LANGS.values()), overwrite=True
        )
        cls.website = cls.env.ref("website.default_website")
        cls.website.language_ids |= langs
        slot = cls.env["beauty.scheduler"].get_available_slots(
            cls.service_nails, cls.day, cls.day, tz=TZ
        )[0]
        cls.visit = cls.env["beauty.scheduler"].book(
            cls.partner_a, slot["lines"], channel="phone"
        )
        cls.visit.action_confirm()

    def _assert_texts(self, html, shown, not_shown):
        for text in shown:
            self.assertIn(text, html)
        for text in not_shown:
            self.assertNotIn(text, html)

    def test_booking_page(self):
        english = ["Book a visit", "Choose one or more services", "2. Specialist"]
        for prefix, shown in (
            ("/ru", ["Записаться", "Выберите одну или несколько услуг", "2. Мастер"]),
            ("/zh_CN", ["预约到店", "选择一个或多个服务项目", "2. 美容师和时间"]),
        ):
            with self.subTest(prefix=prefix):
                page = self.url_open(f"{prefix}/booking")
                self.assertEqual(page.status_code, 200)
                self._assert_texts(page.text, shown + ["Test manicure"], english)
        # The last page visited set the frontend_lang cookie; English is /en/.
        page = self.url_open("/en/booking")
        self._assert_texts(page.text, english, ["Выберите одну", "选择一个"])

    def test_client_cabinet(self):
        self.authenticate("bc_portal", "bc_portal")
        english = ["Cancel the visit", "Add to calendar", ">Visit</th>"]
        for prefix, listing, detail in (
            ("/ru", ["Визит", "Подтверждён"], ["Отменить визит", "в календарь"]),
            ("/zh_CN", ["到店", "已确认"], ["取消到店预约", "添加到日历"]),
        ):
            with self.subTest(prefix=prefix):
                page = self.url_open(f"{prefix}/my/appointments")
                self.assertEqual(page.status_code, 200)
                self._assert_texts(page.text, listing + [self.visit.name], english)
                self.assertNotIn(">Confirmed<", page.text)
                page = self.url_open(f"{prefix}/my/appointments/{self.visit.id}")
                self.assertEqual(page.status_code, 200)
                self._assert_texts(page.text, detail, english)

    def test_procedure_record_in_the_client_language(self):
        client = self.env["res.partner"].create(
            {"name": "Test Lang Client", "is_salon_client": True}
        )
        procedure = self.env["beauty.procedure"].create(
            {
                "partner_id": client.id,
                "employee_id": self.specialist.id,
                "product_id": self.service_nails.id,
                "zones": "Test zone",
            }
        )
        report = self.env["ir.actions.report"]
        english = ["Procedure record", "<strong>Specialist", "Treated zones"]
        for lang, shown in (
            ("ru_RU", ["Карта процедуры", "Мастер", "Обработанные зоны"]),
            ("zh_CN", ["护理记录", "美容师", "护理部位"]),
        ):
            with self.subTest(lang=lang):
                client.lang = lang
                html = report._render_qweb_html(
                    "beauty_crm.beauty_procedure_report_action", procedure.ids
                )[0].decode()
                self._assert_texts(html, shown + ["Test zone"], english)
        pdf = report.with_context(force_report_rendering=True)._render_qweb_pdf(
            "beauty_crm.beauty_procedure_report_action", procedure.ids
        )[0]
        self.assertTrue(pdf.startswith(b"%PDF"))
