import logging
import random
import time as clock
from collections import defaultdict
from datetime import datetime, time, timedelta

import psycopg2
import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .beauty_demo_images import salon_logo, service_picture, specialist_picture

_logger = logging.getLogger(__name__)

# Called by the demo data only (demo/beauty_history_demo.xml): a year of a
# salon's life built through the addon's own flows, the same every time for
# a given day (fixed seed, dates relative to today).

FIRST_NAMES_RU = [
    "Анастасия", "Виктория", "Ксения", "Полина", "Марина", "Ольга", "Татьяна",
    "Ирина", "Алина", "Вероника", "Кристина", "Евгения", "Людмила", "Софья",
    "Валерия", "Галина", "Жанна", "Лариса", "Оксана", "Диана", "Нина", "Вера",
]  # fmt: skip
LAST_NAMES_RU = [
    "Соловьёва", "Васильева", "Зайцева", "Павлова", "Семёнова", "Голубева",
    "Виноградова", "Богданова", "Воробьёва", "Фролова", "Михайлова", "Белова",
    "Тарасова", "Комарова", "Орлова", "Киселёва", "Макарова", "Андреева",
    "Ковалёва", "Ильина", "Гусева", "Титова",
]  # fmt: skip
MOBILE_CODES_RU = ["903", "905", "915", "916", "917", "925", "926", "977", "985"]
NAMES_ZH = [
    "李静", "张敏", "刘洋", "陈露", "杨帆", "赵雪", "黄丽", "周婷", "吴倩",
    "徐佳", "孙悦", "马琳", "朱莉", "胡月", "郭晶", "何欣", "高洁", "林芳",
]  # fmt: skip
REVIEWS_RU = {
    5: [
        "Всё прекрасно, спасибо!",
        "Очень довольна результатом, приду ещё.",
        "Мастер — золотые руки, уютно и чисто.",
        "Записалась онлайн за минуту, приняли вовремя.",
        "Лучший салон в районе.",
    ],
    4: [
        "Хорошо, но пришлось подождать десять минут.",
        "Результат нравится, цена немного высокая.",
    ],
    3: ["Нормально, ожидала большего."],
}
REVIEWS_ZH = {
    5: ["非常满意，服务很专业！", "环境干净，技师很细心。", "预约方便，准时开始。"],
    4: ["效果不错，就是等了一会儿。"],
    3: ["一般，还可以更好。"],
}
# The salon's footer on the website (demo/beauty_company_demo.xml).
FOOTER = {
    "Cosmetology, hair, nails, lashes and brows in the centre of Moscow, five "
    "minutes from Kitay-Gorod metro station.": (
        (
            "Косметология, волосы, ногти, ресницы и брови в центре Москвы, в пяти "
            "минутах от метро «Китай-город»."
        ),
        "美容护肤、美发、美甲、美睫和修眉，位于莫斯科市中心，距中国城地铁站步行五分钟。",
    ),
    "Book a visit": ("Записаться", "预约到店"),
    "Opening hours": ("Часы работы", "营业时间"),
    "Monday to Saturday, 10:00–20:00": (
        "Понедельник — суббота, 10:00–20:00",
        "周一至周六 10:00–20:00",
    ),
    "Sunday: closed": ("Воскресенье — выходной", "周日休息"),
    "Contact us": ("Контакты", "联系我们"),
}
# Services of the demo catalogue and the picture each gets.
PICTURES = {
    "service_facial_cleansing": "face",
    "service_chemical_peel": "drop",
    "service_botulinum": "syringe",
    "service_lip_filler": "syringe",
    "service_hair_colouring": "hair",
    "service_haircut": "scissors",
    "service_manicure": "nails",
    "service_lash_extension": "lashes",
    "service_brow_shaping": "brows",
    "service_laser_hair_removal": "laser",
    "sh_service_facial": "face",
    "sh_service_massage": "massage",
    "sh_service_manicure": "nails",
    "sh_service_haircut": "scissors",
}
# Days before today booked as fully as the coming ones; before them, the share
# of specialist-days with one visit.
RECENT_DAYS = 2
OLDER_DENSITY = 0.07
SPECIALISTS = [
    "specialist_anna",
    "specialist_irina",
    "specialist_maria",
    "specialist_olga",
    "specialist_li",
    "sh_specialist_wang",
    "sh_specialist_chen",
    "sh_specialist_liu",
]


