import phonenumbers
from markupsafe import Markup

from odoo import models
from odoo.exceptions import ValidationError
from odoo.osv import expression


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _phone_get_number_fields(self):
        # OCA mail_gateway_whatsapp returns these fields from a set, so their
        # order (which number phone_sanitized is computed on) changed from one
        # server start to the next. Keep Odoo's order: mobile, then phone.
        fnames = super()._phone_get_number_fields()
        ordered = [fname for fname in ("mobile", "phone") if fname in fnames]
        return ordered + [fname for fname in fnames if fname not in ordered]

    def action_beauty_merge_duplicates(self):
        """Open Odoo's merge wizard on this card and its possible duplicates
        (the wizard merges at most three contacts at once)."""
        self.ensure_one()
        partners = self | self.duplicate_partner_ids[:2]
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Merge duplicate clients"),
            "res_model": "base.partner.merge.automatic.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {
                "active_model": "res.partner",
                "active_ids": partners.ids,
                "active_test": False,
            },
        }

    def _beauty_phone_e164(self, number):
        """Return ``number`` in E.164, read in the client's country, else the
        company's; raise a ValidationError the front desk understands."""
        self.ensure_one()
        country = (
            self.country_id or self.company_id.country_id or self.env.company.country_id
        )
        message = self.env._(
            "The phone number %(number)s of %(client)s is not valid. Write it "
            "with the country code, e.g. +7 916 123-45-67.",
            number=number,
            client=self.display_name,
        )
        try:
            parsed = phonenumbers.parse(number, country.code or None)
        except phonenumbers.NumberParseException as error:
            raise ValidationError(message) from error
        if not phonenumbers.is_valid_number(parsed):
            raise ValidationError(message)
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)

    def _beauty_normalize_phones(self):
        for partner in self:
            vals = {}
            for fname in ("phone", "mobile"):
                number = partner[fname]
                if number:
                    normalized = partner._beauty_phone_e164(number)
                    if normalized != number:
                        vals[fname] = normalized
            if vals:
                partner.write(vals)

    def _beauty_find_duplicates(self):
        """Other contacts sharing this client's phone numbers or e-mail."""
        self.ensure_one()
        if not self.is_salon_client:
            return self.browse()
        numbers = [n for n in {self.phone, self.mobile, self.phone_sanitized} if n]
        domains = []
        if numbers:
            domains += [
                [("phone", "in", numbers)],
                [("mobile", "in", numbers)],
                [("phone_sanitized", "in", numbers)],
            ]
        if self.email_normalized:
            domains.append([("email_normalized", "=", self.email_normalized)])
        if not domains:
            return self.browse()
        return self.search(
            expression.AND([[("id", "!=", self._origin.id)], expression.OR(domains)]),
            limit=10,
        )

    def _beauty_flag_duplicates(self):
        for partner in self:
            duplicates = partner._beauty_find_duplicates()
            if duplicates:
                partner.message_post(
                    body=Markup("%s<ul>%s</ul>")
                    % (
                        self.env._(
                            "Possible duplicate (same phone or e-mail); merge with "
                            "the Merge button on the card:"
                        ),
                        Markup().join(
                            Markup("<li>%s</li>") % dup.display_name
                            for dup in duplicates
                        ),
                    ),
                    subtype_xmlid="mail.mt_note",
                )
