"""Client cabinet: the client's appointments in the portal.

Pages are read by the logged-in client (own appointments only) or by anyone
holding the appointment's access token (the link of a booking confirmation).
Every change of state is a POST with Odoo's CSRF token.
"""

from datetime import timedelta

from odoo import fields, http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.fields import Command
from odoo.http import request
from odoo.tools import consteq

from odoo.addons.payment.controllers import portal as payment_portal
from odoo.addons.portal.controllers.portal import pager as portal_pager

from .booking_tools import (
    BookingError,
    client_tz,
    find_slot,
    get_slots,
    parse_start,
    slot_taken_message,
)
from .booking_tools import (
    chosen_day as parse_day,
)

UPCOMING_STATES = ("draft", "confirmed")
PAGE_SIZE = 20


def beauty_appointment_sudo(appointment_id, access_token=None):
    """The appointment, if it belongs to the logged-in client or the token is
    its access token; otherwise AccessError or MissingError."""
    appointment = (
        request.env["beauty.appointment"].sudo().browse(appointment_id).exists()
    )
    if not appointment:
        raise MissingError(request.env._("This appointment does not exist."))
    user = request.env.user
    if not user._is_public() and appointment.partner_id == user.partner_id:
        return appointment
    if (
        access_token
        and isinstance(access_token, str)
        and appointment.access_token
        and consteq(appointment.access_token, access_token)
    ):
        return appointment
    raise AccessError(request.env._("You cannot see this appointment."))


