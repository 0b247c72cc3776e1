from markupsafe import Markup

from odoo import api, fields, models

KINDS = [
    ("treatment", "Treatment"),
    ("marketing_email", "Marketing by e-mail"),
    ("marketing_sms", "Marketing by SMS"),
    ("marketing_messenger", "Marketing by messenger"),
    ("marketing_telegram", "Marketing by Telegram"),
    ("marketing_whatsapp", "Marketing by WhatsApp"),
    ("photo", "Photos"),
]


class BeautyConsent(models.Model):
    """A consent the client gave or withdrew, with the version of the text.

    Records are never edited: a new record for the same client and kind
    archives the previous one, so the history of consents stays intact and
    the client card shows the current one.
    """

    _name = "beauty.consent"
    _description = "Client consent"
    _order = "date desc, id desc"
    _rec_name = "kind"

    partner_id = fields.Many2one(
        "res.partner",
        "Client",
        required=True,
        index=True,
        ondelete="cascade",
        domain=[("is_salon_client", "=", True)],
    )
    company_id = fields.Many2one(
        related="partner_id.company_id", store=True, index=True
    )
    kind = fields.Selection(KINDS, required=True)
    state = fields.Selection(
        [("given", "Given"), ("withdrawn", "Withdrawn")],
        required=True,
        default="given",
    )
    version = fields.Char(
        "Text version",
        required=True,
        help="Version of the consent text the client agreed to or withdrew "
        "from, as printed on the form, e.g. 2026-01.",
    )
    date = fields.Datetime(required=True, default=fields.Datetime.now)
    recorded_by_id = fields.Many2one(
        "res.users",
        "Recorded by",
        required=True,
        default=lambda self: self.env.user,
        ondelete="restrict",
    )
    note = fields.Char(help="How it was collected, e.g. signed paper form no. 12.")
    active = fields.Boolean(default=True)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            # The user recording the consent is whoever is logged in, not
            # a value the client side may choose.
            vals["recorded_by_id"] = self.env.uid
        consents = super().create(vals_list)
        for consent in consents:
            # sudo: nobody may edit consents, superseding one is archiving.
            consent.sudo().search(
                [
                    ("partner_id", "=", consent.partner_id.id),
                    ("kind", "=", consent.kind),
                    ("id", "!=", consent.id),
                ]
            ).active = False
            consent._apply_to_partner()
        return consents

    def _apply_to_partner(self):
        """Make Odoo's own sending and storage honour the consent: a withdrawn
        marketing consent puts the address on Odoo's e-mail or phone blacklist
        (mass mailing and SMS marketing skip it), a given one takes it off; a
        withdrawn photo consent deletes the client's photo."""
        self.ensure_one()
        partner = self.partner_id.sudo()
        message = Markup("%s") % self.env._(
            "Consent %(kind)s %(state)s by %(client)s (text %(version)s)",
            kind=dict(self._fields["kind"]._description_selection(self.env))[self.kind],
            state=dict(self._fields["state"]._description_selection(self.env))[
                self.state
            ],
            client=partner.display_name,
            version=self.version,
        )
        given = self.state == "given"
        if self.kind == "marketing_email" and partner.email_normalized:
            blacklist = self.env["mail.blacklist"].sudo()
            if given:
                if partner.is_blacklisted:
                    blacklist._remove(partner.email_normalized, message)
            else:
                blacklist._add(partner.email_normalized, message)
        elif self.kind == "marketing_sms" and partner.phone_sanitized:
            blacklist = self.env["phone.blacklist"].sudo()
            if given:
                if partner.phone_sanitized_blacklisted:
                    blacklist._remove([partner.phone_sanitized], message)
            else:
                blacklist._add([partner.phone_sanitized], message)
        elif self.kind == "photo" and not given:
            partner.image_1920 = False
        partner.invalidate_recordset(["is_blacklisted", "phone_sanitized_blacklisted"])
