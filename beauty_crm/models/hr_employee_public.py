from odoo import fields, models


class HrEmployeePublic(models.Model):
    _inherit = "hr.employee.public"

    # Front desk users read specialists through this public view of hr.employee.
    is_specialist = fields.Boolean("Salon specialist", readonly=True)
    service_ids = fields.Many2many(
        "product.template",
        "beauty_employee_service_rel",
        "employee_id",
        "product_tmpl_id",
        string="Services",
        readonly=True,
    )
