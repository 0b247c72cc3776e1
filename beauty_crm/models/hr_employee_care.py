from odoo import api, fields, models


class HrEmployee(models.Model):
    _inherit = "hr.employee"

    beauty_review_count = fields.Integer(
        "Reviews",
        compute="_compute_beauty_reviews",
        groups="beauty_crm.group_beauty_manager",
    )
    beauty_rating_avg = fields.Float(
        "Average rating",
        compute="_compute_beauty_reviews",
        digits=(16, 2),
        groups="beauty_crm.group_beauty_manager",
    )

    @api.depends_context("company")
    def _compute_beauty_reviews(self):
        groups = (
            self.env["beauty.report.review"]
            .sudo()
            ._read_group(
                [("employee_id", "in", self.ids)],
                ["employee_id"],
                ["__count", "rating:avg"],
            )
        )
        stats = {employee: (count, avg) for employee, count, avg in groups}
        for employee in self:
            count, avg = stats.get(employee, (0, 0.0))
            employee.beauty_review_count = count
            employee.beauty_rating_avg = avg or 0.0

    def action_beauty_view_reviews(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "beauty_crm.beauty_report_review_action"
        )
        action["domain"] = [("employee_id", "=", self.id)]
        action["context"] = {}
        return action
