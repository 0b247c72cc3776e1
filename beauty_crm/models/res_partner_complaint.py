from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    beauty_complaint_count = fields.Integer(
        "Complaints", compute="_compute_beauty_complaints"
    )
    beauty_open_complaint_count = fields.Integer(
        "Open complaints", compute="_compute_beauty_complaints"
    )

    @api.depends("helpdesk_ticket_ids.stage_id")
    def _compute_beauty_complaints(self):
        team = self.env.ref("beauty_crm.helpdesk_team_complaints")
        Ticket = self.env["helpdesk.ticket"].sudo()
        for partner in self:
            tickets = (
                Ticket.search(
                    [
                        ("partner_id", "child_of", partner._origin.id),
                        ("team_id", "=", team.id),
                    ]
                )
                if partner._origin.id
                else Ticket
            )
            partner.beauty_complaint_count = len(tickets)
            partner.beauty_open_complaint_count = len(
                tickets.filtered(lambda ticket: not ticket.closed)
            )

    def action_beauty_view_complaints(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "beauty_crm.helpdesk_ticket_action_complaints"
        )
        action["domain"] = [("partner_id", "child_of", self.id)]
        action["context"] = {
            "default_partner_id": self.id,
            "default_team_id": self.env.ref("beauty_crm.helpdesk_team_complaints").id,
            "default_category_id": self.env.ref(
                "beauty_crm.helpdesk_category_complaint"
            ).id,
        }
        return action
