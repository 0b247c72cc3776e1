"""What the slot search reads of services and specialists, in a few
queries of the columns it needs (issue #16): the specialists with their
calendars and time zones in one, the services' specialists and rooms in
another, instead of record fetches of every field. Specialists and rooms
are read as superuser, as :meth:`_get_candidates` and :meth:`_service_spec`
do; the services themselves with the user's rights."""

from datetime import datetime, timedelta, timezone

import pytz

from odoo import models
from odoo.exceptions import UserError

from .intervals import DAY, UtcOffsets, to_micro


class BeautyScheduler(models.AbstractModel):
    _inherit = "beauty.scheduler"

    def _engine_specs(self, products, data):
        """Like :meth:`_service_spec` for each product, plus the ids of the
        specialists allowed to do it (an empty set: anybody), from the
        ``data`` of :meth:`_engine_read`."""
        specs = []
        for product in products:
            tmpl = product.product_tmpl_id
            duration = timedelta(hours=tmpl.service_duration)
            offsets = tmpl._get_specialist_offsets()
            specs.append(
                {
                    "product": product,
                    "product_id": product.id,
                    "duration": duration,
                    "duration_micro": to_micro(duration),
                    "offsets": offsets,
                    "offsets_micro": [
                        (to_micro(begin), to_micro(end)) for begin, end in offsets
                    ],
                    "room_ids": data["rooms"].get(tmpl.id, []),
                    "skill_id": tmpl.certification_skill_id.id,
                    "specialist_ids": data["specialists"].get(tmpl.id, set()),
                }
            )
        return specs

    def _engine_employee_id(self, employee):
        """The id of the ``employee`` asked for, or None."""
        if not employee:
            return None
        try:
            return int(
                employee.id if isinstance(employee, models.BaseModel) else employee
            )
        except (TypeError, ValueError):
            raise UserError(self.env._("Unknown specialist.")) from None

    def _engine_staff(self, specs, employee_id, data):
        """(candidates, staff): per service the ids of the specialists able
        to do it, in the order of :meth:`_get_candidates`, and {employee id:
        (resource id, calendar id, time zone)}, from the ``data`` of
        :meth:`_engine_read`. Same rules as :meth:`_get_candidates`:
        specialists of the current company, active unless asked for by id."""
        staff = {row[0]: row[1:] for row in data["staff"]}
        if employee_id and not staff:
            raise UserError(self.env._("Unknown specialist."))
        candidates = []
        for spec in specs:
            allowed = spec["specialist_ids"]
            able = [emp_id for emp_id in staff if not allowed or emp_id in allowed]
            if employee_id and not able:
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

    def _engine_margins(self, products):
        """(margin, total): the longest a specialist is busy before or after
        a service of ``products`` starts, and the visit's duration."""
        templates = [product.product_tmpl_id for product in products]
        total = sum(
            (timedelta(hours=tmpl.service_duration) for tmpl in templates), timedelta()
        )
        margin = max(
            (
                abs(offset)
                for tmpl in templates
                for pair in tmpl._get_specialist_offsets()
                for offset in pair
            ),
            default=timedelta(),
        )
        return margin, total

    def _engine_window(self, tz, date_from, date_to, step, earliest):
        """(zone, start, stop, step) of the search when the client's zone is
        known without the specialists' and the input is valid, else None
        (then the checks run again in their usual order and raise)."""
        tz = tz or self.env.context.get("tz") or self.env.user.tz
        if not tz:
            return None
        try:
            tz = self._check_tz(tz, [])
            start, stop = self._check_range(date_from, date_to, tz)
            step = self._check_step(step)
        except UserError:
            return None
        return tz, max(start, earliest), stop, step

    def _engine_tz(self, tz, candidates, staff):
        """Like :meth:`_check_tz` on the ids of :meth:`_engine_staff`."""
        tz = tz or self.env.context.get("tz") or self.env.user.tz
        if not tz:
            first = next((group[0] for group in candidates if group), None)
            tz = staff[first][2] if first else "UTC"
        return self._check_tz(tz, [])

    def _label_lang_code(self):
        """The installed language the context names, else None."""
        code = self.env.context.get("lang")
        installed = [code for code, _name in self.env["res.lang"].get_installed()]
        return code if code in installed else None

    def _label_format(self, company_lang=None):
        """The date and time format of the labels: :func:`odoo.tools.get_lang`
        with the context's language, else the company's (``company_lang``,
        read by :meth:`_engine_read`), else English or the first installed."""
        Lang = self.env["res.lang"]
        installed = [code for code, _name in Lang.get_installed()]
        code = self._label_lang_code() or company_lang
        if code not in installed:
            code = "en_US" if "en_US" in installed else installed[0]
        lang = Lang._get_data(code=code)
        return lang.date_format, lang.short_time_format

    def _slot_labeller(self, tz_name, company_lang=None):
        """A function (lines, start in microseconds) -> slot dict, the same
        as :meth:`_slot_values` with the labels of :meth:`_label_format`. A
        day's and a time's text are formatted once (the label is the date's
        text, a space and the time's, as the format is); the local time is
        the UTC one plus the zone's offset (:class:`UtcOffsets`)."""
        client_tz = pytz.timezone(tz_name)
        offsets = UtcOffsets(tz_name)
        date_format, time_format = self._label_format(company_lang)
        days, times, suffixes = {}, {}, {}

        def slot(lines, moment):
            offset = offsets.at(moment)
            local = moment + offset
            day, clock = local // DAY, local % DAY // 1_000_000
            if day not in days or clock not in times:
                aware = pytz.utc.localize(lines[0]["start"]).astimezone(client_tz)
                if day not in days:
                    days[day] = (aware.date().isoformat(), aware.strftime(date_format))
                if clock not in times:
                    times[clock] = (
                        aware.strftime("%H:%M"),
                        aware.strftime(time_format),
                        aware.strftime("T%H:%M:%S"),
                    )
            suffix = suffixes.get(offset)
            if suffix is None:
                zone = timezone(timedelta(microseconds=offset))
                suffix = datetime(2000, 1, 1, tzinfo=zone)
                suffix = suffixes[offset] = suffix.isoformat()[19:]
            day_iso, day_label = days[day]
            hour_minute, time_label, clock_iso = times[clock]
            fraction = local % 1_000_000
            if fraction:  # as datetime.isoformat: microseconds when any
                clock_iso = f"{clock_iso}.{fraction:06d}"
            return {
                "start": lines[0]["start"],
                "stop": lines[-1]["stop"],
                "tz": client_tz.zone,
                "local_start": day_iso + clock_iso + suffix,
                "date": day_iso,
                "time": hour_minute,
                "label": f"{day_label} {time_label}",
                "lines": lines,
            }

        return slot
