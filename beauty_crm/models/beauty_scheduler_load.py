"""What the slot search reads of services and specialists, in a few
queries of the columns it needs (issue #16): the specialists with their
calendars and time zones in one, the services' specialists and rooms in
another, instead of record fetches of every field. Specialists and rooms
are read as superuser, as :meth:`_get_candidates` and :meth:`_service_spec`
do; the services themselves with the user's rights."""

from collections import defaultdict
from datetime import timedelta

import pytz

from odoo import models
from odoo.exceptions import UserError
from odoo.tools import SQL


class BeautyScheduler(models.AbstractModel):
    _inherit = "beauty.scheduler"

    def _engine_specs(self, products):
        """Like :meth:`_service_spec` for each product, plus the ids of the
        specialists allowed to do it (an empty set: anybody), from one
        query."""
        templates = products.product_tmpl_id
        templates.flush_model(["specialist_ids", "room_ids"])
        self.env["hr.employee"].flush_model(["active"])
        self.env["resource.resource"].flush_model(["active", "name"])
        self.env.cr.execute(
            SQL(
                """SELECT rel.product_tmpl_id, 'specialist', rel.employee_id, NULL, 0
                     FROM beauty_employee_service_rel AS rel
                     JOIN hr_employee AS employee ON employee.id = rel.employee_id
                    WHERE employee.active AND rel.product_tmpl_id = ANY(%(ids)s)
                   UNION ALL
                   SELECT rel.product_tmpl_id, 'room', rel.resource_id, room.name,
                          room.id
                     FROM beauty_product_room_rel AS rel
                     JOIN resource_resource AS room ON room.id = rel.resource_id
                    WHERE room.active AND rel.product_tmpl_id = ANY(%(ids)s)
                   ORDER BY 4, 5""",
                ids=templates.ids,
            )
        )
        specialists, rooms = defaultdict(set), defaultdict(list)
        for tmpl_id, kind, record_id, _name, _id in self.env.cr.fetchall():
            if kind == "room":
                rooms[tmpl_id].append(record_id)
            else:
                specialists[tmpl_id].add(record_id)
        specs = []
        for product in products:
            tmpl = product.product_tmpl_id
            specs.append(
                {
                    "product": product,
                    "duration": timedelta(hours=tmpl.service_duration),
                    "offsets": tmpl._get_specialist_offsets(),
                    "room_ids": rooms[tmpl.id],
                    "skill_id": tmpl.certification_skill_id.id,
                    "specialist_ids": specialists[tmpl.id],
                }
            )
        return specs

    def _engine_staff(self, specs, employee):
        """(candidates, staff): per service the ids of the specialists able
        to do it, in the order of :meth:`_get_candidates`, and {employee id:
        (resource id, calendar id, time zone)}; one query. Same rules as
        :meth:`_get_candidates`: specialists of the current company, active
        unless asked for by id."""
        employee_id = None
        if employee:
            try:
                employee_id = int(
                    employee.id if isinstance(employee, models.BaseModel) else employee
                )
            except (TypeError, ValueError):
                raise UserError(self.env._("Unknown specialist.")) from None
        self.env["hr.employee"].flush_model(
            ["is_specialist", "company_id", "active", "name", "resource_id"]
            + ["resource_calendar_id"]
        )
        self.env["resource.resource"].flush_model(["tz"])
        self.env.cr.execute(
            SQL(
                """SELECT employee.id, employee.resource_id,
                          employee.resource_calendar_id, resource.tz
                     FROM hr_employee AS employee
                     JOIN resource_resource AS resource
                       ON resource.id = employee.resource_id
                    WHERE employee.is_specialist
                      AND employee.company_id = %(company)s
                      AND %(filter)s
                 ORDER BY employee.name, employee.id""",
                company=self.env.company.id,
                filter=SQL("employee.id = %s", employee_id)
                if employee
                else SQL("employee.active"),
            )
        )
        staff = {row[0]: row[1:] for row in self.env.cr.fetchall()}
        if employee and not staff:
            raise UserError(self.env._("Unknown specialist."))
        candidates = []
        for spec in specs:
            allowed = spec["specialist_ids"]
            able = [emp_id for emp_id in staff if not allowed or emp_id in allowed]
            if employee and not able:
                raise UserError(
                    self.env._(
                        "%(employee)s does not perform %(service)s.",
                        employee=self.env["hr.employee"]
                        .sudo()
                        .browse(employee_id)
                        .name,
                        service=spec["product"].display_name,
                    )
                )
            candidates.append(able)
        return candidates, staff

    def _engine_tz(self, tz, candidates, staff):
        """Like :meth:`_check_tz` on the ids of :meth:`_engine_staff`."""
        tz = tz or self.env.context.get("tz") or self.env.user.tz
        if not tz:
            first = next((group[0] for group in candidates if group), None)
            tz = staff[first][2] if first else "UTC"
        return self._check_tz(tz, [])

    def _label_format(self):
        """The date and time format of the labels: :func:`odoo.tools.get_lang`
        with the company's language (when the context names none installed)
        read in one query instead of three record fetches."""
        Lang = self.env["res.lang"]
        installed = [code for code, _name in Lang.get_installed()]
        code = self.env.context.get("lang")
        if code not in installed:
            self.env["res.users"].flush_model(["company_id"])
            self.env["res.company"].flush_model(["partner_id"])
            self.env["res.partner"].flush_model(["lang"])
            self.env.cr.execute(
                SQL(
                    """SELECT partner.lang FROM res_users AS users
                        JOIN res_company AS company ON company.id = users.company_id
                        JOIN res_partner AS partner ON partner.id = company.partner_id
                       WHERE users.id = %s""",
                    self.env.uid,
                )
            )
            row = self.env.cr.fetchone()
            code = row[0] if row else None
        if code not in installed:
            code = "en_US" if "en_US" in installed else installed[0]
        lang = Lang._get_data(code=code)
        return lang.date_format, lang.short_time_format

    def _slot_labeller(self, tz_name):
        """A function lines -> slot dict, the same as :meth:`_slot_values`
        with the labels of :meth:`_label_format`; a day's and a time's text
        are formatted once (the label is the date's text, a space and the
        time's, as the format is)."""
        client_tz = pytz.timezone(tz_name)
        date_format, time_format = self._label_format()
        days, times = {}, {}

        def slot(lines):
            start = lines[0]["start"]
            local = pytz.utc.localize(start).astimezone(client_tz)
            day, clock = local.date(), (local.hour, local.minute, local.second)
            if day not in days:
                days[day] = (day.isoformat(), local.strftime(date_format))
            if clock not in times:
                times[clock] = (local.strftime("%H:%M"), local.strftime(time_format))
            (day_iso, day_label), (hour_minute, time_label) = days[day], times[clock]
            return {
                "start": start,
                "stop": lines[-1]["stop"],
                "tz": client_tz.zone,
                "local_start": local.isoformat(),
                "date": day_iso,
                "time": hour_minute,
                "label": f"{day_label} {time_label}",
                "lines": lines,
            }

        return slot
