from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import format_date


class HrEmployeeSkill(models.Model):
    _inherit = "hr.employee.skill"

    expiry_date = fields.Date(
        help="Last day the certification is valid; a specialist with an expired "
        "certification cannot be booked for the services that require it.",
    )
    # Training plan (issue #15): when the specialist renews the certification.
    beauty_renewal_date = fields.Date(
        "Training planned on",
        help="Day of the training or exam that renews this certification.",
    )
    beauty_training_note = fields.Char(
        "Training", help="Course, school or exam planned for the renewal."
    )
    beauty_reminded_expiry = fields.Date(
        "Reminder sent for",
        readonly=True,
        copy=False,
        help="The expiry date the manager was last reminded of; a renewed "
        "certification (new expiry date) is reminded of again.",
    )
    beauty_expiry_state = fields.Selection(
        [("valid", "Valid"), ("soon", "Expires soon"), ("expired", "Expired")],
        "Validity",
        compute="_compute_beauty_expiry_state",
    )

    @api.depends("expiry_date", "employee_id.company_id")
    def _compute_beauty_expiry_state(self):
        today = fields.Date.context_today(self)
        for skill in self:
            days = skill.employee_id.company_id.beauty_certification_reminder_days
            if not skill.expiry_date:
                skill.beauty_expiry_state = False
            elif skill.expiry_date < today:
                skill.beauty_expiry_state = "expired"
            elif skill.expiry_date <= today + timedelta(days=days):
                skill.beauty_expiry_state = "soon"
            else:
                skill.beauty_expiry_state = "valid"

    @api.model
    def _cron_beauty_certification_reminders(self, today=None):
        """Give each specialist's manager an activity when a certification
        comes within the branch's reminder delay of its expiry date: once per
        certification and expiry date."""
        today = today or fields.Date.context_today(self)
        reminded = self.browse()
        companies = (
            self.env["res.company"]
            .sudo()
            .search([("beauty_certification_reminder_days", ">", 0)])
        )
        for company in companies:
            limit = today + timedelta(days=company.beauty_certification_reminder_days)
            skills = self.sudo().search(
                [
                    ("employee_id.company_id", "=", company.id),
                    ("employee_id.active", "=", True),
                    ("expiry_date", "!=", False),
                    ("expiry_date", ">=", today),
                    ("expiry_date", "<=", limit),
                ]
            )
            for skill in skills:
                if skill.beauty_reminded_expiry == skill.expiry_date:
                    continue
                skill._beauty_remind_manager()
                reminded |= skill
        return reminded

    def _beauty_remind_manager(self):
        self.ensure_one()
        employee = self.employee_id
        user = (
            employee.parent_id.user_id
            or employee.coach_id.user_id
            or self.env.ref("base.user_admin")
        )
        employee.sudo().activity_schedule(
            "mail.mail_activity_data_todo",
            date_deadline=self.expiry_date,
            summary=self.env._(
                "Certification %(skill)s of %(employee)s expires on %(date)s",
                skill=self.skill_id.name,
                employee=employee.name,
                date=format_date(self.env, self.expiry_date, lang_code=user.lang),
            ),
            note=self.beauty_training_note or False,
            user_id=user.id,
        )
        self.sudo().beauty_reminded_expiry = self.expiry_date
