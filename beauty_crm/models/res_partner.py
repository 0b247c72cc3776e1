from datetime import timedelta

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import UserError, ValidationError
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
        "utm.medium", "Client medium", ondelete="set null", index="btree_not_null"
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

    def _beauty_check_consent(self, kind):
        """Raise unless every client in ``self`` has given the consent ``kind``
        (see beauty.consent): procedures call it for 'treatment', photo
        storage for 'photo'."""
        labels = dict(
            self.env["beauty.consent"]._fields["kind"]._description_selection(self.env)
        )
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
