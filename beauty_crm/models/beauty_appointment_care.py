from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models

# Reviews of this many stars or fewer open a complaint.
LOW_RATING = 2


class BeautyAppointment(models.Model):
    _inherit = "beauty.appointment"

    complaint_ids = fields.One2many(
        "helpdesk.ticket", "beauty_appointment_id", "Complaints"
    )
    complaint_count = fields.Integer(
        "Number of complaints", compute="_compute_complaint_count"
    )
    beauty_followup_planned = fields.Boolean(
        "Follow-up call planned",
        readonly=True,
        copy=False,
        help="The after-care follow-up call of this visit was given to the desk.",
    )

    @api.depends("complaint_ids")
    def _compute_complaint_count(self):
        counts = dict(
            self.env["helpdesk.ticket"]
            .sudo()
            ._read_group(
                [("beauty_appointment_id", "in", self.ids)],
                ["beauty_appointment_id"],
                ["__count"],
            )
        )
        for appointment in self:
            appointment.complaint_count = counts.get(appointment, 0)

    def action_beauty_view_complaints(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "beauty_crm.helpdesk_ticket_action_complaints"
        )
        action["domain"] = [("beauty_appointment_id", "=", self.id)]
        action["context"] = {
            "default_beauty_appointment_id": self.id,
            "default_partner_id": self.partner_id.id,
            "default_team_id": self.env.ref("beauty_crm.helpdesk_team_complaints").id,
            "default_category_id": self.env.ref(
                "beauty_crm.helpdesk_category_complaint"
            ).id,
        }
        return action

    # ------------------------------------------------------------------
    # Reviews: a low rating opens a complaint
    # ------------------------------------------------------------------

    def rating_apply(
        self,
        rate,
        token=None,
        rating=None,
        feedback=None,
        subtype_xmlid=None,
        notify_delay_send=False,
    ):
        rating = super().rating_apply(
            rate,
            token=token,
            rating=rating,
            feedback=feedback,
            subtype_xmlid=subtype_xmlid,
            notify_delay_send=notify_delay_send,
        )
        if rating and 0 < rating.rating <= LOW_RATING:
            self._beauty_complaint_from_rating(rating)
        return rating

    def _beauty_complaint_from_rating(self, rating):
        """Open one complaint for a low review, owned by the Complaints
        team's leader, due in the branch's answer delay."""
        self.ensure_one()
        Ticket = self.env["helpdesk.ticket"].sudo()
        if Ticket.with_context(active_test=False).search_count(
            [("beauty_rating_id", "=", rating.id)], limit=1
        ):
            return Ticket
        team = self.env.ref("beauty_crm.helpdesk_team_complaints")
        company = self.company_id
        specialist = self.line_ids[:1].employee_id
        # The client's words are plain text: escaped into the HTML.
        description = Markup("<p>%s</p>") % self.env._(
            "%(stars)s-star review of the visit %(visit)s with %(specialist)s.",
            stars=int(rating.rating),
            visit=self.name,
            specialist=specialist.name or "-",
        )
        if rating.feedback:
            description += Markup("<blockquote>%s</blockquote>") % rating.feedback
        with self.env.cr.savepoint():
            return Ticket.with_company(company).create(
                {
                    "name": self.env._(
                        "Low review: %(stars)s stars for %(visit)s",
                        stars=int(rating.rating),
                        visit=self.name,
                    ),
                    "description": description,
                    "partner_id": self.partner_id.id,
                    "beauty_appointment_id": self.id,
                    "beauty_rating_id": rating.id,
                    "team_id": team.id,
                    "category_id": self.env.ref(
                        "beauty_crm.helpdesk_category_complaint"
                    ).id,
                    "company_id": company.id,
                    "user_id": team.user_id.id or False,
                    "priority": "2",
                    "beauty_deadline": fields.Date.context_today(self)
                    + timedelta(days=company.beauty_complaint_days),
                }
            )

    # ------------------------------------------------------------------
    # Care after procedures
    # ------------------------------------------------------------------

    def _beauty_aftercare_templates(self):
        self.ensure_one()
        return self.line_ids.product_id.procedure_template_id

    def _beauty_aftercare_items(self):
        """What the after-care message lists: each service done with the
        instructions of its procedure template (in the reader's language)."""
        self.ensure_one()
        items = []
        for line in self.line_ids:
            template = line.product_id.procedure_template_id
            if template.aftercare_instructions:
                items.append(
                    {
                        "service": line.product_id.name,
                        "instructions": template.aftercare_instructions,
                    }
                )
        return items

    def _beauty_after_care(self):
        """A done visit: the client gets the after-care instructions (a
        service message, once per visit) and the desk a follow-up call after
        the longest follow-up delay of its procedures."""
        Message = self.env["beauty.message"].sudo()
        for appointment in self.sudo():
            templates = appointment._beauty_aftercare_templates()
            if any(templates.mapped("aftercare_instructions")):
                Message._beauty_queue(
                    "aftercare",
                    appointment.partner_id,
                    f"aftercare:{appointment.id}",
                    appointment=appointment,
                )
            days = max(templates.mapped("aftercare_followup_days"), default=0)
            if days > 0 and not appointment.beauty_followup_planned:
                appointment._beauty_plan_followup_call(days)

    def _beauty_plan_followup_call(self, days):
        self.ensure_one()
        company = self.company_id
        user = (
            company.beauty_winback_user_id
            or self.partner_id.user_id
            or self.env.ref("base.user_admin")
        )
        today = fields.Date.context_today(self.with_context(tz=company._beauty_tz()))
        self.activity_schedule(
            "mail.mail_activity_data_call",
            date_deadline=today + timedelta(days=days),
            summary=self.env._(
                "After-care call: how is %(client)s after %(services)s?",
                client=self.partner_id.name,
                services=self._beauty_services_text(),
            ),
            user_id=user.id,
        )
        self.beauty_followup_planned = True
