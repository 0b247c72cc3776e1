from odoo import api, fields, models
from odoo.exceptions import UserError


class ResPartner(models.Model):
    _inherit = "res.partner"

    birthday_day = fields.Integer(
        "Birthday (month and day)",
        compute="_compute_birthday_day",
        store=True,
        index="btree_not_null",
        help="Month * 100 + day of the birthday (e.g. 1231), for the birthday "
        "report of any period whatever the year of birth.",
    )

    @api.depends("birthday")
    def _compute_birthday_day(self):
        for partner in self:
            birthday = partner.birthday
            partner.birthday_day = (
                birthday.month * 100 + birthday.day if birthday else False
            )

    def action_beauty_message_clients(self):
        """Open Odoo's e-mail composer on the listed clients who accept
        marketing e-mails (consent given, address not blacklisted)."""
        clients = self.filtered("is_salon_client")
        allowed = clients.filtered(
            lambda client: client._beauty_marketing_allowed("email")
        )
        if not allowed:
            raise UserError(
                self.env._(
                    "None of these clients accepts marketing e-mails (consent and "
                    "a valid address not on the blacklist are needed)."
                )
            )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Message %(count)s clients", count=len(allowed)),
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_model": "res.partner",
                "default_res_ids": allowed.ids,
                "default_composition_mode": "mass_mail",
                "default_subject": self.env.company.name,
            },
        }
