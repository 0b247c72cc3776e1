from odoo import api, models
from odoo.exceptions import UserError

from .res_partner import CONSENT_FIELDS

# Address field a campaign of each channel needs.
ADDRESS_FIELDS = {"email": "email_normalized", "sms": "phone_sanitized"}
BLACKLIST_FIELDS = {"email": "is_blacklisted", "sms": "phone_sanitized_blacklisted"}


class ResPartner(models.Model):
    _inherit = "res.partner"

    @api.model
    def _beauty_marketing_domain(self, channel):
        """Contacts a marketing message may reach on ``channel`` ('email' or
        'sms'): not on Odoo's blacklist of the channel and, for a salon
        client, with the marketing consent of the channel (see
        _beauty_marketing_allowed, the same rule for one client)."""
        return [
            (BLACKLIST_FIELDS[channel], "=", False),
            "|",
            ("is_salon_client", "=", False),
            (CONSENT_FIELDS[f"marketing_{channel}"], "=", True),
        ]

    def action_beauty_new_campaign(self):
        """A campaign (Odoo mailing, e-mail or SMS) to exactly these clients;
        beyond the number of records a list may hand over, to the filter of
        the list (``active_domain``)."""
        clients = self.filtered("is_salon_client")
        if not clients:
            raise UserError(self.env._("Select salon clients for a campaign."))
        domain = [("id", "in", clients.ids)]
        active_domain = self.env.context.get("active_domain")
        limit = int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("web.active_ids_limit", 20000)
        )
        if active_domain and len(self) >= limit:
            domain = [("is_salon_client", "=", True)] + list(active_domain)
        return self.env["beauty.campaign.wizard"]._beauty_open(domain)
