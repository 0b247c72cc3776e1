from odoo import http
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

PROCEDURES_PER_PAGE = 20
# Record ids are PostgreSQL integers; a larger number in the URL is no record.
MAX_ID = 2**31 - 1


class BeautyProcedurePortal(CustomerPortal):
    """The client's summary of their own validated procedures.

    Clients have no access right on procedure records (health data of the
    salon's specialists): ownership is checked here with the domain below,
    then the record is read with sudo by templates that show only the
    client-facing fields, never the internal notes."""

    def _beauty_procedure_domain(self):
        return [
            # The client's own records only: the login of a company contact
            # does not see the procedures of the company's people.
            ("partner_id", "=", request.env.user.partner_id.id),
            ("state", "=", "done"),
        ]

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "procedure_count" in counters:
            values["procedure_count"] = (
                request.env["beauty.procedure"]
                .sudo()
                .search_count(self._beauty_procedure_domain())
            )
        return values

    @http.route(
        ["/my/procedures", "/my/procedures/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_procedures(self, page=1, **kw):
        Procedure = request.env["beauty.procedure"].sudo()
        domain = self._beauty_procedure_domain()
        pager = portal_pager(
            url="/my/procedures",
            total=Procedure.search_count(domain),
            page=page,
            step=PROCEDURES_PER_PAGE,
        )
        procedures = Procedure.search(
            domain, limit=PROCEDURES_PER_PAGE, offset=pager["offset"]
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "procedures": procedures,
                "pager": pager,
                "page_name": "beauty_procedure",
                "default_url": "/my/procedures",
            }
        )
        return request.render("beauty_crm.portal_my_procedures", values)

    @http.route(
        ["/my/procedures/<int:procedure_id>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_procedure(self, procedure_id, report_type=None, **kw):
        if procedure_id > MAX_ID:
            return request.redirect("/my")
        procedure = (
            request.env["beauty.procedure"]
            .sudo()
            .search([("id", "=", procedure_id), *self._beauty_procedure_domain()])
        )
        if not procedure:
            return request.redirect("/my")
        if report_type == "pdf":
            return self._show_report(
                model=procedure,
                report_type="pdf",
                report_ref="beauty_crm.beauty_procedure_report_action",
            )
        values = self._prepare_portal_layout_values()
        values.update({"procedure": procedure, "page_name": "beauty_procedure"})
        return request.render("beauty_crm.portal_my_procedure", values)
