from odoo import api, fields, models


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
