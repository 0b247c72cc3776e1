from odoo import api, fields, models
from odoo.tools import format_datetime


class ResPartner(models.Model):
    _inherit = "res.partner"

    beauty_channel_order = fields.Selection(
        [
            ("email_sms", "E-mail, then SMS"),
            ("sms_email", "SMS, then e-mail"),
            ("email", "E-mail only"),
            ("sms", "SMS only"),
        ],
        "Messages by",
        help="Channels tried in this order for the client's messages; the next "
        "one is used when a channel fails or the client has no address for "
        "it. Empty: the salon's choice for each message.",
    )
    beauty_message_ids = fields.One2many(
        "beauty.message",
        "partner_id",
        "Client messages sent",
        groups="beauty_crm.group_beauty_receptionist",
    )
    beauty_message_count = fields.Integer(
        "Client messages",
        compute="_compute_beauty_message_count",
        groups="beauty_crm.group_beauty_receptionist",
    )

    @api.depends("beauty_message_ids")
    def _compute_beauty_message_count(self):
        counts = dict(
            self.env["beauty.message"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.beauty_message_count = counts.get(partner, 0)

    def _beauty_tz(self):
        """Time zone the client reads messages in."""
        self.ensure_one()
        company = self.company_id or self.env.company
        return self.tz or company._beauty_tz()

    def _beauty_format_local(self, value):
        """A moment as this client reads it in messages: in the client's time
        zone and language, e.g. "Thursday 5 March 2026, 12:00"."""
        self.ensure_one()
        return format_datetime(
            self.env,
            value,
            tz=self._beauty_tz(),
            dt_format="EEEE d MMMM y, HH:mm",
            lang_code=self.lang or None,
        )

    def action_view_beauty_messages(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "beauty_crm.beauty_message_action"
        )
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"create": False}
        return action

    def _beauty_plan_winback_call(self, company):
        """A call for the front desk to bring back a client not seen lately."""
        self.ensure_one()
        user = company.beauty_winback_user_id or self.user_id
        self.sudo().activity_schedule(
            "mail.mail_activity_data_call",
            summary=self.env._(
                "Win-back call: not seen for %(days)s days",
                days=company.beauty_winback_days,
            ),
            user_id=(user or self.env.ref("base.user_admin")).id,
        )

    def _beauty_recall_service(self):
        """The service of the client's last visit that is repeated."""
        self.ensure_one()
        line = (
            self.env["beauty.appointment.line"]
            .sudo()
            .search(
                [
                    ("partner_id", "=", self.id),
                    ("state", "=", "done"),
                    ("product_id.repeat_interval_days", ">", 0),
                ],
                order="start desc",
                limit=1,
            )
        )
        return line.product_id
