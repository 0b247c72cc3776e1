"""One-click links of client messages, and SMS delivery reports.

A link in an e-mail or SMS (confirm or cancel the visit) opens a page with
a button; only the button's POST, with Odoo's CSRF token, changes the visit,
so that mail scanners and link previews, which only GET, change nothing.
The links carry the visit's access token (portal.mixin), checked in
constant time; a wrong token or visit leads to the portal home.
"""

import json

from odoo import fields, http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request
from odoo.tools import consteq

from ..models.sms_gateway import SMSRU_DELIVERED, SMSRU_UNDELIVERED
from .booking import client_tz
from .portal_appointment import beauty_appointment_sudo

ACTIONS = ("confirm", "cancel")


class MessageLinks(http.Controller):
    def _beauty_visit(self, appointment_id, access_token):
        try:
            return beauty_appointment_sudo(appointment_id, access_token)
        except (AccessError, MissingError):
            return None

    def _beauty_possible(self, appointment, action):
        if action == "confirm":
            return appointment.state == "confirmed" and (
                appointment.start > fields.Datetime.now()
            )
        return appointment._beauty_can_cancel()

    @http.route(
        "/beauty/visit/<int:appointment_id>/<string:action>",
        type="http",
        auth="public",
        website=True,
        methods=["GET"],
        sitemap=False,
    )
    def beauty_visit_link(self, appointment_id, action, access_token=None, **kw):
        appointment = self._beauty_visit(appointment_id, access_token)
        if not appointment or action not in ACTIONS:
            return request.redirect("/my")
        values = {
            "appointment": appointment,
            "action": action,
            "access_token": access_token,
            "possible": self._beauty_possible(appointment, action),
            "tz": client_tz(appointment.partner_id._beauty_tz()),
            "deposit_kept": action == "cancel"
            and appointment.deposit_paid
            and not appointment._is_free_cancellation(),
        }
        return request.render("beauty_crm.message_link_page", values)

    @http.route(
        "/beauty/visit/<int:appointment_id>/<string:action>",
        type="http",
        auth="public",
        website=True,
        methods=["POST"],
        sitemap=False,
    )
    def beauty_visit_link_post(self, appointment_id, action, access_token=None, **kw):
        appointment = self._beauty_visit(appointment_id, access_token)
        if not appointment or action not in ACTIONS:
            return request.redirect("/my")
        target = f"/my/appointments/{appointment.id}?access_token={access_token}"
        if not self._beauty_possible(appointment, action):
            return request.redirect(f"{target}&error=state")
        try:
            with request.env.cr.savepoint():
                if action == "confirm":
                    appointment._beauty_client_confirm()
                else:
                    appointment._beauty_portal_cancel(
                        request.env._("Cancelled by the client from a message link.")
                    )
        except (UserError, ValidationError):
            return request.redirect(f"{target}&error=state")
        message = "confirmed" if action == "confirm" else "cancelled"
        return request.redirect(f"{target}&message={message}")

    # ------------------------------------------------------------------
    # Delivery reports of the SMS gateway
    # ------------------------------------------------------------------

    @http.route(
        "/beauty/sms/status/<string:token>",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,
        sitemap=False,
    )
    def beauty_sms_status(self, token, **kw):
        """Delivery reports: the JSON webhook posts {"id", "status":
        "delivered" | "failed", "error"}; SMS.ru posts form fields data[]
        "sms_status\\n<sms_id>\\n<status code>\\n<time>" and wants "100".
        Authenticated by the secret in the URL, not by a session (so no
        CSRF token: it is not a browser)."""
        Message = request.env["beauty.message"].sudo()
        if not consteq(Message._beauty_status_token(), token or ""):
            return request.make_response("forbidden", status=403)
        form = request.httprequest.form
        if form.getlist("data[]"):
            self._beauty_smsru_reports(Message, form.getlist("data[]"))
            return request.make_response("100")
        try:
            report = json.loads(request.httprequest.get_data(as_text=True) or "{}")
        except ValueError:
            return request.make_response("invalid JSON", status=400)
        if (
            not isinstance(report, dict)
            or not isinstance(report.get("id"), str | int)
            or report.get("status") not in ("delivered", "failed")
        ):
            return request.make_response("invalid report", status=400)
        error = report.get("error")
        Message._beauty_delivery_report(
            str(report["id"])[:64],
            report["status"] == "delivered",
            str(error)[:500] if error else None,
        )
        return request.make_response("OK")

    def _beauty_smsru_reports(self, Message, entries):
        for entry in entries[:1000]:
            parts = (entry or "").split("\n")
            if len(parts) < 3 or parts[0] != "sms_status":
                continue
            try:
                code = int(parts[2])
            except ValueError:
                continue
            if code in SMSRU_DELIVERED or code in SMSRU_UNDELIVERED:
                Message._beauty_delivery_report(
                    parts[1][:64],
                    code in SMSRU_DELIVERED,
                    f"SMS.ru status {code}",
                )
