from odoo import models


class HrEmployee(models.Model):
    _inherit = "hr.employee"

    def action_beauty_performance(self):
        """The specialist's revenue, utilisation, rating and rebooking of the
        last twelve months (Salon > Reporting > Specialist performance)."""
        self.ensure_one()
        Performance = self.env["beauty.specialist.performance"]
        return Performance.with_company(self.company_id).action_beauty_open(self)
