from odoo import fields, models


class HrEmployee(models.Model):
    _inherit = "hr.employee"

    is_specialist = fields.Boolean(
        "Salon specialist", index=True, help="Performs treatments and can be booked."
    )
    service_ids = fields.Many2many(
        "product.template",
        "beauty_employee_service_rel",
        "employee_id",
        "product_tmpl_id",
        string="Services",
        domain=[("is_salon_service", "=", True)],
    )

    # Online booking: what clients see of the specialist on the website.
    website_description = fields.Text(
        "Description on the website",
        translate=True,
        help="A few words about the specialist shown to clients booking online.",
    )
