"""The reference implementation of the slot search, as it stood before
issue #16: a Python walk over every start of every specialist on
``datetime`` values. The salon never calls it. It is the oracle the fast
engine (:meth:`beauty.scheduler.get_available_slots`) is compared with in
``tests/test_scheduling_equivalence.py``, and ``tools/bench_slots.py`` times
both in the same run."""

import math
from collections import defaultdict
from datetime import date, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import get_lang


class BeautyScheduler(models.AbstractModel):
    _inherit = "beauty.scheduler"

    @api.model
    def _reference_get_available_slots(
        self,
        products,
        date_from,
        date_to,
        employee=None,
        tz=None,
        step=None,
        online=False,
        exclude_appointment=None,
        skip_resource_ids=(),
    ):
        """Same arguments and answer as :meth:`get_available_slots`."""
        products = self._reference_check_products(products, online=online)
        candidates = self._reference_get_candidates(products, employee)
        tz_name = self._check_tz(tz, candidates)
        start, stop = self._check_range(date_from, date_to, tz_name)
        step = self._check_step(step)
        lead = timedelta(hours=max(products.mapped("min_lead_time")))
        start = max(start, fields.Datetime.now() + lead)
        if start >= stop:
            return []
        specs = [self._service_spec(product) for product in products]
        total = sum((spec["duration"] for spec in specs), timedelta())
        margin = max(
            (
                abs(offset)
                for spec in specs
                for pair in spec["offsets"]
                for offset in pair
            ),
            default=timedelta(),
        )
        employees = (
            self.env["hr.employee"]
            .sudo()
            .browse({employee.id for group in candidates for employee in group})
        )
        rooms = self.env["resource.resource"].browse(
            {room_id for spec in specs for room_id in spec["room_ids"]}
        )
        availability = self._load_availability(
            employees,
            rooms,
            start - margin,
            stop + total + margin,
            exclude_appointment.ids if exclude_appointment else (),
            skip_resource_ids,
        )
        certified = self._certification_checker(
            employees, self._reference_certification_expiry(employees)
        )
        candidate_ids = [group.ids for group in candidates]
        options = self._reference_first_options(
            specs[0], candidates[0], availability, certified, start, stop, step
        )
        client_tz = pytz.timezone(tz_name)
        lang = get_lang(self.env)
        label_format = f"{lang.date_format} {lang.short_time_format}"
        slots = []
        for moment in sorted(options):
            lines = self._reference_plan(
                moment, specs, candidate_ids, availability, certified, options[moment]
            )
            if lines:
                slots.append(self._slot_values(lines, client_tz, label_format))
        return slots

    def _reference_first_options(
        self, spec, employees, availability, certified, start, stop, step
    ):
        """{start: [employee ids]} for the first service: starts on the step
        grid of each specialist's local clock within [start, stop) where the
        specialist is certified and free for the whole service, buffers
        included; ids keep the order of ``employees``."""
        first_from, first_to = spec["offsets"][0]
        several = len(spec["offsets"]) > 1
        last_start = stop - timedelta(microseconds=1)
        grids = {}
        options = defaultdict(list)
        for emp in employees:
            zone = emp.resource_id.tz or "UTC"
            align = grids.get(zone) or grids.setdefault(
                zone, self._reference_grid(zone, step)
            )
            for free_start, free_stop in availability.free.get(emp.id, []):
                moment = align(max(free_start - first_from, start))
                last = min(free_stop - first_to, last_start)
                while moment <= last:
                    if (
                        not several
                        or availability.employee_fits(
                            emp.id,
                            [
                                (moment + begin, moment + end)
                                for begin, end in spec["offsets"]
                            ],
                        )
                    ) and certified(emp.id, spec["skill_id"], moment):
                        options[moment].append(emp.id)
                    moment += step
        return options

    def _reference_grid(self, zone, step):
        """A function rounding a naive UTC datetime up to the next multiple
        of ``step`` on the local clock of time zone ``zone``, counted from
        local midnight (so starts stay on :00, :15... across DST changes)."""
        tz = pytz.timezone(zone)
        step_seconds = step.total_seconds()
        offsets = {}

        def align(moment):
            hour = moment.replace(minute=0, second=0, microsecond=0)
            offset = offsets.get(hour)
            if offset is None:
                offset = pytz.utc.localize(hour).astimezone(tz).utcoffset()
                offsets[hour] = offset
            local = moment + offset
            midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
            seconds = (local - midnight).total_seconds()
            steps = math.ceil(seconds / step_seconds - 1e-9)
            return moment + timedelta(seconds=steps * step_seconds - seconds)

        return align

    def _reference_plan(
        self, moment, specs, candidate_ids, availability, certified, first_ids
    ):
        """First assignment of specialists and rooms for a visit starting at
        ``moment``, or None. ``first_ids`` are the specialists known to be
        free and certified for the first service at that moment."""
        lines = []
        for index, spec in enumerate(specs):
            end = moment + spec["duration"]
            room_id = False
            if spec["room_ids"]:
                room_id = next(
                    (
                        room
                        for room in spec["room_ids"]
                        if availability.room_free(room, moment, end)
                    ),
                    None,
                )
                if not room_id:
                    return None
            if index == 0:
                employee_id = first_ids[0]
            else:
                busy = [
                    (moment + begin, moment + finish)
                    for begin, finish in spec["offsets"]
                ]
                employee_id = next(
                    (
                        emp_id
                        for emp_id in candidate_ids[index]
                        if availability.employee_fits(emp_id, busy)
                        and certified(emp_id, spec["skill_id"], moment)
                    ),
                    None,
                )
                if not employee_id:
                    return None
            lines.append(
                {
                    "product_id": spec["product"].id,
                    "employee_id": employee_id,
                    "room_id": room_id,
                    "start": moment,
                    "stop": end,
                }
            )
            moment = end
        return lines

    # The input checks and loaders as they stood before issue #16's second
    # pass (the engine now reads only the fields it needs).

    def _reference_check_products(self, products, online=False):
        if isinstance(products, models.BaseModel):
            if products._name == "product.template":
                products = products.product_variant_id
            ids = products.ids
        else:
            try:
                ids = [int(product_id) for product_id in products or []]
            except (TypeError, ValueError):
                raise UserError(self.env._("Unknown service.")) from None
        if not ids:
            raise UserError(self.env._("Choose at least one service."))
        found = self.env["product.product"].browse(ids).exists()
        if len(found) != len(set(ids)):
            raise UserError(self.env._("Unknown service."))
        products = self.env["product.product"].browse(ids)
        for product in products:
            if not product.is_salon_service:
                raise UserError(
                    self.env._(
                        "%(name)s is not a salon service.", name=product.display_name
                    )
                )
            if online and not product.is_bookable_online:
                raise UserError(
                    self.env._(
                        "%(name)s cannot be booked online; please call the salon.",
                        name=product.display_name,
                    )
                )
        return products

    def _reference_get_candidates(self, products, employee):
        Employee = self.env["hr.employee"].sudo()
        company = self.env.company
        if employee:
            employee = Employee.browse(
                employee.id if isinstance(employee, models.BaseModel) else employee
            ).exists()
            if (
                not employee
                or not employee.is_specialist
                or employee.company_id != company
            ):
                raise UserError(self.env._("Unknown specialist."))
        specialists = employee or Employee.search(
            [("is_specialist", "=", True), ("company_id", "=", company.id)],
            order="name, id",
        )
        candidates = []
        for product in products:
            tmpl = product.product_tmpl_id.sudo()
            able = (
                specialists & tmpl.specialist_ids
                if tmpl.specialist_ids
                else specialists
            )
            if employee and not able:
                raise UserError(
                    self.env._(
                        "%(employee)s does not perform %(service)s.",
                        employee=employee.name,
                        service=product.display_name,
                    )
                )
            candidates.append(able)
        return candidates

    def _reference_certification_expiry(self, employees):
        expiry = defaultdict(dict)
        for employee_skill in employees.sudo().employee_skill_ids:
            known = expiry[employee_skill.employee_id.id]
            current = known.get(employee_skill.skill_id.id, date.min)
            new = employee_skill.expiry_date or date.max
            known[employee_skill.skill_id.id] = max(current, new)
        return expiry
