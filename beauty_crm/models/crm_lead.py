from odoo import api, fields, models
from odoo.exceptions import UserError

from .crm_stage import BEAUTY_STEPS, STEP_ORDER

LEAD_CHANNELS = [
    ("phone", "Phone call"),
    ("messenger", "Messenger"),
    ("website", "Website request"),
    ("walk_in", "Walk-in"),
]
# The channel of the consultation visit booked for a lead: the desk books it
# while talking to the client, so a website request is booked by phone.
APPOINTMENT_CHANNEL = {"messenger": "messenger", "walk_in": "walk_in"}


class CrmLead(models.Model):
    """A salon lead: a person asking about the salon by phone, messenger or
    the website's consultation form, until the first paid visit is done."""

    _inherit = "crm.lead"

    beauty_salon = fields.Boolean(related="team_id.beauty_salon")
    beauty_step = fields.Selection(related="stage_id.beauty_step")
    beauty_channel = fields.Selection(
        LEAD_CHANNELS,
        "Came by",
        default="phone",
        tracking=True,
        help="How the person first asked the salon.",
    )
    beauty_appointment_ids = fields.One2many(
        "beauty.appointment", "lead_id", "Consultations"
    )
    beauty_appointment_count = fields.Integer(
        compute="_compute_beauty_appointment_count"
    )

    @api.depends("beauty_appointment_ids")
    def _compute_beauty_appointment_count(self):
        for lead in self:
            lead.beauty_appointment_count = len(lead.beauty_appointment_ids)

    @api.model
    def _read_group_stage_ids(self, stages, domain):
        # A salon team's pipeline shows its own steps, not the generic stages
        # every team shares.
        team = self.env["crm.team"].browse(self.env.context.get("default_team_id"))
        if team.exists() and team.beauty_salon:
            own = self.env["crm.stage"].search([("team_id", "=", team.id)])
            if own:
                return (stages | own).sorted(lambda s: (s.sequence, s.id))
        return super()._read_group_stage_ids(stages, domain)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_beauty_book_consultation(self):
        self.ensure_one()
        self._beauty_check_open()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Book consultation"),
            "res_model": "beauty.lead.consultation",
            "view_mode": "form",
            "target": "new",
            "context": {"default_lead_id": self.id},
        }

    def action_beauty_view_appointments(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "beauty_crm.beauty_appointment_action"
        )
        action["domain"] = [("lead_id", "=", self.id)]
        action["context"] = {"create": False}
        return action

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    def _beauty_check_open(self):
        for lead in self:
            if not lead.active or lead.probability >= 100:
                raise UserError(
                    self.env._(
                        "%(lead)s is won or lost: reopen it before booking.",
                        lead=lead.name,
                    )
                )

    def _beauty_client_card(self):
        """The client card of the lead, created from the lead's contact
        details when the lead has none. An existing card is never looked up
        by the phone or e-mail typed on the lead: the desk chooses it as the
        lead's customer, or the new card's duplicate banner asks to merge."""
        self.ensure_one()
        partner = self.partner_id
        if partner:
            if not partner.is_salon_client:
                partner.is_salon_client = True
            return partner
        name = self.contact_name or self.partner_name or self.name
        if not (self.phone or self.email_from):
            raise UserError(
                self.env._(
                    "Write the phone or e-mail of %(name)s on the lead, or choose "
                    "the client as its customer.",
                    name=name,
                )
            )
        partner = self.env["res.partner"].create(
            {
                "name": name,
                "phone": self.phone,
                "email": self.email_from,
                "is_salon_client": True,
                "company_id": (self.company_id or self.env.company).id,
                "lang": self.lang_id.code or False,
                "source_id": self.source_id.id,
                "medium_id": self.medium_id.id,
                "campaign_id": self.campaign_id.id,
            }
        )
        self.partner_id = partner
        return partner

    def _beauty_stage(self, step):
        self.ensure_one()
        return self.env["crm.stage"].search(
            [
                ("beauty_step", "=", step),
                ("team_id", "in", [self.team_id.id, False]),
            ],
            order="team_id, sequence, id",
            limit=1,
        )

    def _beauty_move(self, step, appointment):
        """Move salon leads forward to ``step`` because of ``appointment``;
        never backwards, never a won or lost lead."""
        label = dict(BEAUTY_STEPS)[step]
        for lead in self:
            if not lead.beauty_salon or not lead.active or lead.probability >= 100:
                continue
            if STEP_ORDER.get(lead.beauty_step, -1) >= STEP_ORDER[step]:
                continue
            stage = lead._beauty_stage(step)
            if not stage:
                continue
            lead.stage_id = stage
            lead.message_post(
                body=self.env._(
                    "%(step)s: visit %(visit)s.", step=label, visit=appointment.name
                ),
            )

    def _beauty_consultation_lost(self, appointment):
        """A cancelled or missed consultation puts the lead back to New,
        unless another consultation of the lead is still booked."""
        for lead in self:
            if lead.beauty_step != "consultation_booked":
                continue
            booked = lead.beauty_appointment_ids.filtered(
                lambda a: (
                    a.beauty_is_consultation
                    and a.state in ("draft", "confirmed", "arrived", "in_progress")
                )
            )
            stage = lead._beauty_stage("new")
            if booked or not stage:
                continue
            lead.stage_id = stage
            lead.message_post(
                body=self.env._(
                    "The consultation %(visit)s was cancelled or missed: call the "
                    "client back.",
                    visit=appointment.name,
                )
            )
