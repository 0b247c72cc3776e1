from odoo import api, fields, models
from odoo.exceptions import ValidationError


class HelpdeskTicket(models.Model):
    """Client complaints are OCA helpdesk tickets of the Complaints team,
    linked to the client and the visit."""

    _inherit = "helpdesk.ticket"

    beauty_appointment_id = fields.Many2one(
        "beauty.appointment",
        "Visit",
        index="btree_not_null",
        ondelete="set null",
        tracking=True,
        help="The visit the complaint is about.",
    )
    beauty_rating_id = fields.Many2one(
        "rating.rating",
        "Review",
        readonly=True,
        copy=False,
        ondelete="set null",
        help="The low rating this complaint was opened from.",
    )
    beauty_deadline = fields.Date(
        "Deadline",
        tracking=True,
        copy=False,
        help="Day by which the owner answers the client; the owner gets an "
        "activity due that day.",
    )
    beauty_resolution = fields.Html("Resolution", copy=False, tracking=True)
    beauty_is_overdue = fields.Boolean(
        "Overdue", compute="_compute_beauty_is_overdue", search="_search_is_overdue"
    )
    beauty_compensation_type = fields.Selection(
        [
            ("none", "None"),
            ("points", "Loyalty points"),
            ("gift_card", "Free service (gift card)"),
        ],
        "Compensation",
        default="none",
        required=True,
        tracking=True,
    )
    beauty_compensation_points = fields.Float(
        "Points to give", digits=(16, 2), copy=False
    )
    beauty_compensation_product_id = fields.Many2one(
        "product.product",
        "Free service",
        domain=[("is_salon_service", "=", True)],
        copy=False,
    )
    beauty_compensated_at = fields.Datetime("Compensated on", readonly=True, copy=False)
    beauty_compensation_amount = fields.Float(
        "Compensation given",
        readonly=True,
        copy=False,
        digits=(16, 2),
        help="Points put on the loyalty card, or the value of the gift card.",
    )
    beauty_loyalty_card_id = fields.Many2one(
        "loyalty.card",
        "Card credited",
        readonly=True,
        copy=False,
        help="The client's loyalty card (points) or the gift card issued.",
    )

    _sql_constraints = [
        (
            "beauty_rating_unique",
            "unique(beauty_rating_id)",
            "A review opens one complaint only.",
        ),
        (
            "beauty_compensation_points_positive",
            "check(beauty_compensation_points >= 0)",
            "Compensation points cannot be negative.",
        ),
    ]

    @api.depends("beauty_deadline", "closed")
    @api.depends_context("tz")
    def _compute_beauty_is_overdue(self):
        today = fields.Date.context_today(self)
        for ticket in self:
            ticket.beauty_is_overdue = bool(
                ticket.beauty_deadline
                and not ticket.closed
                and ticket.beauty_deadline < today
            )

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise ValidationError(self.env._("Unsupported search on Overdue."))
        domain = [
            ("beauty_deadline", "<", fields.Date.context_today(self)),
            ("stage_id.closed", "=", False),
        ]
        if (operator == "=") == value:
            return domain
        return ["!", "&", *domain]

    @api.constrains("beauty_appointment_id", "partner_id")
    def _check_beauty_appointment_client(self):
        for ticket in self:
            appointment = ticket.beauty_appointment_id
            if (
                appointment
                and ticket.partner_id
                and appointment.partner_id.commercial_partner_id
                != ticket.partner_id.commercial_partner_id
            ):
                raise ValidationError(
                    self.env._(
                        "The visit %(visit)s is not one of %(client)s's visits.",
                        visit=appointment.name,
                        client=ticket.partner_id.name,
                    )
                )

    @api.onchange("beauty_appointment_id")
    def _onchange_beauty_appointment_id(self):
        if self.beauty_appointment_id and not self.partner_id:
            self.partner_id = self.beauty_appointment_id.partner_id

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("beauty_appointment_id") and not vals.get("partner_id"):
                appointment = self.env["beauty.appointment"].browse(
                    vals["beauty_appointment_id"]
                )
                vals["partner_id"] = appointment.partner_id.id
        tickets = super().create(vals_list)
        tickets.filtered("beauty_deadline")._beauty_plan_deadline_activity()
        return tickets

    def write(self, vals):
        result = super().write(vals)
        if {"beauty_deadline", "user_id"} & set(vals):
            self.filtered("beauty_deadline")._beauty_plan_deadline_activity()
        return result

    def _beauty_plan_deadline_activity(self):
        """One to-do for the owner, due on the deadline; moved (not doubled)
        when the deadline or the owner changes."""
        todo = self.env.ref("mail.mail_activity_data_todo")
        for ticket in self.sudo():
            if ticket.closed:
                continue
            user = ticket.user_id or ticket.team_id.user_id or self.env.user
            summary = ticket._beauty_deadline_summary()
            activity = ticket.activity_ids.filtered(
                lambda act, todo=todo, summary=summary: (
                    act.activity_type_id == todo and act.summary == summary
                )
            )[:1]
            if activity:
                activity.write(
                    {"date_deadline": ticket.beauty_deadline, "user_id": user.id}
                )
                continue
            ticket.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=ticket.beauty_deadline,
                summary=summary,
                user_id=user.id,
            )

    def _beauty_deadline_summary(self):
        return self.env._("Answer the complaint")
