from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    beauty_gift_card_program_id = fields.Many2one(
        "loyalty.program",
        "Gift cards for compensations",
        domain="[('program_type', '=', 'gift_card'), "
        "('company_id', 'in', (id, False))]",
        help="Gift cards given to clients as a free service after a complaint; "
        "created on first use.",
    )
    beauty_complaint_days = fields.Integer(
        "Answer complaints within (days)",
        default=3,
        help="Deadline of a complaint opened from a low review.",
    )
    beauty_certification_reminder_days = fields.Integer(
        "Remind of expiring certifications (days before)",
        default=30,
        help="The specialist's manager gets an activity this many days before "
        "a certification expires (0: no reminder).",
    )

    def _beauty_gift_card_program(self):
        """The gift card program of this salon, created on first use; its
        cards pay at the desk like any gift card."""
        self.ensure_one()
        if self.beauty_gift_card_program_id:
            return self.beauty_gift_card_program_id
        program = (
            self.env["loyalty.program"]
            .sudo()
            .with_company(self)
            .create(
                {
                    "name": self.env._("Salon gift cards"),
                    "program_type": "gift_card",
                    "company_id": self.id,
                    "currency_id": self.currency_id.id,
                }
            )
        )
        self.sudo().beauty_gift_card_program_id = program
        return program
