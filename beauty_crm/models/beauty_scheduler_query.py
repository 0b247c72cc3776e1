"""The slot search reads the database in two round trips (issue #16): the
services with the user's rights in one query, and everything else, as
superuser, in a second one (a PL/pgSQL function, see
beauty_scheduler_function.py): the specialists with their calendars and time
zones, who performs which service, the rooms, the certifications, the
schedule version, the company's language and the busy time of the window.
Each query is a few milliseconds of fixed cost on a loaded machine, more
than the Python work of a search, so the fewer the better. Busy time is
still read from the database by every search: it is never cached."""

from collections import defaultdict
from datetime import date

from odoo import models
from odoo.tools import SQL

from .beauty_scheduler_checks import SERVICE_FIELDS
from .beauty_scheduler_function import call_function, create_function
from .intervals import sorted_disjoint

# The kinds of rows of the second query.
ALLOWED, ROOM, STAFF, VERSION, SKILL, LANG, BUSY = range(7)


class BeautyScheduler(models.AbstractModel):
    _inherit = "beauty.scheduler"

    def init(self):
        result = super().init()
        create_function(self.env.cr)
        return result

    def _engine_products(self, products, online=False):
        """Like :meth:`_check_products`, in one query: the products and
        their templates' fields of ``SERVICE_FIELDS`` with the user's
        rights (access rights and record rules of both models), put in the
        record cache. Anything unusual (a record that is not found or not
        readable) is left to :meth:`_check_products`, which raises what it
        always raised."""
        if isinstance(products, models.BaseModel):
            if products._name == "product.template":
                products = products.product_variant_id
            ids = products.ids
        else:
            try:
                ids = [int(product_id) for product_id in products or []]
            except (TypeError, ValueError):
                ids = []
        if not ids:
            return self._check_products(products, online=online)
        if self._engine_products_cached(ids):
            products = self.env["product.product"].browse(ids)
            self._check_service_flags(products, online)
            return products
        Product = self.env["product.product"].with_context(active_test=False)
        Template = self.env["product.template"].with_context(active_test=False)
        Product.flush_model(["product_tmpl_id"])
        Template.flush_model(SERVICE_FIELDS)
        # Both searches check the access rights and add the record rules.
        product_query = Product._search([("id", "in", ids)])
        template_query = Template._search([])
        condition = (
            SQL("AND tmpl.id IN %s", template_query.subselect())
            if template_query.where_clause
            else SQL()
        )
        self.env.cr.execute(
            SQL(
                """SELECT product.id, tmpl.id, %(columns)s
                     FROM product_product AS product
                     JOIN product_template AS tmpl ON tmpl.id = product.product_tmpl_id
                    WHERE product.id IN %(products)s %(condition)s""",
                columns=SQL(", ").join(
                    SQL.identifier("tmpl", name) for name in SERVICE_FIELDS
                ),
                products=product_query.subselect(),
                condition=condition,
            )
        )
        rows = self.env.cr.fetchall()
        if len(rows) != len(set(ids)):
            return self._check_products(products, online=online)
        cache = self.env.cache
        found = Product.browse([row[0] for row in rows])
        cache.insert_missing(
            found, Product._fields["product_tmpl_id"], [row[1] for row in rows]
        )
        templates = Template.browse([row[1] for row in rows])
        for index, name in enumerate(SERVICE_FIELDS, 2):
            cache.insert_missing(
                templates, Template._fields[name], [row[index] for row in rows]
            )
        products = self.env["product.product"].browse(ids)
        self._check_service_flags(products, online)
        return products

    def _engine_products_cached(self, ids):
        """Whether a superuser search may take the products ``ids`` from the
        record cache: their template and its fields of ``SERVICE_FIELDS``
        were read in this transaction (as the booking pages read the
        services they show), and a superuser has every right to read them.
        A user's search always asks the database, for the rights."""
        if not self.env.su:
            return False
        cache = self.env.cache
        products = self.env["product.product"].browse(ids)
        tmpl_field = products._fields["product_tmpl_id"]
        if not all(cache.contains(product, tmpl_field) for product in products):
            return False
        templates = products.product_tmpl_id
        return all(
            cache.contains(template, templates._fields[name])
            for template in templates
            for name in SERVICE_FIELDS
        )

    def _engine_read(self, templates, employee_id, window=None, exclude_ids=()):
        """What the search needs besides the services, in one query as
        superuser: a dict with

        * ``specialists``: {template id: set of active specialists allowed
          to perform it} (an empty set: anybody),
        * ``rooms``: {template id: [room ids by name, id]},
        * ``staff``: [(employee id, resource id, calendar id, time zone)] of
          the company's specialists by name and id (active, or the one
          ``employee_id`` asked for),
        * ``version``: the schedule version,
        * ``expiry``: as :meth:`_certification_expiry` for ``staff``,
        * ``lang``: the company's language, when the context names none
          installed (else None),
        * ``busy``: when ``window`` ((start, stop), naive UTC) is given, as
          :meth:`_busy_micro` for the specialists able to do one of the
          services and their rooms (one row per resource, in the order
          the database reads them: :func:`sorted_disjoint` sorts and merges
          only when they are not in order; intervals that only touch are
          not joined); else None."""
        self.env["hr.employee"].flush_model(
            ["is_specialist", "company_id", "active", "name", "resource_id"]
            + ["resource_calendar_id"]
        )
        self.env["resource.resource"].flush_model(["active", "name", "tz"])
        self.env["product.template"].flush_model(["specialist_ids", "room_ids"])
        self.env["hr.employee.skill"].flush_model()
        self.env["hr.skill.type"].flush_model(["active"])
        lang_uid = None
        if self._label_lang_code() is None:
            self.env["res.users"].flush_model(["company_id"])
            self.env["res.company"].flush_model(["partner_id"])
            self.env["res.partner"].flush_model(["lang"])
            lang_uid = self.env.uid
        if window:
            self.env["beauty.resource.block"].flush_model()
        self.env.cr.execute(
            call_function(
                self.env.company.id,
                employee_id,
                templates,
                lang_uid,
                window,
                exclude_ids,
            )
        )
        return self._engine_rows(self.env.cr.fetchall(), bool(window))

    def _engine_rows(self, rows, with_busy):
        """The dict of :meth:`_engine_read` from the rows of its query."""
        specialists = defaultdict(set)
        rooms, staff, busy = defaultdict(list), [], {}
        expiry = defaultdict(dict)
        version = lang = None
        for kind, first, second, third, number, text, day, rank, starts, stops in rows:
            if kind == BUSY:
                busy[first] = sorted_disjoint(starts, stops)
            elif kind == ALLOWED:
                specialists[first].add(second)
            elif kind == ROOM:
                rooms[first].append((rank, second))
            elif kind == STAFF:
                staff.append((rank, first, second, third, text))
            elif kind == SKILL:
                known = expiry[first]
                known[second] = max(known.get(second, date.min), day or date.max)
            elif kind == VERSION:
                version = number
            else:
                lang = text
        staff.sort()
        return {
            "specialists": specialists,
            "rooms": {
                tmpl_id: [room_id for _rank, room_id in sorted(values)]
                for tmpl_id, values in rooms.items()
            },
            "staff": [row[1:] for row in staff],
            "version": version,
            "expiry": expiry,
            "lang": lang,
            "busy": busy if with_busy else None,
        }
