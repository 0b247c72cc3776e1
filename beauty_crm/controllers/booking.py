"""Public online booking: services, specialist, day, slot, contact, hold.

Availability always comes from ``beauty.scheduler``; this controller only
parses the visitor's choices, shows the engine's answer and books through it.
"""

import logging
import time
from datetime import date, datetime, timedelta
from urllib.parse import urlencode

import phonenumbers
import pytz

from odoo import fields, http
from odoo.exceptions import UserError, ValidationError
from odoo.http import request
from odoo.tools import consteq, email_normalize, plaintext2html
from odoo.tools.misc import hmac

_logger = logging.getLogger(__name__)

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


class BookingError(Exception):
    """A problem the visitor can fix or must hear about, shown on the page."""


def client_tz(tz=None):
    """The visitor's time zone: the one carried by the page, else the
    browser's (web.layout stores it in the ``tz`` cookie), else the logged-in
    user's, else the salon's."""
    for candidate in (
        tz,
        request.cookies.get("tz"),
        not request.env.user._is_public() and request.env.user.tz,
    ):
        if candidate and candidate in pytz.all_timezones_set:
            return candidate
    company = request.website.company_id.sudo()
    return company.resource_calendar_id.tz or company.partner_id.tz or "UTC"


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


def online_services():
    """Salon services of the website's branch that clients may book online."""
    company = request.website.company_id
    return (
        request.env["product.product"]
        .sudo()
        .search(
            [
                ("is_salon_service", "=", True),
                ("is_bookable_online", "=", True),
                ("company_id", "in", [False, company.id]),
            ],
            order="categ_id, name",
        )
    )


def chosen_services(service_ids):
    ids = parse_ids(service_ids, request.env._("services"))
    products = online_services().filtered(lambda product: product.id in ids)
    if len(products) != len(ids):
        raise BookingError(
            request.env._("One of the chosen services cannot be booked online.")
        )
    # Keep the visitor's order: the services are done one after another.
    return products.browse(ids)


def specialists_for(products):
    """Specialists of the website's branch able to do every chosen service."""
    company = request.website.company_id
    employees = (
        request.env["hr.employee"]
        .sudo()
        .search(
            [("is_specialist", "=", True), ("company_id", "=", company.id)],
            order="name",
        )
    )
    for template in products.product_tmpl_id:
        if template.specialist_ids:
            employees &= template.specialist_ids
    return employees


def chosen_specialist(employee_id, products):
    if not employee_id or employee_id == "any":
        return request.env["hr.employee"].sudo()
    try:
        employee_id = int(employee_id)
    except (TypeError, ValueError):
        raise BookingError(request.env._("Unknown specialist.")) from None
    employee = specialists_for(products).filtered(lambda emp: emp.id == employee_id)
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


def get_slots(products, employee, day, tz):
    """Free visits of one day in the visitor's time zone, from the engine."""
    try:
        return (
            request.env["beauty.scheduler"]
            .sudo()
            .with_context(tz=tz)
            .get_available_slots(
                products, day, day, employee=employee or None, tz=tz, online=True
            )
        )
    except UserError as error:
        raise BookingError(error.args[0]) from None


def find_slot(products, employee, start, tz):
    """The visit the engine offers right now at ``start``, or None."""
    try:
        slots = (
            request.env["beauty.scheduler"]
            .sudo()
            .with_context(tz=tz)
            .get_available_slots(
                products,
                start,
                start + timedelta(minutes=1),
                employee=employee or None,
                tz=tz,
                online=True,
            )
        )
    except UserError as error:
        raise BookingError(error.args[0]) from None
    return next((slot for slot in slots if slot["start"] == start), None)


def slot_taken_message():
    return request.env._(
        "Sorry, this time has just been booked by someone else. "
        "Please choose another time."
    )


