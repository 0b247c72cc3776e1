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

    def _beauty_is_certified(self, skill, day):
        """Whether this specialist holds ``skill`` (hr.skill) still valid on
        ``day``; an empty skill means no certification is required."""
        self.ensure_one()
        if not skill:
            return True
        # Certifications are HR data the front desk cannot read, but the answer
        # (bookable or not) is what every booking needs.
        return any(
            not employee_skill.expiry_date or employee_skill.expiry_date >= day
            for employee_skill in self.sudo().employee_skill_ids
            if employee_skill.skill_id == skill
        )

    # Online booking: what clients see of the specialist on the website.
    website_description = fields.Text(
        "Description on the website",
        translate=True,
        help="A few words about the specialist shown to clients booking online.",
    )
