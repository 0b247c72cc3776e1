"""Public consultation request: a lead of the salon team, never a booking.

The form has the booking's anti-abuse (honeypot, signed fill time, rate limit
per visitor) and its identity rule: a visitor is put on a new client card,
flagged when the phone or e-mail belongs to another card, so that a lead is
never attached to a card whose contact the visitor has not proven.
"""

from odoo import http
from odoo.http import request
from odoo.tools import plaintext2html

from .booking import WebsiteBooking
from .booking_identity import booking_identity, utm_values
from .booking_tools import (
    MAX_NOTE,
    MAX_TEXT,
    BookingError,
    call_salon_message,
    client_tz,
    form_stamp,
)

# The fields the form may send back to itself after an error.
FORM_FIELDS = ("name", "phone", "email", "interest", "tz")


class WebsiteConsultation(WebsiteBooking):
    @http.route(
        "/booking/consultation",
        type="http",
        auth="public",
        website=True,
        methods=["GET"],
    )
    def booking_consultation(self, **kw):
        return self._render_consultation()

    @http.route(
        "/booking/consultation/submit",
        type="http",
        auth="public",
        website=True,
        methods=["POST"],
        sitemap=False,
    )
    def booking_consultation_submit(self, **post):
        try:
            lead = self._consultation_lead(post)
        except BookingError as error:
            values = {
                key: post[key][:MAX_NOTE]
                for key in FORM_FIELDS
                if isinstance(post.get(key), str)
            }
            return self._render_consultation(error=error.args[0], values=values)
        return request.render(
            "beauty_crm.booking_consultation_done_page",
            {"name": lead.contact_name or lead.partner_id.name},
        )

    def _render_consultation(self, error=None, values=None):
        return request.render(
            "beauty_crm.booking_consultation_page",
            {
                "error": error,
                "values": values or {},
                "form_stamp": form_stamp(),
                "tz": client_tz(),
            },
        )

    def _consultation_lead(self, post):
        self._check_robots(post, kind="consultation")
        tz = client_tz(post.get("tz"))
        # No one-time code on this form: a visitor is a new card or logged in.
        identity = booking_identity(
            {key: value for key, value in post.items() if key != "code"}, tz
        )
        team = self._salon_team()
        if not team:
            raise BookingError(call_salon_message())
        interest = post.get("interest") if isinstance(post.get("interest"), str) else ""
        interest = interest.strip()[:MAX_NOTE]
        partner = identity.card()
        description = [interest] if interest else []
        if identity.unverified:
            description.append(
                request.env._(
                    "Sent with the phone or e-mail of another client card, without "
                    "proving it: check who asked and merge the cards."
                )
            )
        Mixin = request.env["utm.mixin"].sudo()
        utm = {
            "medium_id": request.env.ref("utm.utm_medium_website").id,
            "source_id": Mixin._find_or_create_record("utm.source", "Website").id,
            **utm_values(),
        }
        typed = identity.typed or {}
        stage = (
            request.env["crm.stage"]
            .sudo()
            .search([("team_id", "=", team.id), ("beauty_step", "=", "new")], limit=1)
        )
        lead = (
            request.env["crm.lead"]
            .sudo()
            .with_context(mail_create_nosubscribe=True)
            .create(
                {
                    "name": request.env._(
                        "Consultation request: %(name)s",
                        name=partner.name[:MAX_TEXT],
                    ),
                    "type": "opportunity",
                    "team_id": team.id,
                    "stage_id": stage.id or False,
                    "user_id": False,
                    "partner_id": partner.id,
                    "contact_name": typed.get("name") or partner.name,
                    "phone": typed.get("phone") or partner.phone,
                    "email_from": typed.get("email") or partner.email,
                    "company_id": request.website.company_id.id,
                    "beauty_channel": "website",
                    "description": plaintext2html("\n\n".join(description))
                    if description
                    else False,
                    **utm,
                }
            )
        )
        return lead

    def _salon_team(self):
        company = request.website.company_id
        return (
            request.env["crm.team"]
            .sudo()
            .search(
                [
                    ("beauty_salon", "=", True),
                    ("company_id", "in", [False, company.id]),
                ],
                order="sequence, id",
                limit=1,
            )
        )
