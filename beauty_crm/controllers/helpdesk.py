import werkzeug

from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from odoo.addons.helpdesk_mgmt.controllers.main import HelpdeskTicketController


def _int(value):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 0
    return number if 0 < number < 2**31 else 0


class BeautyHelpdeskTicketController(HelpdeskTicketController):
    """OCA helpdesk's portal routes, hardened: a ticket is closed only by a
    POST of someone who may read it (the module closes any ticket id with a
    GET), complaints are closed by the salon only, and bad ids or missing
    fields lead back to a page instead of an error."""

    @http.route("/ticket/close", type="http", auth="user", methods=["POST"])
    def support_ticket_close(self, **kw):
        ticket = request.env["helpdesk.ticket"].browse(_int(kw.get("ticket_id")))
        try:
            ticket.check_access("read")
            ticket = ticket.exists()
        except (AccessError, MissingError):
            return request.redirect("/my/tickets")
        if not ticket:
            return request.redirect("/my/tickets")
        stage = (
            request.env["helpdesk.ticket.stage"]
            .sudo()
            .browse(_int(kw.get("stage_id")))
            .exists()
        )
        complaints = request.env.ref("beauty_crm.helpdesk_team_complaints")
        if (
            stage
            and stage.close_from_portal
            and ticket.sudo().team_id != complaints
            and (not stage.team_ids or ticket.sudo().team_id in stage.team_ids)
        ):
            ticket.sudo().stage_id = stage
        return werkzeug.utils.redirect(f"/my/ticket/{ticket.id}")

    def _prepare_submit_ticket_vals(self, **kw):
        categories = self._get_categories()
        category = _int(kw.get("category"))
        kw["category"] = category if category in categories.ids else 0
        team = _int(kw.get("team"))
        kw["team"] = team or None
        vals = super()._prepare_submit_ticket_vals(**kw)
        complaints = request.env.ref("beauty_crm.helpdesk_team_complaints")
        if vals.get("team_id") == complaints.id:
            vals.pop("team_id")
        return vals

    @http.route("/submitted/ticket", type="http", auth="user", website=True, csrf=True)
    def submit_ticket(self, **kw):
        if (
            not (kw.get("subject") or "").strip()
            or not (kw.get("description") or "").strip()
        ):
            return request.redirect("/new/ticket")
        kw["subject"] = kw["subject"].strip()[:200]
        kw["description"] = kw["description"][:10000]
        return super().submit_ticket(**kw)
