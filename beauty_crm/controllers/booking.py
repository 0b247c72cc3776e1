"""Public online booking: services, specialist, day, slot, contact, hold.

Availability always comes from ``beauty.scheduler``; this controller only
parses the visitor's choices, shows the engine's answer and books through it.
Who the client is comes from :mod:`.booking_identity`.
"""

import logging
from datetime import datetime, timedelta
from urllib.parse import urlencode

import pytz

from odoo import fields, http
from odoo.exceptions import UserError, ValidationError
from odoo.http import request
from odoo.tools import plaintext2html

from ..models.booking_errors import SlotTakenError
from .booking_identity import booking_identity, code_channel, code_recipient
from .booking_tools import (
    BOOKING_DAYS,
    MAX_NOTE,
    SHOWN_DAYS,
    BookingError,
    call_salon_message,
    check_form_stamp,
    chosen_day,
    chosen_services,
    chosen_services_and_specialists,
    chosen_specialist,
    client_tz,
    form_stamp,
    get_slots,
    hold_minutes,
    online_services,
    page_message,
    parse_ids,
    parse_start,
    services_fingerprint,
    slot_taken_message,
    specialists_for,
    visit_totals,
)

_logger = logging.getLogger(__name__)


class WebsiteBooking(http.Controller):
    # ------------------------------------------------------------------
    # Pages
    # ------------------------------------------------------------------

    @http.route("/booking", type="http", auth="public", website=True, methods=["GET"])
    def booking(self, **kwargs):
        selected_ids = self._selected_ids(kwargs.get("service_ids"))
        return request.render(
            "beauty_crm.booking_services_page",
            {
                # The list of services is rendered once per key and kept
                # (t-cache): the services are read only when the key is new.
                "services_key": (services_fingerprint(), tuple(selected_ids)),
                "load_services": online_services,
                # The branch's currency: every service shown is of the branch
                # or of all of them (a service's own currency is a compute).
                "currency": request.website.company_id.currency_id,
                "selected_ids": selected_ids,
                # Only the page's own messages, by code: never text from the URL.
                "error": page_message(kwargs.get("error")),
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
        currency = request.website.company_id.currency_id
        try:
            products, specialists = chosen_services_and_specialists(
                service_ids, currency
            )
            employee = chosen_specialist(employee_id, products, specialists)
            day = chosen_day(day, tz)
            slots = get_slots(products, employee, day, tz)
        except BookingError as error:
            return self._error_page(error.args[0], service_ids=service_ids)
        today = datetime.now(pytz.timezone(tz)).date()
        duration, amount = visit_totals(products)
        response = request.render(
            "beauty_crm.booking_slots_page",
            {
                "products": products,
                "service_ids": ",".join(str(i) for i in products.ids),
                "specialists": specialists,
                "employee": employee,
                "day": day,
                "days": [today + timedelta(days=n) for n in range(SHOWN_DAYS)],
                "max_day": today + timedelta(days=BOOKING_DAYS),
                "slots": slots,
                "tz": tz,
                "duration": duration,
                "amount": amount,
                "currency": currency,
                "message": page_message(kw.get("message")),
                "slots_url": request.env["ir.http"]._url_for("/booking/slots"),
                "contact_url": request.env["ir.http"]._url_for("/booking/contact"),
            },
        )
        # Free times are computed for each visit of the page: no browser or
        # proxy may keep them (a time taken since must not show as free).
        response.headers["Cache-Control"] = "no-store"
        return response

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
        values = {key: value for key, value in post.items() if isinstance(value, str)}
        if post.get("step") == "code":
            try:
                info = self._send_code(post)
            except BookingError as error:
                return self._render_contact(
                    products, employee, start, tz, error=error.args[0], values=values
                )
            values["code_requested"] = True
            return self._render_contact(
                products, employee, start, tz, info=info, values=values
            )
        try:
            appointment = self._book(products, employee, start, tz, post)
        except BookingError as error:
            return self._render_contact(
                products, employee, start, tz, error=error.args[0], values=values
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

    def _check_robots(self, post, kind="booking"):
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
        if not request.env["beauty.booking.attempt"]._allow(address, kind):
            raise BookingError(
                request.env._(
                    "Too many bookings from your connection in the last minutes. "
                    "Please try again later or call the salon."
                )
            )

    def _send_code(self, post):
        """Send a one-time code to the card holding the phone or e-mail the
        visitor typed. The answer is the same whether such a card exists."""
        self._check_robots(post, kind="code")
        card, channel = code_recipient(post)
        if card:
            request.env["beauty.booking.otp"].sudo()._send_code(card, channel)
        if channel == "sms":
            return request.env._(
                "If this phone number is on a client card of the salon, we have "
                "sent it a code by SMS. Type the code below and press Book."
            )
        return request.env._(
            "If this e-mail address is on a client card of the salon, we have "
            "sent it a code. Type the code below and press Book."
        )

    def _book(self, products, employee, start, tz, post):
        self._check_robots(post)
        identity = booking_identity(post, tz)
        if identity.partner and identity.partner.client_blacklisted:
            raise BookingError(call_salon_message())
        note = post.get("note") if isinstance(post.get("note"), str) else ""
        scheduler = request.env["beauty.scheduler"].sudo().with_context(tz=tz)
        try:
            # A booking that fails leaves no new client card behind.
            with request.env.cr.savepoint():
                appointment = scheduler.book_online(
                    identity.card(), products, start, employee=employee, tz=tz
                )
        except SlotTakenError:
            raise BookingError(slot_taken_message()) from None
        except ValidationError:
            # The client's card forbids a service: the reason stays with the
            # salon.
            raise BookingError(call_salon_message()) from None
        except UserError as error:
            raise BookingError(error.args[0]) from None
        appointment.write(
            {
                "hold_expires_at": fields.Datetime.now()
                + timedelta(minutes=hold_minutes()),
                "note": self._booking_note(note.strip()[:MAX_NOTE], identity),
            }
        )
        if identity.otp:
            identity.otp.used = True
        appointment._portal_ensure_token()
        return appointment

    def _booking_note(self, note, identity):
        parts = []
        if identity.otp:
            # A returning client proved the card's contact: the front desk sees
            # what the visitor typed, the visitor sees nothing of the card.
            typed = identity.typed
            parts.append(
                request.env._(
                    "Booked online as %(name)s, %(phone)s %(email)s",
                    name=typed["name"],
                    phone=typed["phone"],
                    email=typed["email"],
                )
            )
        elif identity.unverified:
            parts.append(
                request.env._(
                    "Booked online with the phone or e-mail of another client card, "
                    "without proving it: check who booked and merge the cards."
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

    def _render_contact(
        self, products, employee, start, tz, error=None, info=None, values=None
    ):
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
                "info": info,
                "values": values or {},
                "code_by": code_channel((values or {}).get("code_by")),
                "amount": visit_totals(products)[1],
                "currency": request.website.company_id.currency_id,
            },
        )

    def _error_page(self, message, service_ids=None):
        return request.render(
            "beauty_crm.booking_error_page",
            {"error": message, "service_ids": service_ids if service_ids else ""},
        )
