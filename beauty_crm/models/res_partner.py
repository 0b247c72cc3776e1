import functools
from datetime import timedelta

import phonenumbers
from markupsafe import Markup

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression

HEALTH_GROUPS = "beauty_crm.group_beauty_specialist"
# Medical fields of the client card: reading them through the API is audited.
HEALTH_FIELDS = frozenset(
    {
        "allergen_ids",
        "contraindication_ids",
        "skin_type",
        "phototype",
        "health_conditions",
        "medications",
        "pregnancy",
        "physiological_notes",
        "staff_note",
    }
)
# An appointment in these states is still to come: not yet a visit, not called off.
UPCOMING_STATES = ("draft", "confirmed", "arrived", "in_progress")
CATEGORIES = [
    ("new", "New"),
    ("regular", "Regular"),
    ("vip", "VIP"),
    ("lost", "Lost"),
]
MONTHS = [
    ("01", "January"),
    ("02", "February"),
    ("03", "March"),
    ("04", "April"),
    ("05", "May"),
    ("06", "June"),
    ("07", "July"),
    ("08", "August"),
    ("09", "September"),
    ("10", "October"),
    ("11", "November"),
    ("12", "December"),
]
CONSENT_FIELDS = {
    "treatment": "consent_treatment",
    "marketing_email": "consent_marketing_email",
    "marketing_sms": "consent_marketing_sms",
    "marketing_messenger": "consent_marketing_messenger",
    "photo": "consent_photo",
}


def _write_health_access_log(registry, rows):
    """Write audit rows in a transaction of their own: used after a read-only
    transaction (on a read replica, where nothing can be inserted)."""
    with registry.cursor() as cr:
        api.Environment(cr, SUPERUSER_ID, {})["beauty.health.access.log"].create(rows)


