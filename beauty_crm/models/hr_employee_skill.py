from odoo import fields, models


class HrEmployeeSkill(models.Model):
    _inherit = "hr.employee.skill"

    expiry_date = fields.Date(
        help="Last day the certification is valid; a specialist with an expired "
        "certification cannot be booked for the services that require it.",
    )
