"""The client cabinet's messengers page: link Telegram (a one-time t.me
deep link, with its QR code) or WhatsApp (by the card's mobile number), and
unlink them. The client acts on their own card only: the partner is always
the logged-in user's, never a value of the request."""

import json
from urllib.parse import quote

from odoo import http
from odoo.exceptions import UserError
from odoo.http import request

from odoo.addons.mail_gateway.controllers.gateway import GatewayController
from odoo.addons.portal.controllers.portal import CustomerPortal

CHANNELS = ("telegram", "whatsapp")
ACTIONS = ("link", "unlink")


class BeautyMessengerPortal(CustomerPortal):
    def _beauty_messenger_values(self, **extra):
        partner = request.env.user.partner_id.sudo()
        company = partner.company_id or request.env.company
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "beauty_messengers",
                "partner": partner,
                "gateways": {
                    channel: partner._beauty_gateway(channel, company)
                    for channel in CHANNELS
                },
                "chats": {
                    channel: partner._beauty_chat(channel, company)
                    for channel in CHANNELS
                },
                "deep_link": False,
                "error": False,
            }
        )
        values.update(extra)
        return values

    @http.route("/my/messengers", type="http", auth="user", website=True)
    def portal_my_messengers(self, **kw):
        return request.render(
            "beauty_crm.portal_my_messengers", self._beauty_messenger_values()
        )

    @http.route(
        "/my/messengers/<string:channel>/<string:action>",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_my_messenger_action(self, channel, action, **kw):
        if channel not in CHANNELS or action not in ACTIONS:
            return request.redirect("/my/messengers")
        partner = request.env.user.partner_id.sudo()
        if action == "unlink":
            partner._beauty_unlink_chat(channel)
            return request.redirect("/my/messengers")
        if channel == "whatsapp":
            try:
                with request.env.cr.savepoint():
                    partner._beauty_link_whatsapp()
            except UserError as error:
                return request.render(
                    "beauty_crm.portal_my_messengers",
                    self._beauty_messenger_values(error=str(error)),
                )
            return request.redirect("/my/messengers")
        gateway = partner._beauty_gateway("telegram", partner.company_id or None)
        username = gateway.beauty_bot_username
        if not gateway or not username:
            return request.render(
                "beauty_crm.portal_my_messengers",
                self._beauty_messenger_values(
                    error=request.env._("The salon has not set up Telegram.")
                ),
            )
        token = request.env["beauty.messenger.link"]._beauty_issue(partner, gateway)
        deep_link = f"https://t.me/{quote(username.lstrip('@'))}?start={token}"
        return request.render(
            "beauty_crm.portal_my_messengers",
            self._beauty_messenger_values(
                deep_link=deep_link,
                qr_url="/report/barcode?barcode_type=QR&width=220&height=220"
                f"&value={quote(deep_link, safe='')}",
            ),
        )


class BeautyGatewayController(GatewayController):
    @http.route()
    def post_update(self, usage, token, *args, **kwargs):
        """A POST whose body is not a JSON object is answered like one that
        fails the signature check, instead of an error 500."""
        if request.httprequest.method == "POST":
            try:
                update = json.loads(request.httprequest.get_data() or b"null")
            except ValueError:
                update = None
            if not isinstance(update, dict):
                return request.make_json_response({})
        return super().post_update(usage, token, *args, **kwargs)
