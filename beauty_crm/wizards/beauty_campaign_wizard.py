from ast import literal_eval

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression

from ..models.res_partner_campaign import ADDRESS_FIELDS

CHANNEL_OF_TYPE = {"mail": "email", "sms": "sms"}


class BeautyCampaignWizard(models.TransientModel):
    """Starts an Odoo mailing (e-mail or SMS) to a list of salon clients.

    The mailing targets the clients through its domain on contacts; who of
    them is reached is decided when it leaves (consents, blacklists: see
    mailing.mailing._get_recipients_domain)."""

    _name = "beauty.campaign.wizard"
    _description = "New salon campaign"

    client_domain = fields.Char(required=True, readonly=True)
    mailing_type = fields.Selection(
        [("mail", "E-mail"), ("sms", "SMS")],
        "Channel",
        required=True,
        default="mail",
    )
    subject = fields.Char(
        required=True,
        help="E-mail: the subject the clients read. SMS: the title of the "
        "campaign, for the salon only.",
    )
    campaign_id = fields.Many2one(
        "utm.campaign",
        "Campaign",
        help="Group mailings of one campaign (bookings, ad spend, ROI). Empty: "
        "a new campaign named after the subject.",
    )
    client_count = fields.Integer("Clients", compute="_compute_counts")
    reachable_count = fields.Integer(
        "Reachable",
        compute="_compute_counts",
        help="Clients with the marketing consent of the channel, an address for "
        "it and not on the blacklist.",
    )

    @api.model
    def _beauty_open(self, client_domain):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("New campaign"),
            "res_model": self._name,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_client_domain": repr(client_domain)},
        }

    def _clients_domain(self):
        self.ensure_one()
        try:
            domain = literal_eval(self.client_domain or "")
        except (ValueError, SyntaxError):
            domain = None
        if not isinstance(domain, list | tuple):
            raise UserError(self.env._("The list of clients is not valid."))
        return expression.AND([[("is_salon_client", "=", True)], domain])

    @api.depends("client_domain", "mailing_type")
    def _compute_counts(self):
        Partner = self.env["res.partner"]
        for wizard in self:
            domain = wizard._clients_domain()
            channel = CHANNEL_OF_TYPE[wizard.mailing_type or "mail"]
            wizard.client_count = Partner.search_count(domain)
            wizard.reachable_count = Partner.search_count(
                expression.AND(
                    [
                        domain,
                        Partner._beauty_marketing_domain(channel),
                        [(ADDRESS_FIELDS[channel], "!=", False)],
                    ]
                )
            )

    def action_create(self):
        """Create the mailing (a draft) and open it to write and send."""
        self.ensure_one()
        if not self.reachable_count:
            raise UserError(
                self.env._(
                    "None of these clients accepts marketing by this channel "
                    "(consent, an address and no blacklist are needed)."
                )
            )
        campaign = self.campaign_id or self.env["utm.campaign"].create(
            {"title": self.subject}
        )
        mailing = self.env["mailing.mailing"].create(
            {
                "mailing_type": self.mailing_type,
                "subject": self.subject,
                "campaign_id": campaign.id,
                "mailing_model_id": self.env["ir.model"]._get_id("res.partner"),
                "mailing_domain": repr(self._clients_domain()),
            }
        )
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "mass_mailing_sms.mailing_mailing_action_sms"
            if self.mailing_type == "sms"
            else "mass_mailing.mailing_mailing_action_mail"
        )
        action.update(
            res_id=mailing.id,
            view_mode="form",
            views=[(False, "form")],
            target="current",
        )
        return action