class ResPartner(models.Model):
    _inherit = "res.partner"

    is_salon_client = fields.Boolean(
        "Salon client", index=True, help="This contact is a client of the salon."
    )

    # Profile the front desk works with.
    birthday = fields.Date()
    birthday_month = fields.Selection(
        MONTHS, compute="_compute_birthday_month", store=True, index=True
    )
    gender = fields.Selection(
        [("female", "Female"), ("male", "Male"), ("other", "Other")]
    )
    preferences = fields.Text(
        help="How the client likes to be served: favourite specialist, time of "
        "day, music, drinks. No medical details here."
    )
    source_id = fields.Many2one(
        "utm.source",
        "Source",
        ondelete="set null",
        index="btree_not_null",
        help="Advertising source that brought the client (utm_source).",
    )
    medium_id = fields.Many2one(
        "utm.medium", "Medium", ondelete="set null", index="btree_not_null"
    )
    campaign_id = fields.Many2one(
        "utm.campaign", "Campaign", ondelete="set null", index="btree_not_null"
    )
    referred_by_id = fields.Many2one(
        "res.partner", "Referred by", ondelete="set null", index="btree_not_null"
    )
    visit_reason_id = fields.Many2one(
        "beauty.visit.reason",
        "Reason for the first visit",
        ondelete="restrict",
        index="btree_not_null",
    )
    client_blacklisted = fields.Boolean(
        "Blacklisted",
        index=True,
        tracking=True,
        help="The salon does not book this client any more.",
    )
    client_blacklist_reason = fields.Text("Blacklist reason", tracking=True)

    # Medical data: specialists and managers only. Not copied by the ORM, which
    # would read them for any user duplicating a contact: see copy_data.
    allergen_ids = fields.Many2many(
        "beauty.allergen",
        "beauty_partner_allergen_rel",
        "partner_id",
        "allergen_id",
        string="Allergies",
        groups=HEALTH_GROUPS,
        copy=False,
    )
    contraindication_ids = fields.Many2many(
        "beauty.contraindication",
        "beauty_partner_contraindication_rel",
        "partner_id",
        "contraindication_id",
        string="Contraindications",
        groups=HEALTH_GROUPS,
        copy=False,
    )
    skin_type = fields.Selection(
        [
            ("normal", "Normal"),
            ("dry", "Dry"),
            ("oily", "Oily"),
            ("combination", "Combination"),
            ("sensitive", "Sensitive"),
        ],
        groups=HEALTH_GROUPS,
        copy=False,
    )
    phototype = fields.Selection(
        [
            ("1", "I - always burns, never tans"),
            ("2", "II - usually burns, tans minimally"),
            ("3", "III - sometimes burns, tans uniformly"),
            ("4", "IV - burns minimally, always tans"),
            ("5", "V - very rarely burns, tans very easily"),
            ("6", "VI - never burns"),
        ],
        "Fitzpatrick phototype",
        groups=HEALTH_GROUPS,
        copy=False,
    )
    health_conditions = fields.Text(
        "Medical conditions",
        groups=HEALTH_GROUPS,
        copy=False,
        help="Chronic diseases, operations, implants.",
    )
    medications = fields.Text(groups=HEALTH_GROUPS, copy=False)
    pregnancy = fields.Selection(
        [("pregnant", "Pregnant"), ("breastfeeding", "Breastfeeding")],
        groups=HEALTH_GROUPS,
        copy=False,
        help="Shown in the alert banner as a critical contraindication.",
    )
    physiological_notes = fields.Text(
        "Physiological findings",
        groups=HEALTH_GROUPS,
        copy=False,
        help="Found during procedures, e.g. tremor, fragile capillaries.",
    )
    staff_note = fields.Html("Private staff note", groups=HEALTH_GROUPS, copy=False)

    # Alerts everybody on the staff sees.
    health_alert = fields.Char(
        compute="_compute_health_alert",
        compute_sudo=True,
        help="What the front desk must know before booking: allergies and "
        "contraindications with their severity, without medical details.",
    )
    has_health_alert = fields.Boolean(
        compute="_compute_has_health_alert",
        compute_sudo=True,
        store=True,
        index=True,
        help="The client has allergies or contraindications: lists and the "
        "calendar show a warning icon.",
    )
    duplicate_partner_ids = fields.Many2many(
        "res.partner",
        compute="_compute_duplicate_partner_ids",
        string="Possible duplicates",
        help="Other contacts with the same phone number or e-mail.",
    )

    # Consents: the current state per kind, from the client's consent records.
    consent_ids = fields.One2many("beauty.consent", "partner_id", "Consents")
    consent_treatment = fields.Boolean(
        "Treatment consent", compute="_compute_consents", store=True
    )
    consent_marketing_email = fields.Boolean(
        "Marketing e-mails", compute="_compute_consents", store=True
    )
    consent_marketing_sms = fields.Boolean(
        "Marketing SMS", compute="_compute_consents", store=True
    )
    consent_marketing_messenger = fields.Boolean(
        "Marketing messages", compute="_compute_consents", store=True
    )
    consent_photo = fields.Boolean(
        "Photo consent", compute="_compute_consents", store=True
    )

    # History: kept up to date from appointments (and from the capabilities
    # that extend _compute_beauty_history).
    appointment_ids = fields.One2many(
        "beauty.appointment", "partner_id", string="Appointments"
    )
    upcoming_appointment_ids = fields.One2many(
        "beauty.appointment",
        "partner_id",
        string="Future appointments",
        domain=[("state", "in", UPCOMING_STATES)],
    )
    visit_line_ids = fields.One2many(
        "beauty.appointment.line",
        "partner_id",
        string="Services done",
        domain=[("state", "=", "done")],
    )
    appointment_count = fields.Integer(compute="_compute_appointment_count")
    visit_count = fields.Integer(
        "Visits", compute="_compute_beauty_history", store=True
    )
    first_visit_date = fields.Datetime(
        "First visit", compute="_compute_beauty_history", store=True
    )
    last_visit_date = fields.Datetime(
        "Last visit", compute="_compute_beauty_history", store=True, index=True
    )
    next_appointment_start = fields.Datetime(
        "Next appointment", compute="_compute_beauty_history", store=True, index=True
    )
    total_spent = fields.Monetary(
        compute="_compute_beauty_history", store=True, currency_field="currency_id"
    )
    average_ticket = fields.Monetary(
        compute="_compute_beauty_history", store=True, currency_field="currency_id"
    )
    client_category = fields.Selection(
        CATEGORIES,
        "Client category",
        compute="_compute_beauty_history",
        store=True,
        index=True,
        help="New: at most one visit. Regular: two visits or more. VIP: tagged "
        "VIP, or spent at least the company's VIP amount in the last 365 days. "
        "Lost: came at least once, not seen for longer than the company's "
        "'lost after' days and nothing booked. Lost wins over VIP and regular.",
    )
    next_visit_date = fields.Date(
        "Next recommended visit",
        compute="_compute_next_visit_date",
        store=True,
        readonly=False,
        index=True,
        help="Last visit plus the company's recall interval unless a "
        "specialist sets it.",
    )
    purchased_product_ids = fields.Many2many(
        "product.product",
        compute="_compute_purchased_product_ids",
        compute_sudo=True,
        string="Products bought",
        help="Goods on the client's posted customer invoices.",
    )

    @api.depends("birthday")
    def _compute_birthday_month(self):
        for partner in self:
            partner.birthday_month = (
                f"{partner.birthday.month:02d}" if partner.birthday else False
            )

    @api.depends(
        "allergen_ids.name",
        "allergen_ids.severity",
        "contraindication_ids.name",
        "contraindication_ids.severity",
        "pregnancy",
    )
    def _compute_health_alert(self):
        severity = dict(self.env["beauty.allergen"]._fields["severity"].selection)
        pregnancy = dict(self._fields["pregnancy"].selection)
        for partner in self:
            items = [
                f"{item.name} ({severity[item.severity]})"
                for item in sorted(
                    [*partner.allergen_ids, *partner.contraindication_ids],
                    key=lambda item: item.name,
                )
            ]
            if partner.pregnancy:
                items.append(f"{pregnancy[partner.pregnancy]} ({severity['critical']})")
            partner.health_alert = ", ".join(items)

    @api.depends("is_salon_client", "allergen_ids", "contraindication_ids", "pregnancy")
    def _compute_has_health_alert(self):
        # Only salon clients hold health data: other contacts cost no query.
        for partner in self:
            partner.has_health_alert = partner.is_salon_client and bool(
                partner.allergen_ids
                or partner.contraindication_ids
                or partner.pregnancy
            )

    @api.depends("is_salon_client", "phone", "mobile", "email")
    def _compute_duplicate_partner_ids(self):
        for partner in self:
            partner.duplicate_partner_ids = partner._beauty_find_duplicates()

    @api.depends(
        "is_salon_client",
        "consent_ids.kind",
        "consent_ids.state",
        "consent_ids.date",
        "consent_ids.active",
    )
    def _compute_consents(self):
        clients = self.filtered("is_salon_client")
        (self - clients).update(dict.fromkeys(CONSENT_FIELDS.values(), False))
        for partner in clients:
            latest = {}
            # consent_ids holds active records only; the newest one per kind
            # wins, also after a merge brought two cards' consents together.
            for consent in partner.consent_ids.sorted(lambda c: (c.date, c.id)):
                latest[consent.kind] = consent.state == "given"
            for kind, fname in CONSENT_FIELDS.items():
                partner[fname] = latest.get(kind, False)

    def _compute_appointment_count(self):
        counts = dict(
            self.env["beauty.appointment"]._read_group(
                [("partner_id", "in", self._origin.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.appointment_count = counts.get(partner._origin, 0)

    @api.depends(
        "is_salon_client",
        "category_id",
        "appointment_ids.state",
        "appointment_ids.start",
        "appointment_ids.amount_total",
    )
    def _compute_beauty_history(self):
        """Visit history and client category of salon clients.

        A visit is a done appointment. Total spent and the average ticket count
        done appointments. The category is defined in the field's help (and
        the README); it depends on the clock, so a daily cron recomputes it.
        Capabilities that add history (procedures, invoices, loyalty) extend
        ``_beauty_history_values``; this method stays the only writer.
        """
        clients = self.filtered("is_salon_client")
        (self - clients).update(
            dict(self._beauty_history_empty(), client_category=False)
        )
        if not clients:
            return
        values = clients._beauty_history_values()
        for partner in clients:
            partner_values = values.get(partner._origin.id) or dict(
                self._beauty_history_empty(), spent_last_year=0.0
            )
            partner_values["client_category"] = partner._beauty_category(partner_values)
            partner_values.pop("spent_last_year")
            partner.update(partner_values)

    @api.model
    def _beauty_history_empty(self):
        return {
            "visit_count": 0,
            "first_visit_date": False,
            "last_visit_date": False,
            "next_appointment_start": False,
            "total_spent": 0.0,
            "average_ticket": 0.0,
        }

    def _beauty_history_values(self):
        """Return {partner id: values of the history fields}, plus the
        ``spent_last_year`` amount the category needs. Extension point for
        the capabilities that feed the client card."""
        now = fields.Datetime.now()
        Appointment = self.env["beauty.appointment"].sudo()
        domain = [("partner_id", "in", self._origin.ids)]
        done = {
            partner.id: (count, first, last, spent)
            for partner, count, first, last, spent in Appointment._read_group(
                domain + [("state", "=", "done")],
                ["partner_id"],
                ["__count", "start:min", "start:max", "amount_total:sum"],
            )
        }
        last_year = dict(
            Appointment._read_group(
                domain
                + [("state", "=", "done"), ("start", ">=", now - timedelta(days=365))],
                ["partner_id"],
                ["amount_total:sum"],
            )
        )
        upcoming = dict(
            Appointment._read_group(
                domain + [("state", "in", UPCOMING_STATES), ("start", ">=", now)],
                ["partner_id"],
                ["start:min"],
            )
        )
        values = {}
        for partner in self._origin:
            count, first, last, spent = done.get(partner.id, (0, False, False, 0.0))
            values[partner.id] = {
                "visit_count": count,
                "first_visit_date": first,
                "last_visit_date": last,
                "next_appointment_start": upcoming.get(partner, False),
                "total_spent": spent,
                "average_ticket": spent / count if count else 0.0,
                "spent_last_year": last_year.get(partner, 0.0),
            }
        return values

    def _beauty_category(self, values):
        self.ensure_one()
        company = self.company_id or self.env.company
        lost_after = timedelta(days=company.beauty_lost_after_days)
        if (
            values["last_visit_date"]
            and not values["next_appointment_start"]
            and values["last_visit_date"] < fields.Datetime.now() - lost_after
        ):
            return "lost"
        vip_tag = self.env.ref("beauty_crm.res_partner_category_vip", False)
        if (vip_tag and vip_tag in self.category_id) or (
            company.beauty_vip_amount
            and values["spent_last_year"] >= company.beauty_vip_amount
        ):
            return "vip"
        return "regular" if values["visit_count"] >= 2 else "new"

    @api.depends("last_visit_date")
    def _compute_next_visit_date(self):
        for partner in self:
            company = partner.company_id or self.env.company
            if partner.last_visit_date and company.beauty_recall_days:
                partner.next_visit_date = partner.last_visit_date.date() + timedelta(
                    days=company.beauty_recall_days
                )
            else:
                partner.next_visit_date = False

    def _compute_purchased_product_ids(self):
        clients = self.filtered("is_salon_client")
        (self - clients).purchased_product_ids = False
        if not clients:
            return
        lines = self.env["account.move.line"]._read_group(
            [
                ("partner_id", "in", clients._origin.ids),
                ("move_id.move_type", "=", "out_invoice"),
                ("parent_state", "=", "posted"),
                ("display_type", "=", "product"),
                ("product_id.type", "=", "consu"),
            ],
            ["partner_id"],
            ["product_id:array_agg"],
        )
        products = {partner: set(ids) for partner, ids in lines}
        for partner in clients:
            partner.purchased_product_ids = [
                fields.Command.set(list(products.get(partner._origin, ())))
            ]

    @api.constrains("client_blacklisted", "client_blacklist_reason")
    def _check_blacklist_reason(self):
        for partner in self:
            if partner.client_blacklisted and not partner.client_blacklist_reason:
                raise ValidationError(
                    self.env._(
                        "Say why %(client)s is blacklisted: the next administrator "
                        "needs to know.",
                        client=partner.display_name,
                    )
                )

    @api.constrains("image_1920", "is_salon_client")
    def _check_photo_consent(self):
        for partner in self:
            if (
                partner.is_salon_client
                and partner.image_1920
                and not partner.consent_photo
            ):
                raise ValidationError(
                    self.env._(
                        "Record %(client)s's photo consent before storing a photo.",
                        client=partner.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            # Client cards belong to the branch that creates them, so the
            # standard company rule keeps them from other companies' users.
            is_client = vals.get(
                "is_salon_client", self.env.context.get("default_is_salon_client")
            )
            if is_client and "company_id" not in vals:
                vals["company_id"] = self.env.company.id
        partners = super().create(vals_list)
        clients = partners.filtered("is_salon_client")
        clients._beauty_normalize_phones()
        clients._beauty_flag_duplicates()
        return partners

    def write(self, vals):
        result = super().write(vals)
        if {"phone", "mobile", "is_salon_client", "country_id"} & set(vals):
            self.filtered("is_salon_client")._beauty_normalize_phones()
        return result

    def copy_data(self, default=None):
        # A duplicated client card keeps its medical data when the user may
        # read it; anybody else duplicates the contact without it.
        vals_list = super().copy_data(default=default)
        if not (self.env.su or self.env.user.has_group(HEALTH_GROUPS)):
            return vals_list
        fnames = HEALTH_FIELDS - set(default or ())
        for partner, vals in zip(self, vals_list, strict=True):
            if partner.is_salon_client:
                for fname in fnames:
                    field = self._fields[fname]
                    vals[fname] = field.convert_to_write(partner[fname], partner)
        return vals_list

    def _beauty_check_health_access(self, fnames):
        # Odoo checks the groups of fields searched or grouped by, except for
        # many2many fields: without this, searching or grouping clients by
        # allergy would reveal it.
        if self.env.su:
            return
        paths = {fname.split(":")[0].split(".")[0] for fname in fnames}
        if paths & HEALTH_FIELDS:
            self.check_field_access_rights("read", list(paths & HEALTH_FIELDS))

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None):
        self._beauty_check_health_access(
            leaf[0]
            for leaf in domain
            if isinstance(leaf, list | tuple) and isinstance(leaf[0], str)
        )
        return super()._search(domain, offset, limit, order)

    @api.model
    def _read_group(
        self,
        domain,
        groupby=(),
        aggregates=(),
        having=(),
        offset=0,
        limit=None,
        order=None,
    ):
        self._beauty_check_health_access([*groupby, *aggregates])
        return super()._read_group(
            domain, groupby, aggregates, having, offset, limit, order
        )

    def _read_format(self, fnames, load="_classic_read"):
        result = super()._read_format(fnames, load)
        self._beauty_log_health_access(fnames, "read")
        return result

    def export_data(self, fields_to_export):
        result = super().export_data(fields_to_export)
        self._beauty_log_health_access(
            [path.split("/")[0] for path in fields_to_export], "export"
        )
        return result

    def action_view_beauty_appointments(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "beauty_crm.beauty_appointment_action"
        )
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id}
        return action

    def action_view_beauty_visits(self):
        action = self.action_view_beauty_appointments()
        action["domain"] = expression.AND([action["domain"], [("state", "=", "done")]])
        action["name"] = self.env._("Visits")
        return action

    def action_beauty_anonymize(self):
        """Forget the client on request: erase the identity, contacts, photo,
        profile and medical data and withdraw marketing and photo consents.
        Visits, invoices and the consent and access history stay, under a
        neutral name, because the books and the audit need them."""
        if not self.env.user.has_group("beauty_crm.group_beauty_manager"):
            raise AccessError(
                self.env._("Only a salon manager can anonymise a client.")
            )
        erase = dict.fromkeys(
            [
                "email",
                "phone",
                "mobile",
                "street",
                "street2",
                "zip",
                "city",
                "state_id",
                "country_id",
                "vat",
                "website",
                "function",
                "comment",
                "image_1920",
                "birthday",
                "gender",
                "preferences",
                "referred_by_id",
                *HEALTH_FIELDS,
            ],
            False,
        )
        erase["allergen_ids"] = erase["contraindication_ids"] = [fields.Command.clear()]
        for partner in self:
            partner.write(
                dict(erase, name=self.env._("Anonymised client %s", partner.id))
            )
            self.env["beauty.consent"].create(
                [
                    {
                        "partner_id": partner.id,
                        "kind": kind,
                        "state": "withdrawn",
                        "version": "anonymisation",
                    }
                    for kind in CONSENT_FIELDS
                    if kind != "treatment" and partner[CONSENT_FIELDS[kind]]
                ]
            )
        return True

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

    def _beauty_check_consent(self, kind):
        """Raise unless every client in ``self`` has given the consent ``kind``
        (see beauty.consent): procedures call it for 'treatment', photo
        storage for 'photo'."""
        labels = dict(self.env["beauty.consent"]._fields["kind"].selection)
        for partner in self:
            if not partner[CONSENT_FIELDS[kind]]:
                raise UserError(
                    self.env._(
                        "%(client)s has not given the consent: %(kind)s.",
                        client=partner.display_name,
                        kind=labels[kind],
                    )
                )

    def _beauty_marketing_allowed(self, channel):
        """Whether marketing may be sent to this client on ``channel``
        ('email', 'sms' or 'messenger'): consent given and, for e-mail and
        SMS, the address not on Odoo's blacklists."""
        self.ensure_one()
        if not self[CONSENT_FIELDS[f"marketing_{channel}"]]:
            return False
        if channel == "email":
            return bool(self.email_normalized) and not self.is_blacklisted
        if channel == "sms":
            return bool(self.phone_sanitized) and not self.phone_sanitized_blacklisted
        return True

    def _beauty_log_health_access(self, fnames, operation):
        """Write who read which client's medical fields, at most one row per
        user, client and operation an hour."""
        fields_read = HEALTH_FIELDS.intersection(fnames or ())
        ids = [id_ for id_ in self._ids if isinstance(id_, int)]
        if not fields_read or self.env.su or not ids:
            return
        clients = self.browse(ids).sudo().filtered("is_salon_client")
        if not clients:
            return
        Log = self.env["beauty.health.access.log"].sudo()
        recent = Log.search(
            [
                ("partner_id", "in", clients.ids),
                ("user_id", "=", self.env.uid),
                ("operation", "=", operation),
                ("access_date", ">=", fields.Datetime.now() - timedelta(hours=1)),
            ]
        ).partner_id
        field_names = ", ".join(sorted(fields_read))
        rows = [
            {
                "partner_id": partner.id,
                "user_id": self.env.uid,
                "operation": operation,
                "field_names": field_names,
            }
            for partner in clients - recent
        ]
        if not rows:
            return
        if self.env.cr.readonly:
            self.env.cr.postcommit.add(
                functools.partial(_write_health_access_log, self.env.registry, rows)
            )
        else:
            Log.create(rows)

    @api.model
    def _cron_beauty_recompute_history(self):
        """Daily: the category and the next appointment depend on the clock."""
        clients = self.with_context(active_test=False).search(
            [("is_salon_client", "=", True)]
        )
        for batch in self.env.cr.split_for_in_conditions(clients.ids, 1000):
            partners = self.browse(batch)
            for fname in ("client_category", "next_appointment_start"):
                self.env.add_to_compute(self._fields[fname], partners)
            partners.flush_recordset()
            self.env.invalidate_all()

    # Procedure records (#5).
    procedure_ids = fields.One2many(
        "beauty.procedure", "partner_id", string="Procedures", groups=HEALTH_GROUPS
    )
    procedure_count = fields.Integer(
        compute="_compute_procedure_count", groups=HEALTH_GROUPS
    )
    received_material_ids = fields.One2many(
        "beauty.procedure.material",
        "partner_id",
        string="Materials received",
        domain=[("state", "=", "done")],
        groups=HEALTH_GROUPS,
    )

    def _compute_procedure_count(self):
        counts = dict(
            self.env["beauty.procedure"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.procedure_count = counts.get(partner, 0)

    def _beauty_received_lots(self):
        """Every lot this client received in a validated procedure."""
        return self.received_material_ids.lot_id

    def action_view_procedures(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "beauty_crm.beauty_procedure_action"
        )
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id}
        return action

    # Loyalty card (issue #7) ---------------------------------------------------

    def _beauty_birthday(self):
        """The client's date of birth, for the yearly birthday bonus (False
        while unknown)."""
        self.ensure_one()
        return self.birthday

    def _beauty_loyalty_card(self, company=None, create=True):
        """The client's card in the salon loyalty program, issued on first use."""
        self.ensure_one()
        company = company or self.env.company
        if not create and not company.beauty_loyalty_program_id:
            # Looking a card up must not set up the salon's program.
            return self.env["loyalty.card"]
        program = company._beauty_loyalty_program()
        partner = self.commercial_partner_id
        Card = self.env["loyalty.card"].sudo()
        card = Card.search(
            [("program_id", "=", program.id), ("partner_id", "=", partner.id)],
            limit=1,
        )
        if not card and create:
            card = Card.with_context(loyalty_no_mail=True).create(
                {"program_id": program.id, "partner_id": partner.id, "points": 0}
            )
        return card

    def _beauty_tier_discount(self, company=None):
        """Discount (%) of the client's loyalty tier."""
        self.ensure_one()
        card = self._beauty_loyalty_card(company=company, create=False)
        return card.beauty_tier_id.discount_percent if card else 0.0

    def action_beauty_view_loyalty_cards(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "beauty_crm.loyalty_card_action"
        )
        action["domain"] = [("partner_id", "child_of", self.commercial_partner_id.id)]
        return action
