"""Shared pieces of online booking: the visitor's choices read from the
request, the engine's answers and the page's own messages."""

import time
from datetime import date, datetime, timedelta

import pytz

from odoo import fields
from odoo.exceptions import UserError
from odoo.http import request
from odoo.tools import SQL, consteq
from odoo.tools.misc import hmac

from ..models.beauty_scheduler_checks import SERVICE_FIELDS

HOLD_PARAMETER = "beauty_crm.booking_hold_minutes"
DEFAULT_HOLD_MINUTES = 10
MIN_FILL_PARAMETER = "beauty_crm.booking_min_fill_seconds"
DEFAULT_MIN_FILL_SECONDS = 3
# A form older than this was not filled by the visitor who loaded it.
MAX_FORM_AGE = 4 * 3600
BOOKING_DAYS = 60
SHOWN_DAYS = 14
MAX_TEXT = 256
MAX_NOTE = 2000
# What the booking pages show of a service and of a specialist.
SHOWN_SERVICE_FIELDS = [
    "name",
    "categ_id",
    "description_sale",
    "service_duration",
    "list_price",
]
SHOWN_SPECIALIST_FIELDS = ["name", "job_title", "website_description"]
# What the monetary widget reads of the currency a price is shown in.
SHOWN_CURRENCY_FIELDS = ["decimal_places", "rounding", "position", "symbol"]


class BookingError(Exception):
    """A problem the visitor can fix or must hear about, shown on the page."""


def client_tz(tz=None):
    """The visitor's time zone: the one carried by the page, else the
    browser's (web.layout stores it in the ``tz`` cookie), else the logged-in
    user's, else the salon's (the website's company)."""
    for candidate in (
        tz,
        request.cookies.get("tz"),
        not request.env.user._is_public() and request.env.user.tz,
    ):
        if candidate and candidate in pytz.all_timezones_set:
            return candidate
    return request.website.company_id.sudo()._beauty_tz()


def parse_ids(value, what):
    """Positive ids from "1,2,3" or a list of such strings."""
    if isinstance(value, (list, tuple)):
        value = ",".join(value)
    parts = [part.strip() for part in (value or "").split(",") if part.strip()]
    if not parts or len(parts) > 10:
        raise BookingError(request.env._("Choose between one and ten %s.", what))
    try:
        ids = [int(part) for part in parts]
    except ValueError:
        raise BookingError(request.env._("Unknown %s.", what)) from None
    if any(i <= 0 or i > 2**31 - 1 for i in ids):
        raise BookingError(request.env._("Unknown %s.", what))
    return list(dict.fromkeys(ids))


def online_services(ids=None):
    """Salon services of the website's branch that clients may book online
    (of ``ids`` only, when given), with the fields the booking pages show read
    in one query (a product's other fields come only when something asks)."""
    return _fetch_online_services(ids)[0]


def _fetch_online_services(ids=None, extra=None):
    """(services as :func:`online_services`, value of ``extra``)."""
    company = request.website.company_id
    domain = [
        ("is_salon_service", "=", True),
        ("is_bookable_online", "=", True),
        ("company_id", "in", [False, company.id]),
    ]
    if ids is not None:
        domain.append(("id", "in", ids))
    return fetch_variants(
        request.env["product.product"].sudo(),
        domain,
        ["product_tmpl_id", "combination_indices"],
        # With what the slot search needs of them: it finds them in the cache.
        SHOWN_SERVICE_FIELDS + SERVICE_FIELDS,
        order="categ_id, name",
        extra=extra,
    )


