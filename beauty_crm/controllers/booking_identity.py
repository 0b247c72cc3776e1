"""Who books online: the logged-in client, a returning client who proved the
phone or e-mail of a card with a one-time code, or a new client card.

A visitor who only typed a known phone number or e-mail gets a new card
flagged for the front desk to merge: the booking never goes on a card whose
contact the visitor has not proven, and the page answers the same whatever
that card holds (blacklist, contraindications, past visits).
"""

import phonenumbers

from odoo.http import request
from odoo.tools import email_normalize

from .booking_tools import MAX_TEXT, BookingError

CODE_CHANNELS = ("sms", "email")


class Identity:
    """The client of a booking and how the visitor was recognised."""

    def __init__(self, partner=None, values=None, typed=None, otp=None):
        # partner: an existing card (logged in or proven by ``otp``);
        # values: the new card to create when partner is None.
        self.partner = partner
        self.values = values
        self.typed = typed
        self.otp = otp

    @property
    def unverified(self):
        return bool(self.values and self.values.get("beauty_online_unverified"))

    def card(self):
        """The client card, created now for a new client."""
        if self.partner is None:
            self.partner = request.env["res.partner"].sudo().create(self.values)
        return self.partner


def normalize_phone(number):
    number = (number or "").strip()[:64] if isinstance(number, str) else ""
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


def normalize_email(email):
    if not email or not isinstance(email, str):
        return ""
    normalized = email_normalize(email[:MAX_TEXT].strip())
    if not normalized:
        raise BookingError(request.env._("This e-mail address is not valid."))
    return normalized


def code_channel(value):
    return value if value in CODE_CHANNELS else "sms"


def find_client(phone=None, email=None):
    """The client card of the website's branch with this phone or e-mail."""
    domain = [
        ("is_salon_client", "=", True),
        ("company_id", "=", request.website.company_id.id),
    ]
    Partner = request.env["res.partner"].sudo()
    if phone:
        partner = Partner.search(
            domain + ["|", ("phone_sanitized", "=", phone), ("phone", "=", phone)],
            limit=1,
        )
        if partner:
            return partner
    if email:
        return Partner.search(domain + [("email_normalized", "=", email)], limit=1)
    return Partner


def code_recipient(post):
    """(card, channel) to send a one-time code to: the card of the branch
    holding the phone (SMS) or e-mail the visitor typed; no card when none
    does. Raises BookingError when the contact typed is not valid."""
    channel = code_channel(post.get("code_by"))
    if channel == "sms":
        return find_client(phone=normalize_phone(post.get("phone"))), channel
    email = normalize_email(post.get("email"))
    if not email:
        raise BookingError(request.env._("Please write your e-mail address."))
    return find_client(email=email), channel


def booking_identity(post, tz):
    """The Identity of a booking from the posted contact form."""
    user = request.env.user
    if not user._is_public():
        partner = user.partner_id.sudo()
        if not partner.is_salon_client:
            partner.is_salon_client = True
        return Identity(partner)
    name = post.get("name") if isinstance(post.get("name"), str) else ""
    name = name.strip()
    if not 2 <= len(name) <= MAX_TEXT:
        raise BookingError(request.env._("Please tell us your name."))
    phone = normalize_phone(post.get("phone"))
    email = normalize_email(post.get("email"))
    typed = {"name": name, "phone": phone, "email": email}
    code = post.get("code") if isinstance(post.get("code"), str) else ""
    if code.strip():
        card, _channel = code_recipient(post)
        otp = (
            request.env["beauty.booking.otp"].sudo()._check_code(card, code)
            if card
            else None
        )
        if not otp:
            raise BookingError(
                request.env._(
                    "This code is wrong or has expired. Ask for a new code, or "
                    "empty the code field to book as a new client."
                )
            )
        return Identity(card, typed=typed, otp=otp)
    known = find_client(phone=phone, email=email)
    values = {
        "name": name,
        "phone": phone,
        "email": email or False,
        "is_salon_client": True,
        "beauty_online_unverified": bool(known),
        "company_id": request.website.company_id.id,
        "tz": tz,
        "lang": request.lang.code,
        "country_id": request.website.company_id.country_id.id,
    }
    values.update(utm_values())
    return Identity(values=values, typed=typed)


def utm_values():
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
