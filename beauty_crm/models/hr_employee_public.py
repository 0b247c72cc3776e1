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
    # Online booking: shown to clients, so readable by every employee too.
    website_description = fields.Text(
        "Description on the website", translate=True, readonly=True
    )