def fetch_variants(Product, domain, fields, template_fields, order=None, extra=None):
    """``Product.search_fetch(domain, fields)`` that also fetches the
    templates' ``template_fields``, in the same query (``search_fetch`` reads
    a template's fields in a query of their own): (the variants found, with
    both in the record cache as ``search_fetch`` puts them there, the value
    of ``extra``).

    ``extra``: an SQL expression that does not depend on the row (a scalar
    subquery, which PostgreSQL computes once), selected with them; its value
    is None when it is not given or no variant is found."""
    if Product.env.context.get("prefetch_langs"):
        # Translated fields are read in the language of the context only.
        Product = Product.with_context(prefetch_langs=False)
    query = Product._search(domain, order=order)
    if query.is_empty():
        return Product.browse(), None
    fields = list(dict.fromkeys(["product_tmpl_id", *fields]))
    table = Product._table
    rows = Product.env.execute_query(
        query.select(
            SQL.identifier(table, "id"),
            *(Product._field_to_sql(table, name, query) for name in fields),
            *(Product._field_to_sql(table, name, query) for name in template_fields),
            extra if extra is not None else SQL("NULL"),
        )
    )
    if not rows:
        return Product.browse(), None
    ids, *columns, extras = zip(*rows, strict=True)
    products = Product.browse(ids)
    _cache_columns(products, fields, columns[: len(fields)])
    templates = Product.env["product.template"].browse(columns[0])
    _cache_columns(templates, template_fields, columns[len(fields) :])
    return products, extras[0]


def _cache_columns(records, names, columns):
    """Put the values ``columns`` (one sequence per field of ``names``, in
    the order of ``records``) in the record cache, as a fetch does."""
    for name, values in zip(names, columns, strict=True):
        records.env.cache.insert_missing(records, records._fields[name], values)


def visit_totals(products):
    """(hours, price) of a visit of ``products``: the templates' duration and
    sales price, plus the variant's extra price where the variant has
    attribute values (read only then: a service rarely has variants)."""
    hours = price = 0.0
    for product in products:
        template = product.product_tmpl_id
        hours += template.service_duration
        extra = product.combination_indices
        price += product.lst_price if extra else template.list_price
    return hours, price


def services_fingerprint():
    """A key that changes whenever anything the services page shows may have
    changed: the row versions (PostgreSQL's ``xmin``, new at every update,
    whatever wrote it: a form, a translation, a recompute, plain SQL) of every
    salon service, its variant, category and attribute values, of the
    branch's currency and of the visitor's language. The page caches its
    rendered list of services under this key: the same for every visitor, so
    one query instead of reading and rendering the services each time."""
    website = request.website
    request.env.cr.execute(
        """
        SELECT md5(string_agg(concat_ws(':', pp.id, pp.xmin, pt.xmin, pc.xmin),
                              ',' ORDER BY pp.id)),
               (SELECT md5(string_agg(concat_ws(':', ptav.id, ptav.xmin), ','
                                      ORDER BY ptav.id))
                  FROM product_template_attribute_value AS ptav
                  JOIN product_template AS tmpl ON tmpl.id = ptav.product_tmpl_id
                 WHERE tmpl.is_salon_service),
               (SELECT concat_ws(':', currency.id, currency.xmin)
                  FROM res_currency AS currency WHERE currency.id = %(currency)s),
               (SELECT concat_ws(':', lang.id, lang.xmin)
                  FROM res_lang AS lang WHERE lang.code = %(lang)s)
          FROM product_product AS pp
          JOIN product_template AS pt ON pt.id = pp.product_tmpl_id
     LEFT JOIN product_category AS pc ON pc.id = pt.categ_id
         WHERE pt.is_salon_service
        """,
        {
            "currency": website.company_id.currency_id.id,
            "lang": request.env.lang,
        },
    )
    return (website.id, website.company_id.id, *request.env.cr.fetchone())


def chosen_services(service_ids):
    """The services the visitor chose, in the visitor's order (they are done
    one after another)."""
    ids = parse_ids(service_ids, request.env._("services"))
    return _in_visitors_order(ids, online_services(ids))