class AppointmentPortal(payment_portal.PaymentPortal):
    # ------------------------------------------------------------------
    # Access
    # ------------------------------------------------------------------

    def _beauty_appointment_sudo(self, appointment_id, access_token=None):
        return beauty_appointment_sudo(appointment_id, access_token)

    def _beauty_domain(self):
        return [("partner_id", "=", request.env.user.partner_id.id)]

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "beauty_appointment_count" in counters:
            values["beauty_appointment_count"] = (
                request.env["beauty.appointment"]
                .sudo()
                .search_count(self._beauty_domain())
            )
        return values

    # ------------------------------------------------------------------
    # Pages
    # ------------------------------------------------------------------

    @http.route(
        ["/my/appointments", "/my/appointments/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
        methods=["GET"],
    )
    def portal_my_appointments(self, page=1, filterby="upcoming", **kw):
        Appointment = request.env["beauty.appointment"].sudo()
        now = fields.Datetime.now()
        filters = {
            "upcoming": {
                "label": request.env._("Upcoming"),
                "domain": [("state", "in", UPCOMING_STATES), ("stop", ">=", now)],
                "order": "start asc, id",
            },
            "past": {
                "label": request.env._("Past and cancelled"),
                "domain": [
                    "|",
                    ("state", "not in", UPCOMING_STATES),
                    ("stop", "<", now),
                ],
                "order": "start desc, id desc",
            },
        }
        if filterby not in filters:
            filterby = "upcoming"
        domain = self._beauty_domain() + filters[filterby]["domain"]
        total = Appointment.search_count(domain)
        pager = portal_pager(
            url="/my/appointments",
            url_args={"filterby": filterby},
            total=total,
            page=page,
            step=PAGE_SIZE,
        )
        appointments = Appointment.search(
            domain,
            order=filters[filterby]["order"],
            limit=PAGE_SIZE,
            offset=pager["offset"],
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "beauty_appointments",
                "appointments": appointments,
                "pager": pager,
                "filterby": filterby,
                "searchbar_filters": filters,
                "default_url": "/my/appointments",
                "tz": client_tz(),
                "loyalty_card": self._beauty_loyalty_card(),
            }
        )
        return request.render("beauty_crm.portal_my_appointments", values)

    @http.route(
        "/my/appointments/<int:appointment_id>",
        type="http",
        auth="public",
        website=True,
        methods=["GET"],
    )
    def portal_my_appointment(
        self, appointment_id, access_token=None, message=None, **kw
    ):
        try:
            appointment = self._beauty_appointment_sudo(appointment_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        if appointment._beauty_hold_expired():
            appointment._action_cancel(
                request.env._("Online booking not confirmed in time.")
            )
        values = self._beauty_page_values(appointment, access_token)
        # Only known keys are shown: the page never echoes text from the URL.
        values["message"] = self._beauty_messages().get(message)
        values["error"] = self._beauty_errors().get(kw.get("error"))
        return request.render("beauty_crm.portal_my_appointment", values)

    @http.route(
        "/my/appointments/<int:appointment_id>/ics",
        type="http",
        auth="public",
        website=True,
        methods=["GET"],
        sitemap=False,
    )
    def portal_appointment_ics(self, appointment_id, access_token=None, **kw):
        try:
            appointment = self._beauty_appointment_sudo(appointment_id, access_token)
        except (AccessError, MissingError):
            raise request.not_found() from None
        if not appointment.start:
            raise request.not_found()
        filename = f"{appointment.name.replace('/', '-')}.ics"
        return request.make_response(
            appointment._get_ics(),
            headers=[
                ("Content-Type", "text/calendar; charset=utf-8"),
                ("Content-Disposition", f'attachment; filename="{filename}"'),
            ],
        )

    @http.route(
        "/my/appointments/<int:appointment_id>/reschedule",
        type="http",
        auth="public",
        website=True,
        methods=["GET"],
        sitemap=False,
    )
    def portal_appointment_reschedule_page(
        self, appointment_id, access_token=None, day=None, tz=None, **kw
    ):
        try:
            appointment = self._beauty_appointment_sudo(appointment_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        if not appointment._beauty_can_reschedule():
            return self._beauty_redirect(appointment, access_token, error="policy")
        tz = client_tz(tz)
        products, employee = self._beauty_visit(appointment)
        try:
            day = parse_day(day or self._beauty_local_day(appointment, tz), tz)
            # The visit's own time is free for itself: it may move by less
            # than its length.
            slots = get_slots(
                products, employee, day, tz, exclude_appointment=appointment
            )
        except BookingError as error:
            slots, failure = [], error.args[0]
        else:
            failure = None
        values = self._beauty_page_values(appointment, access_token)
        values.update(
            {
                "page_name": "beauty_appointment_reschedule",
                "day": day if not failure else fields.Date.context_today(appointment),
                "days": [fields.Date.today() + timedelta(days=n) for n in range(14)],
                "slots": [slot for slot in slots if slot["start"] != appointment.start],
                "tz": tz,
                "error_text": failure,
            }
        )
        return request.render("beauty_crm.portal_appointment_reschedule", values)

    # ------------------------------------------------------------------
    # State changes: POST only, CSRF checked by Odoo
    # ------------------------------------------------------------------

    @http.route(
        "/my/appointments/<int:appointment_id>/confirm",
        type="http",
        auth="public",
        website=True,
        methods=["POST"],
        sitemap=False,
    )
    def portal_appointment_confirm(self, appointment_id, access_token=None, **kw):
        try:
            appointment = self._beauty_appointment_sudo(appointment_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        if appointment._beauty_hold_expired():
            appointment._action_cancel(
                request.env._("Online booking not confirmed in time.")
            )
            return self._beauty_redirect(appointment, access_token, error="expired")
        if not appointment._beauty_is_hold():
            return self._beauty_redirect(appointment, access_token, error="state")
        if appointment._beauty_deposit_due():
            return self._beauty_redirect(appointment, access_token, error="deposit")
        appointment._beauty_confirm_online()
        return self._beauty_redirect(appointment, access_token, message="confirmed")

    @http.route(
        "/my/appointments/<int:appointment_id>/cancel",
        type="http",
        auth="public",
        website=True,
        methods=["POST"],
        sitemap=False,
    )
    def portal_appointment_cancel(self, appointment_id, access_token=None, **kw):
        try:
            appointment = self._beauty_appointment_sudo(appointment_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        if not appointment._beauty_can_cancel():
            return self._beauty_redirect(appointment, access_token, error="state")
        reason = (kw.get("reason") or "").strip()[:500]
        try:
            with request.env.cr.savepoint():
                appointment._beauty_portal_cancel(reason)
        except (UserError, ValidationError):
            return self._beauty_redirect(appointment, access_token, error="state")
        return self._beauty_redirect(appointment, access_token, message="cancelled")

    @http.route(
        "/my/appointments/<int:appointment_id>/reschedule/confirm",
        type="http",
        auth="public",
        website=True,
        methods=["POST"],
        sitemap=False,
    )
    def portal_appointment_reschedule(
        self, appointment_id, access_token=None, start=None, tz=None, **kw
    ):
        try:
            appointment = self._beauty_appointment_sudo(appointment_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        if not appointment._beauty_can_reschedule():
            return self._beauty_redirect(appointment, access_token, error="policy")
        tz = client_tz(tz)
        products, employee = self._beauty_visit(appointment)
        try:
            start = parse_start(start)
            slot = find_slot(
                products, employee, start, tz, exclude_appointment=appointment
            )
            if not slot:
                raise BookingError(slot_taken_message())
            with request.env.cr.savepoint():
                appointment._beauty_move(slot["lines"])
        except (BookingError, UserError, ValidationError):
            return self._beauty_redirect(appointment, access_token, error="taken")
        return self._beauty_redirect(appointment, access_token, message="rescheduled")

    @http.route(
        "/my/appointments/<int:appointment_id>/rate",
        type="http",
        auth="public",
        website=True,
        methods=["POST"],
        sitemap=False,
    )
    def portal_appointment_rate(
        self, appointment_id, access_token=None, rating=None, feedback=None, **kw
    ):
        try:
            appointment = self._beauty_appointment_sudo(appointment_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        try:
            rate = int(rating)
        except (TypeError, ValueError):
            rate = 0
        if not 1 <= rate <= 5:
            return self._beauty_redirect(appointment, access_token, error="rating")
        if not appointment._beauty_can_rate():
            return self._beauty_redirect(appointment, access_token, error="state")
        token = appointment._rating_get_access_token()
        appointment.rating_apply(
            rate, token=token, feedback=(feedback or "").strip()[:2000] or None
        )
        return self._beauty_redirect(appointment, access_token, message="rated")

    # ------------------------------------------------------------------
    # Deposit payment (Odoo's payment form)
    # ------------------------------------------------------------------

    @http.route(
        "/my/appointments/<int:appointment_id>/transaction",
        type="json",
        auth="public",
        website=True,
    )
    def portal_appointment_transaction(
        self, appointment_id, access_token=None, **kwargs
    ):
        try:
            appointment = self._beauty_appointment_sudo(appointment_id, access_token)
        except (AccessError, MissingError):
            raise ValidationError(
                request.env._("The access token is invalid.")
            ) from None
        if appointment._beauty_hold_expired() or not appointment._beauty_is_hold():
            raise ValidationError(
                request.env._(
                    "This booking is no longer waiting for a deposit. Reload the page."
                )
            )
        amount = appointment._beauty_deposit_due()
        if not amount:
            raise ValidationError(request.env._("No deposit is due for this booking."))
        self._validate_transaction_kwargs(kwargs)
        partner = appointment.partner_id
        # A deposit is paid, never replaced by saving a card (a validation).
        if kwargs.get("is_validation"):
            raise ValidationError(
                request.env._("Pay the deposit to confirm the visit.")
            )
        # Only the payment options the page offers: a provider of the salon
        # that is published, and a saved card only to its logged-in owner.
        # Holding the booking's link is not enough to charge the client's card.
        providers = (
            request.env["payment.provider"]
            .sudo()
            ._get_compatible_providers(
                appointment.company_id.id,
                partner.id,
                amount,
                currency_id=appointment.currency_id.id,
            )
        )
        user_partner = request.env.user.partner_id
        owner = (
            not request.env.user._is_public()
            and user_partner.commercial_partner_id == partner.commercial_partner_id
        )
        flow = kwargs.get("flow")
        if flow == "token":
            token = (
                request.env["payment.token"]
                .sudo()
                .browse(self._cast_as_int(kwargs.get("token_id")) or [])
                .exists()
            )
            if (
                not owner
                or not token.active
                or token.partner_id.commercial_partner_id
                != user_partner.commercial_partner_id
                or token.provider_id not in providers
            ):
                raise AccessError(
                    request.env._("You do not have access to this payment token.")
                )
            kwargs["token_id"] = token.id
        elif flow in ("redirect", "direct"):
            provider_id = self._cast_as_int(kwargs.get("provider_id"))
            method_id = self._cast_as_int(kwargs.get("payment_method_id"))
            methods = (
                request.env["payment.method"]
                .sudo()
                ._get_compatible_payment_methods(
                    [provider_id] if provider_id in providers.ids else [],
                    partner.id,
                    currency_id=appointment.currency_id.id,
                )
            )
            if method_id not in methods.ids:
                raise ValidationError(
                    request.env._("This payment method is not available.")
                )
            kwargs.update(provider_id=provider_id, payment_method_id=method_id)
            kwargs["token_id"] = None
        else:
            raise ValidationError(
                request.env._(
                    "The payment should either be direct, with redirection, or made "
                    "by a token."
                )
            )
        # The amount, currency, payer and landing page come from the
        # appointment, never from the browser; only its owner saves a card.
        kwargs.update(
            {
                "amount": amount,
                "currency_id": appointment.currency_id.id,
                "partner_id": partner.id,
                "reference_prefix": None,
                "is_validation": False,
                "landing_route": appointment.get_portal_url(),
                "tokenization_requested": owner
                and bool(kwargs.get("tokenization_requested")),
            }
        )
        tx_sudo = self._create_transaction(
            custom_create_values={
                "beauty_appointment_ids": [Command.set(appointment.ids)],
            },
            **kwargs,
        )
        return tx_sudo._get_processing_values()

    def _beauty_payment_values(self, appointment, access_token):
        amount = appointment._beauty_deposit_due()
        if not amount or not appointment._beauty_is_hold():
            return {}
        partner = appointment.partner_id
        company = appointment.company_id
        currency = appointment.currency_id
        providers = (
            request.env["payment.provider"]
            .sudo()
            ._get_compatible_providers(
                company.id, partner.id, amount, currency_id=currency.id
            )
        )
        methods = (
            request.env["payment.method"]
            .sudo()
            ._get_compatible_payment_methods(
                providers.ids, partner.id, currency_id=currency.id
            )
        )
        logged_in = request.env.user.partner_id == partner
        # Saved cards belong to the client: never offered to a visitor who
        # only typed the client's phone number.
        tokens = (
            request.env["payment.token"]
            .sudo()
            ._get_available_tokens(providers.ids, partner.id)
            if logged_in
            else request.env["payment.token"]
        )
        return {
            "deposit_amount": amount,
            "amount": amount,
            "currency": currency,
            "partner_id": partner.id,
            "providers_sudo": providers,
            "payment_methods_sudo": methods,
            "tokens_sudo": tokens,
            "show_tokenize_input_mapping": {
                provider.id: logged_in and provider.allow_tokenization
                for provider in providers
            },
            "transaction_route": f"/my/appointments/{appointment.id}/transaction",
            "landing_route": appointment.get_portal_url(),
            "access_token": appointment.access_token,
        }

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _beauty_messages(self):
        return {
            "confirmed": request.env._("Your visit is confirmed. See you soon!"),
            "cancelled": request.env._("Your visit is cancelled."),
            "rescheduled": request.env._("Your visit has been moved."),
            "rated": request.env._("Thank you for your review!"),
        }

    def _beauty_errors(self):
        return {
            "expired": request.env._(
                "The time held for you has run out and was released. Please book again."
            ),
            "state": request.env._(
                "This action is not possible for this visit any more."
            ),
            "deposit": request.env._("Please pay the deposit to confirm your visit."),
            "policy": request.env._(
                "This visit can no longer be moved online. Please call the salon."
            ),
            "taken": slot_taken_message(),
            "rating": request.env._("Choose from one to five stars."),
        }

    def _beauty_redirect(self, appointment, access_token, message=None, error=None):
        url = f"/my/appointments/{appointment.id}"
        params = {}
        if access_token:
            params["access_token"] = access_token
        if message:
            params["message"] = message
        if error:
            params["error"] = error
        query = "&".join(f"{key}={value}" for key, value in params.items())
        return request.redirect(f"{url}?{query}" if query else url)

    def _beauty_loyalty_card(self):
        """The client's loyalty card, if the salon runs a loyalty program
        (looking does not start one)."""
        company = request.website.company_id.sudo()
        if not company.beauty_loyalty_program_id:
            return request.env["loyalty.card"]
        return request.env.user.partner_id.sudo()._beauty_loyalty_card(
            company=company, create=False
        )

    def _beauty_visit(self, appointment):
        """Services of the visit, and its specialist when there is one."""
        lines = appointment.line_ids.sorted("start")
        employees = lines.employee_id
        return lines.product_id, employees if len(employees) == 1 else None

    def _beauty_local_day(self, appointment, tz):
        return fields.Datetime.context_timestamp(
            appointment.with_context(tz=tz), appointment.start
        ).date()

    def _beauty_page_values(self, appointment, access_token):
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "beauty_appointment",
                "appointment": appointment,
                "access_token": access_token or "",
                "token_query": f"?access_token={access_token}" if access_token else "",
                "tz": client_tz(),
                "logged_in": request.env.user.partner_id == appointment.partner_id,
            }
        )
        values.update(self._beauty_payment_values(appointment, access_token))
        return values