def call_salon_message():
    company = request.website.company_id
    phone = company.phone or ""
    return request.env._(
        "We cannot complete this booking online. Please call the salon%(phone)s "
        "and we will gladly find the right visit for you.",
        phone=f" ({phone})" if phone else "",
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


class WebsiteBooking(http.Controller):
    # ------------------------------------------------------------------
    # Pages
    # ------------------------------------------------------------------

    @http.route("/booking", type="http", auth="public", website=True, methods=["GET"])
    def booking(self, **kwargs):
        services = online_services()
        return request.render(
            "beauty_crm.booking_services_page",
            {
                "services": services,
                "categories": services.categ_id,
                "selected_ids": self._selected_ids(kwargs.get("service_ids")),
                "error": kwargs.get("error"),
            },
        )

    @http.route(
        "/booking/slots",
        type="http",
        auth="public",
        website=True,
        methods=["GET"],
        sitemap=False,
    )
    def booking_slots(
        self, service_ids=None, employee_id=None, day=None, tz=None, **kw
    ):
        tz = client_tz(tz)
        # The services form sends one service_ids parameter per ticked box.
        service_ids = ",".join(request.httprequest.args.getlist("service_ids"))
        try:
            products = chosen_services(service_ids)
            employee = chosen_specialist(employee_id, products)
            day = chosen_day(day, tz)
            slots = get_slots(products, employee, day, tz)
        except BookingError as error:
            return self._error_page(error.args[0], service_ids=service_ids)
        today = datetime.now(pytz.timezone(tz)).date()
        return request.render(
            "beauty_crm.booking_slots_page",
            {
                "products": products,
                "service_ids": ",".join(str(i) for i in products.ids),
                "specialists": specialists_for(products),
                "employee": employee,
                "day": day,
                "days": [today + timedelta(days=n) for n in range(SHOWN_DAYS)],
                "max_day": today + timedelta(days=BOOKING_DAYS),
                "slots": slots,
                "tz": tz,
                "duration": sum(products.mapped("service_duration")),
                "amount": sum(products.mapped("lst_price")),
                "currency": request.website.company_id.currency_id,
                "message": kw.get("message"),
            },
        )

    @http.route(
        "/booking/contact",
        type="http",
        auth="public",
        website=True,
        methods=["GET"],
        sitemap=False,
    )
    def booking_contact(
        self, service_ids=None, employee_id=None, start=None, tz=None, **kw
    ):
        tz = client_tz(tz)
        try:
            products = chosen_services(service_ids)
            employee = chosen_specialist(employee_id, products)
            start = parse_start(start)
        except BookingError as error:
            return self._error_page(error.args[0], service_ids=service_ids)
        return self._render_contact(products, employee, start, tz)

    @http.route(
        "/booking/submit",
        type="http",
        auth="public",
        website=True,
        methods=["POST"],
        sitemap=False,
    )
    def booking_submit(self, **post):
        tz = client_tz(post.get("tz"))
        try:
            products = chosen_services(post.get("service_ids"))
            employee = chosen_specialist(post.get("employee_id"), products)
            start = parse_start(post.get("start"))
        except BookingError as error:
            return self._error_page(error.args[0], service_ids=post.get("service_ids"))
        try:
            appointment = self._book(products, employee, start, tz, post)
        except BookingError as error:
            return self._render_contact(
                products, employee, start, tz, error=error.args[0], values=post
            )
        return request.redirect(appointment.get_portal_url())

    # ------------------------------------------------------------------
    # Images of the public catalogue
    # ------------------------------------------------------------------

    @http.route(
        "/booking/image/<string:kind>/<int:record_id>",
        type="http",
        auth="public",
        website=True,
        methods=["GET"],
        sitemap=False,
    )
    def booking_image(self, kind, record_id, **kw):
        if kind == "service":
            records = online_services().product_tmpl_id
        elif kind == "specialist":
            records = specialists_for(request.env["product.product"])
        else:
            raise request.not_found()
        record = records.filtered(lambda rec: rec.id == record_id)
        if not record:
            raise request.not_found()
        stream = request.env["ir.binary"]._get_image_stream_from(
            record, "image_256", placeholder="web/static/img/placeholder.png"
        )
        return stream.get_response(max_age=3600)

    # ------------------------------------------------------------------
    # Booking
    # ------------------------------------------------------------------

    def _book(self, products, employee, start, tz, post):
        if post.get("website_url"):
            # The honeypot field is hidden from people; only robots fill it.
            _logger.info("Online booking refused: honeypot filled")
            raise BookingError(call_salon_message())
        if not check_form_stamp(post.get("form_stamp")):
            raise BookingError(
                request.env._(
                    "This form was sent too fast or is too old. Please check your "
                    "details and send it again."
                )
            )
        address = request.httprequest.remote_addr
        if not request.env["beauty.booking.attempt"]._allow(address):
            raise BookingError(
                request.env._(
                    "Too many bookings from your connection in the last minutes. "
                    "Please try again later or call the salon."
                )
            )
        partner, typed = self._booking_partner(post, tz)
        if partner.client_blacklisted:
            raise BookingError(call_salon_message())
        slot = find_slot(products, employee, start, tz)
        if not slot:
            raise BookingError(slot_taken_message())
        note = (post.get("note") or "").strip()[:MAX_NOTE]
        scheduler = request.env["beauty.scheduler"].sudo().with_context(tz=tz)
        try:
            with request.env.cr.savepoint():
                appointment = scheduler.book(partner, slot["lines"], channel="website")
        except ValidationError:
            # Either someone took the time meanwhile (the engine or the
            # database constraint said so) or the client's card forbids a
            # service; the reason itself stays with the salon.
            if find_slot(products, employee, start, tz):
                raise BookingError(call_salon_message()) from None
            raise BookingError(slot_taken_message()) from None
        appointment.write(
            {
                "hold_expires_at": fields.Datetime.now()
                + timedelta(minutes=hold_minutes()),
                "note": self._booking_note(note, typed),
            }
        )
        appointment._portal_ensure_token()
        return appointment

    def _booking_partner(self, post, tz):
        """The client of the booking and what the visitor typed, when it
        differs from the client card: the logged-in user, a returning client
        recognised by phone or e-mail, or a new client card."""
        user = request.env.user
        if not user._is_public():
            partner = user.partner_id.sudo()
            if not partner.is_salon_client:
                partner.is_salon_client = True
            return partner, None
        name = (post.get("name") or "").strip()
        if not 2 <= len(name) <= MAX_TEXT:
            raise BookingError(request.env._("Please tell us your name."))
        phone = self._normalize_phone(post.get("phone"))
        email = post.get("email") or ""
        if email:
            email = email_normalize(email[:MAX_TEXT].strip())
            if not email:
                raise BookingError(request.env._("This e-mail address is not valid."))
        Partner = request.env["res.partner"].sudo()
        partner = Partner.search(
            [
                ("is_salon_client", "=", True),
                "|",
                ("phone_sanitized", "=", phone),
                ("phone", "=", phone),
            ],
            limit=1,
        )
        if not partner and email:
            partner = Partner.search(
                [("is_salon_client", "=", True), ("email_normalized", "=", email)],
                limit=1,
            )
        if partner:
            return partner, {"name": name, "phone": phone, "email": email}
        values = {
            "name": name,
            "phone": phone,
            "email": email or False,
            "is_salon_client": True,
            "tz": tz,
            "lang": request.lang.code,
            "country_id": request.website.company_id.country_id.id,
        }
        values.update(self._utm_values())
        return Partner.create(values), None

    def _normalize_phone(self, number):
        number = (number or "").strip()[:64]
        country = request.website.company_id.country_id
        try:
            parsed = phonenumbers.parse(number, country.code or None)
        except phonenumbers.NumberParseException:
            parsed = None
        if not parsed or not phonenumbers.is_valid_number(parsed):
            raise BookingError(
                request.env._(
                    "This phone number is not valid. Write it with the country code, "
                    "e.g. +7 912 345-67-89."
                )
            )
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)

    def _utm_values(self):
        """Source, medium and campaign of the link that brought the visitor
        (Odoo keeps them in cookies, see utm/models/ir_http.py)."""
        Mixin = request.env["utm.mixin"].sudo()
        values = {}
        for url_param, field_name, cookie_name in Mixin.tracking_fields():
            name = request.cookies.get(cookie_name) or request.params.get(url_param)
            if name and isinstance(name, str):
                comodel = Mixin._fields[field_name].comodel_name
                values[field_name] = Mixin._find_or_create_record(
                    comodel, name[:MAX_TEXT]
                ).id
        return values

    def _booking_note(self, note, typed):
        parts = []
        if typed:
            # A returning client was recognised: the front desk sees what the
            # visitor typed, the visitor sees nothing of the card.
            parts.append(
                request.env._(
                    "Booked online as %(name)s, %(phone)s %(email)s",
                    name=typed["name"],
                    phone=typed["phone"],
                    email=typed["email"],
                )
            )
        if note:
            parts.append(note)
        return plaintext2html("\n\n".join(parts)) if parts else False

    # ------------------------------------------------------------------
    # Rendering helpers
    # ------------------------------------------------------------------

    def _selected_ids(self, service_ids):
        try:
            return parse_ids(service_ids, "")
        except BookingError:
            return []

    def _render_contact(self, products, employee, start, tz, error=None, values=None):
        local = pytz.utc.localize(start).astimezone(pytz.timezone(tz))
        contact_url = "/booking/contact?" + urlencode(
            {
                "service_ids": ",".join(str(i) for i in products.ids),
                "employee_id": employee.id or "any",
                "start": fields.Datetime.to_string(start),
                "tz": tz,
            }
        )
        return request.render(
            "beauty_crm.booking_contact_page",
            {
                "products": products,
                "service_ids": ",".join(str(i) for i in products.ids),
                "employee": employee,
                "start": fields.Datetime.to_string(start),
                "start_dt": start,
                "local_start": local,
                "login_url": "/web/login?" + urlencode({"redirect": contact_url}),
                "tz": tz,
                "form_stamp": form_stamp(),
                "error": error,
                "values": values or {},
                "amount": sum(products.mapped("lst_price")),
                "currency": request.website.company_id.currency_id,
            },
        )

    def _error_page(self, message, service_ids=None):
        return request.render(
            "beauty_crm.booking_error_page",
            {"error": message, "service_ids": service_ids if service_ids else ""},
        )