def chosen_services_and_specialists(service_ids, currency):
    """(:func:`chosen_services`, :func:`specialists_for` them), both read in
    one query, with what the page's prices need of ``currency`` (a
    res.currency record, whose fields it puts in the cache)."""
    ids = parse_ids(service_ids, request.env._("services"))
    Employee = request.env["hr.employee"].sudo()
    templates = SQL(
        "SELECT product_tmpl_id FROM product_product WHERE id = ANY(%s)", ids
    )
    query = Employee._search(_specialists_domain(templates), order="name")
    columns = [SQL.identifier(Employee._table, "id")] + [
        Employee._field_to_sql(Employee._table, name, query)
        for name in SHOWN_SPECIALIST_FIELDS
    ]
    products, extra = _fetch_online_services(
        ids,
        extra=SQL(
            "json_build_array(ARRAY(%s), (SELECT json_build_array(%s)"
            " FROM res_currency WHERE id = %s))",
            query.select(SQL("json_build_array(%s)", SQL(", ").join(columns))),
            SQL(", ").join(map(SQL.identifier, SHOWN_CURRENCY_FIELDS)),
            currency.id,
        ),
    )
    products = _in_visitors_order(ids, products)
    # rows: [id, *SHOWN_SPECIALIST_FIELDS] of each specialist, by name.
    rows, currency_values = extra
    specialists = Employee.browse([row[0] for row in rows])
    _cache_columns(
        specialists,
        SHOWN_SPECIALIST_FIELDS,
        [[row[index] for row in rows] for index in range(1, len(columns))],
    )
    if currency_values:
        _cache_columns(
            currency, SHOWN_CURRENCY_FIELDS, [[value] for value in currency_values]
        )
    return products, specialists


def _in_visitors_order(ids, products):
    if len(products) != len(ids):
        raise BookingError(
            request.env._("One of the chosen services cannot be booked online.")
        )
    return products.browse(ids)


def specialists_for(products):
    """Specialists of the website's branch able to do every chosen service,
    with only the fields the booking pages show (an employee's row is wide,
    and most of it is HR data the page never shows)."""
    employees = request.env["hr.employee"].sudo()
    templates = products.product_tmpl_id
    return employees.search_fetch(
        _specialists_domain(SQL("SELECT unnest(%s::int[])", templates.ids))
        if templates
        else _specialists_domain(),
        SHOWN_SPECIALIST_FIELDS,
        order="name",
    )


def _specialists_domain(templates=None):
    """Specialists of the website's branch who do every service of
    ``templates`` (SQL of the product template ids), each listing them or
    listing no active specialist at all (then anybody may do it): a condition
    of the query, as reading the lists through the records would fetch every
    field of every employee listed."""
    company = request.website.company_id
    domain = [("is_specialist", "=", True), ("company_id", "=", company.id)]
    if templates is None:
        return domain
    request.env["product.template"].flush_model(["specialist_ids"])
    return domain + [
        (
            "id",
            "in",
            SQL(
                """(SELECT employee.id FROM hr_employee AS employee
                     WHERE NOT EXISTS (
                           SELECT FROM (%(templates)s) AS tmpl(id)
                            WHERE NOT EXISTS (
                                  SELECT FROM beauty_employee_service_rel AS rel
                                   WHERE rel.product_tmpl_id = tmpl.id
                                     AND rel.employee_id = employee.id)
                              AND EXISTS (
                                  SELECT FROM beauty_employee_service_rel AS rel
                                    JOIN hr_employee AS listed
                                      ON listed.id = rel.employee_id
                                   WHERE rel.product_tmpl_id = tmpl.id
                                     AND listed.active)))""",
                templates=templates,
            ),
        )
    ]


def chosen_specialist(employee_id, products, specialists=None):
    """The specialist the visitor chose among ``specialists`` (by default
    those of the website's branch who do every chosen service)."""
    if not employee_id or employee_id == "any":
        return request.env["hr.employee"].sudo()
    try:
        employee_id = int(employee_id)
    except (TypeError, ValueError):
        raise BookingError(request.env._("Unknown specialist.")) from None
    if specialists is None:
        specialists = specialists_for(products)
    employee = specialists.filtered(lambda emp: emp.id == employee_id)
    if not employee:
        raise BookingError(
            request.env._("This specialist does not do the chosen services.")
        )
    return employee


