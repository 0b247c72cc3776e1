from odoo import fields, models


class CrmTeam(models.Model):
    _inherit = "crm.team"

    beauty_salon = fields.Boolean(
        "Salon team",
        help="The team's leads follow the salon's steps (consultation, first "
        "visit) and count in the salon's forecast and lead funnel; its "
        "pipeline shows only its own stages.",
    )
