from odoo import fields, models
from odoo.osv import expression

# Bookings of a campaign that count: everything but cancelled ones (an online
# hold that expired unconfirmed is cancelled too).
COUNTED_STATES = ("draft", "confirmed", "arrived", "in_progress", "done", "no_show")


class MailingMailing(models.Model):
    _inherit = "mailing.mailing"

    beauty_booking_count = fields.Integer(
        "Bookings",
        compute="_compute_beauty_bookings",
        help="Salon bookings made through the links of this mailing (its UTM "
        "source), cancelled ones left out.",
    )
    beauty_currency_id = fields.Many2one(
        "res.currency", compute="_compute_beauty_bookings"
    )
    beauty_booking_revenue = fields.Monetary(
        "Booked revenue",
        currency_field="beauty_currency_id",
        compute="_compute_beauty_bookings",
        help="Price of the services of the done visits among these bookings.",
    )

    def _compute_beauty_bookings(self):
        # sudo: a marketer sees the figures of a mailing without reading the
        # salon's appointments, as mass_mailing_sale does for sale orders.
        Appointment = self.env["beauty.appointment"].sudo()
        domain = [
            ("source_id", "in", self.source_id.ids),
            ("state", "in", COUNTED_STATES),
        ]
        counts = dict(Appointment._read_group(domain, ["source_id"], ["__count"]))
        revenue = dict(
            Appointment._read_group(
                expression.AND([domain, [("state", "=", "done")]]),
                ["source_id"],
                ["amount_total:sum"],
            )
        )
        for mailing in self:
            mailing.beauty_booking_count = counts.get(mailing.source_id, 0)
            mailing.beauty_booking_revenue = revenue.get(mailing.source_id, 0.0)
            mailing.beauty_currency_id = self.env.company.currency_id

    def _get_recipients_domain(self):
        """Marketing to contacts honours the salon's consents: a salon client
        receives a mailing only with the marketing consent of its channel, and
        nobody on the e-mail (phone) blacklist is a recipient - evaluated when
        the mailing leaves, so a consent withdrawn after it was prepared
        counts. Left out here, they get no mail, SMS nor mailing trace."""
        domain = super()._get_recipients_domain()
        if self.mailing_model_real != "res.partner":
            return domain
        channel = "sms" if self.mailing_type == "sms" else "email"
        return expression.AND(
            [domain, self.env["res.partner"]._beauty_marketing_domain(channel)]
        )

    def action_view_beauty_bookings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "beauty_crm.beauty_appointment_action"
        )
        action.update(
            name=self.env._("Bookings of %(mailing)s", mailing=self.subject),
            domain=[
                ("source_id", "=", self.source_id.id),
                ("state", "in", COUNTED_STATES),
            ],
            context={"create": False},
        )
        return action