class BeautyDemo(models.AbstractModel):
    _name = "beauty.demo"
    _description = "Demo salon builder"

    # ------------------------------------------------------------------
    # The salon and its branch
    # ------------------------------------------------------------------

    @api.model
    def _demo_setup_company(self):
        """The main company becomes the Moscow salon, in roubles. Odoo keeps a
        company's currency once it has journal items, so the generic demo
        entries of the accounting module (a US company's invoices) go first:
        nothing of the salon is booked yet."""
        # Clients and staff of the chain speak Russian and Chinese.
        for code in ("ru_RU", "zh_CN"):
            self.env["res.lang"]._activate_lang(code)
        company = self.env.ref("base.main_company")
        rub = self.env.ref("base.RUB")
        if company.currency_id != rub:
            self._demo_clear_entries(company)
            rub.active = True
            company.currency_id = rub
        company.logo = salon_logo("Лаванда")
        website = self.env["website"].search([("company_id", "=", company.id)], limit=1)
        website.write({"name": "Лаванда", "logo": company.logo})
        return True

    def _demo_clear_entries(self, company):
        domain = [("company_id", "=", company.id)]
        payments = self.env["account.payment"].search(domain)
        payments.filtered(lambda p: p.state != "draft").action_draft()
        payments.unlink()
        lines = self.env["account.bank.statement.line"].search(domain)
        lines.move_id.filtered(lambda m: m.state == "posted").button_draft()
        lines.with_context(force_delete=True).unlink()
        self.env["account.bank.statement"].search(domain).unlink()
        moves = self.env["account.move"].search(domain)
        moves.filtered(lambda m: m.state == "posted").button_draft()
        moves.with_context(force_delete=True).unlink()

    @api.model
    def _demo_translate_footer(self, view_id):
        view = self.env["ir.ui.view"].browse(view_id)
        translations = {"ru_RU": {}, "zh_CN": {}}
        for term in view.get_field_translations("arch_db")[0]:
            source = term["source"]
            for english, (russian, chinese) in FOOTER.items():
                if english in source:
                    translations["ru_RU"][source] = source.replace(english, russian)
                    translations["zh_CN"][source] = source.replace(english, chinese)
        view.update_field_translations("arch_db", translations)
        return True

    @api.model
    def _demo_setup_branch(self):
        """The Shanghai branch keeps its own books in yuan: Odoo's branches
        share the currency of their parent, so it is a company of its own
        in the same database, with the generic chart of accounts."""
        branch = self.env.ref("beauty_crm.company_shanghai")
        # Set on the contact: an e-mail given to a new company makes Odoo
        # look the domain up on the Internet (partner_autocomplete).
        branch.partner_id.write(
            {"tz": "Asia/Shanghai", "email": "shanghai@lavanda-salon.example.com"}
        )
        if not branch.chart_template:
            # Records of Odoo's chart, not of this addon.
            self.env["account.chart.template"].with_context(
                install_module=False
            ).try_loading("generic_coa", branch, install_demo=False)
            # The generic chart sets its own currency (USD); no entry yet.
            branch.currency_id = self.env.ref("base.CNY")
        admin = self.env.ref("base.user_admin")
        admin.company_ids = [fields.Command.link(branch.id)]
        return True

    @api.model
    def _demo_setup_pictures(self):
        for index, (xmlid, motif) in enumerate(PICTURES.items()):
            product = self.env.ref(f"beauty_crm.{xmlid}", raise_if_not_found=False)
            if product:
                product.image_1920 = service_picture(motif, index)
        for index, xmlid in enumerate(SPECIALISTS):
            employee = self.env.ref(f"beauty_crm.{xmlid}", raise_if_not_found=False)
            if employee:
                employee.image_1920 = specialist_picture(index, index % 3)
        return True

    def _demo_prepare_money(self, company):
        """The desk's cash journal takes payments and deposits."""
        cash = self.env["account.journal"].search(
            [("type", "=", "cash"), ("company_id", "=", company.id)], limit=1
        )
        company._beauty_prepare_payment_journal(cash)
        if not company.beauty_deposit_journal_id:
            company.beauty_deposit_journal_id = cash
        return cash

    # ------------------------------------------------------------------
    # A year of history
    # ------------------------------------------------------------------

    @api.model
    def _demo_generate_history(self, seed=14):
        rng = random.Random(seed)
        moscow = self.env.ref("base.main_company")
        shanghai = self.env.ref("beauty_crm.company_shanghai")
        ref = self.env.ref
        named = [
            ref(f"beauty_crm.client_{name}")
            for name in (
                "ekaterina",
                "natalia",
                "svetlana",
                "wang",
                "elena",
                "daria",
                "alexandra",
            )
        ]
        salons = [
            (moscow, "Europe/Moscow", named + self._demo_clients(rng, moscow, 46)),
            (shanghai, "Asia/Shanghai", self._demo_clients(rng, shanghai, 22)),
        ]
        for company, tz, clients in salons:
            env = self.with_company(company).with_context(
                allowed_company_ids=[company.id], tz=tz
            )
            env._demo_salon_history(rng, company, tz, clients)
        return True

    def _demo_clients(self, rng, company, count):
        chinese = company.currency_id.name == "CNY"
        today = fields.Date.today()
        sources = [
            self.env.ref("beauty_crm.utm_source_instagram"),
            self.env.ref("beauty_crm.utm_source_yandex_maps"),
            self.env.ref("beauty_crm.utm_source_word_of_mouth"),
            self.env.ref("utm.utm_source_search_engine"),
        ]
        values = []
        for number in range(count):
            if chinese:
                name = NAMES_ZH[number % len(NAMES_ZH)]
                phone = f"+86 139 {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}"
            else:
                name = (
                    f"{FIRST_NAMES_RU[number % len(FIRST_NAMES_RU)]} "
                    f"{LAST_NAMES_RU[(number * 7) % len(LAST_NAMES_RU)]}"
                )
                phone = (
                    f"+7 {rng.choice(MOBILE_CODES_RU)} {rng.randint(100, 999)}-"
                    f"{rng.randint(10, 99)}-{rng.randint(10, 99)}"
                )
            values.append(
                {
                    "name": name,
                    "is_salon_client": True,
                    "company_id": company.id,
                    "phone": phone,
                    "email": f"client{number + 1:02d}.{company.id}@example.com",
                    "lang": "zh_CN" if chinese else "ru_RU",
                    "tz": "Asia/Shanghai" if chinese else "Europe/Moscow",
                    "gender": "female",
                    "birthday": today - timedelta(days=rng.randint(20 * 365, 60 * 365)),
                    "source_id": rng.choice(sources).id,
                }
            )
        clients = self.env["res.partner"].with_company(company).create(values)
        self.env["beauty.consent"].create(
            [
                {
                    "partner_id": client.id,
                    "kind": kind,
                    "version": "2025-09",
                    "date": fields.Datetime.now() - timedelta(days=370),
                }
                for client in clients
                for kind in ("treatment", "marketing_email")
            ]
        )
        return list(clients)

    def _demo_salon_history(self, rng, company, tz, clients):
        zone = pytz.timezone(tz)
        now = fields.Datetime.now()
        today = now.replace(tzinfo=pytz.utc).astimezone(zone).date()
        employees = self.env["hr.employee"].search(
            [("is_specialist", "=", True), ("company_id", "=", company.id)]
        )
        services = self.env["product.product"].search(
            [("is_salon_service", "=", True), ("company_id", "in", (False, company.id))]
        )
        offer = {
            employee: services.filtered(
                lambda s, e=employee: (
                    e in s.specialist_ids
                    and not (
                        s.room_ids
                        and len(s.specialist_ids) > 1
                        and e != s.specialist_ids[-1]
                    )
                )
            )
            for employee in employees
        }
        visits = self.env["beauty.appointment"]
        for offset in range(-364, 22):
            day = today + timedelta(days=offset)
            if day.weekday() == 6:
                continue
            # A full book for the last weeks and the coming ones; earlier, a
            # lighter sample of the year keeps the install short.
            busy = 1.0 if offset >= -RECENT_DAYS else OLDER_DENSITY
            values = []
            for employee, offered in offer.items():
                if not offered or rng.random() > 0.88 * busy:
                    continue
                day_values = self._demo_day(
                    rng, zone, day, employee, offered, clients, now
                )
                values += day_values if busy == 1.0 else day_values[:1]
            visits |= self._demo_create(values)
        started = clock.monotonic()
        done = visits.filtered(lambda v: v.state == "done")
        self._demo_invoice(company, done)
        invoiced = clock.monotonic()
        self._demo_deposits(company, rng, visits)
        procedures = self._demo_procedures(rng, visits)
        self._demo_reviews(rng, visits, company)
        _logger.info(
            "Demo %s: %d bookings (%d done, invoiced and paid in %.0f s), "
            "%d procedures, in %.0f s after booking",
            company.name,
            len(visits),
            len(done),
            invoiced - started,
            len(procedures),
            clock.monotonic() - started,
        )
        cards = self.env["loyalty.card"].search(
            [("program_id", "=", company.beauty_loyalty_program_id.id)]
        )
        cards._beauty_update_tier()

    def _demo_day(self, rng, zone, day, employee, offered, clients, now):
        values = []
        # Morning 10:00-14:00, afternoon 15:00-20:00 (the salon's hours).
        for begin, end in ((10.0, 14.0), (15.0, 20.0)):
            hour = begin + rng.choice((0, 0, 0.5, 1.0))
            while True:
                service = rng.choice(offered)
                length = service.buffer_before + service.service_duration
                length += service.buffer_after
                if hour + length > end or rng.random() < 0.2:
                    break
                start_local = datetime.combine(day, time()) + timedelta(
                    hours=hour + service.buffer_before
                )
                start = zone.localize(start_local).astimezone(pytz.utc)
                start = start.replace(tzinfo=None)
                client = rng.choice(clients)
                values.append(
                    {
                        "partner_id": client.id,
                        "company_id": employee.company_id.id,
                        "channel": rng.choice(
                            ("phone", "website", "website", "messenger", "walk_in")
                        ),
                        "state": self._demo_state(rng, start, service, now),
                        "line_ids": [
                            fields.Command.create(
                                {
                                    "product_id": service.id,
                                    "employee_id": employee.id,
                                    "start": start,
                                }
                            )
                        ],
                    }
                )
                hour += length + rng.choice((0, 0, 0.5))
                hour = round(hour * 4) / 4
        return values

    def _demo_state(self, rng, start, service, now):
        stop = start + timedelta(hours=service.service_duration)
        if stop <= now:
            return rng.choices(("done", "no_show", "cancelled"), (88, 5, 7))[0]
        if start <= now:
            return "in_progress"
        if start - now < timedelta(hours=3):
            return "confirmed"
        return rng.choices(("confirmed", "draft"), (85, 15))[0]

    def _demo_create(self, values):
        """Book one day; a booking the rules refuse (an allergy, a room taken
        by another specialist) is left out, as the desk would do."""
        Appointment = self.env["beauty.appointment"]
        created = Appointment
        batches = [values]
        while batches:
            batch = batches.pop()
            try:
                with self.env.cr.savepoint():
                    created |= Appointment.create(batch)
            except (UserError, ValidationError, psycopg2.IntegrityError):
                # Split the day until the refused booking is alone.
                if len(batch) > 1:
                    half = len(batch) // 2
                    batches += [batch[:half], batch[half:]]
        return created

    def _demo_invoice(self, company, visits):
        """Check-out of every done visit: its own invoice (the values of the
        desk's check-out), posted on the day of the visit and paid at the desk
        that day, which earns the loyalty points. The invoices are created and
        posted in one batch; the desk's payments are registered day by day."""
        cash = self._demo_prepare_money(company)
        values = []
        for visit in visits.sorted("start"):
            invoice_values = visit._beauty_invoice_values()
            invoice_values["invoice_date"] = visit.start.date()
            values.append(invoice_values)
        invoices = self.env["account.move"].with_company(company).create(values)
        invoices.action_post()
        by_day = defaultdict(lambda: self.env["account.move"])
        for invoice in invoices:
            by_day[invoice.invoice_date] |= invoice
        for day, day_invoices in sorted(by_day.items()):
            self.env["account.payment.register"].with_context(
                active_model="account.move", active_ids=day_invoices.ids
            ).create(
                {
                    "payment_date": day,
                    "journal_id": cash.id,
                    "group_payment": False,
                }
            )._create_payments()

    def _demo_deposits(self, company, rng, visits):
        """A deposit taken at the desk for some of the coming visits."""
        cash = company.beauty_deposit_journal_id
        coming = visits.filtered(lambda v: v.state == "confirmed")
        for visit in coming[: max(3, len(coming) // 8)]:
            amount = visit.currency_id.round(visit.amount_total * 0.2)
            if amount <= 0:
                continue
            payment = self.env["account.payment"].create(
                {
                    "payment_type": "inbound",
                    "partner_type": "customer",
                    "partner_id": visit.partner_id.commercial_partner_id.id,
                    "amount": amount,
                    "journal_id": cash.id,
                    "memo": self.env._("Deposit %(visit)s", visit=visit.name),
                }
            )
            payment.action_post()
            visit._beauty_register_deposit(payment)

    def _demo_procedures(self, rng, visits):
        """Procedure records with materials and lots for the visits of the
        last four months whose service has a standard kit."""
        since = fields.Datetime.now() - timedelta(days=120)
        procedures = self.env["beauty.procedure"]
        for line in visits.filtered(
            lambda v: v.state == "done" and v.start >= since
        ).line_ids.filtered(lambda line: line.product_id.kit_line_ids):
            kit = []
            for kit_line in line.product_id.kit_line_ids:
                lot = self.env["stock.lot"]
                if kit_line.product_id.tracking == "lot":
                    lot = self.env["stock.lot"].search(
                        [("product_id", "=", kit_line.product_id.id)],
                        order="expiration_date",
                    )
                    lot = lot.filtered(
                        lambda lot, q=kit_line.quantity: lot.product_qty >= q
                    )[:1]
                    if not lot:
                        break
                kit.append(
                    fields.Command.create(
                        {
                            "product_id": kit_line.product_id.id,
                            "lot_id": lot.id,
                            "quantity": kit_line.quantity,
                        }
                    )
                )
            else:
                procedure = procedures.create(
                    {
                        "partner_id": line.appointment_id.partner_id.id,
                        "employee_id": line.employee_id.id,
                        "product_id": line.product_id.id,
                        "appointment_line_id": line.id,
                        "date": line.start,
                        "reaction": rng.choice(("none", "none", "mild")),
                        "material_line_ids": kit,
                    }
                )
                try:
                    with self.env.cr.savepoint():
                        procedure.action_validate()
                except UserError:
                    continue
                procedures |= procedure
        return procedures

    def _demo_reviews(self, rng, visits, company):
        texts = REVIEWS_ZH if company.currency_id.name == "CNY" else REVIEWS_RU
        for visit in visits.filtered(lambda v: v.state == "done"):
            if rng.random() > 0.35 or not visit._rating_get_operator():
                continue
            stars = rng.choices((5, 4, 3), (75, 20, 5))[0]
            visit.rating_apply(
                stars,
                token=visit._rating_get_access_token(),
                feedback=rng.choice(texts[stars]),
            )
