import functools
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError

from .res_partner import (
    CONSENT_FIELDS,
    HEALTH_FIELDS,
    HEALTH_GROUPS,
    _write_health_access_log,
)


class ResPartner(models.Model):
    _inherit = "res.partner"

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