def chosen_day(day, tz):
    today = datetime.now(pytz.timezone(tz)).date()
    if not day:
        return today
    try:
        value = date.fromisoformat(str(day)[:10])
    except ValueError:
        raise BookingError(request.env._("Choose a day from the calendar.")) from None
    if not today <= value <= today + timedelta(days=BOOKING_DAYS):
        raise BookingError(
            request.env._(
                "Online booking is open from today for %(days)s days.",
                days=BOOKING_DAYS,
            )
        )
    return value


def parse_start(start):
    try:
        value = fields.Datetime.to_datetime(str(start or "").replace("T", " ")[:19])
    except ValueError:
        value = None
    if not value:
        raise BookingError(request.env._("Choose a time for your visit."))
    return value


def get_slots(products, employee, day, tz, exclude_appointment=None):
    """Free visits of one day in the visitor's time zone, from the engine;
    ``exclude_appointment`` is a visit being moved (its own time is free)."""
    try:
        return (
            request.env["beauty.scheduler"]
            .sudo()
            .with_context(tz=tz)
            .get_available_slots(
                products,
                day,
                day,
                employee=employee or None,
                tz=tz,
                online=True,
                exclude_appointment=exclude_appointment,
            )
        )
    except UserError as error:
        raise BookingError(error.args[0]) from None


def find_slot(products, employee, start, tz, exclude_appointment=None):
    """The visit the engine offers right now at ``start``, or None."""
    try:
        return (
            request.env["beauty.scheduler"]
            .sudo()
            .with_context(tz=tz)
            .find_slot(
                products,
                start,
                employee=employee,
                tz=tz,
                online=True,
                exclude_appointment=exclude_appointment,
            )
        )
    except UserError as error:
        raise BookingError(error.args[0]) from None


def slot_taken_message():
    return request.env._(
        "Sorry, this time has just been booked by someone else. "
        "Please choose another time."
    )


def call_salon_message():
    company = request.website.company_id
    # Computed outside the call: babel cannot extract a term whose arguments
    # hold an f-string (the whole file would be missing from beauty_crm.pot).
    phone = f" ({company.phone})" if company.phone else ""
    return request.env._(
        "We cannot complete this booking online. Please call the salon%(phone)s "
        "and we will gladly find the right visit for you.",
        phone=phone,
    )


def form_stamp():
    """A signed time stamp: how long the visitor took to fill the form."""
    now = str(int(time.time()))
    return f"{now}.{hmac(request.env(su=True), 'beauty_booking_form', now)}"


def check_form_stamp(stamp):
    now, _sep, signature = (stamp or "").partition(".")
    if not now.isdigit() or not consteq(
        signature, hmac(request.env(su=True), "beauty_booking_form", now)
    ):
        return False
    minimum = int(
        request.env["ir.config_parameter"]
        .sudo()
        .get_param(MIN_FILL_PARAMETER, DEFAULT_MIN_FILL_SECONDS)
    )
    age = time.time() - int(now)
    return minimum <= age <= MAX_FORM_AGE


def hold_minutes():
    return int(
        request.env["ir.config_parameter"]
        .sudo()
        .get_param(HOLD_PARAMETER, DEFAULT_HOLD_MINUTES)
    )


def hold_expired_message():
    return request.env._(
        "The time held for you has run out and was released. Please book again."
    )


# The booking pages' own messages, by the code a link may carry
# (``/booking?error=taken``, ``/booking/slots?message=taken``): a page never
# shows text taken from its URL.
PAGE_MESSAGES = {
    "taken": slot_taken_message,
    "expired": hold_expired_message,
    "call": call_salon_message,
}


def page_message(code):
    """The text of message ``code``, built only when a page shows one."""
    build = PAGE_MESSAGES.get(code) if isinstance(code, str) else None
    return build() if build else None
