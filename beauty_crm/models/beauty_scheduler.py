import bisect
import itertools
import math
from collections import defaultdict
from datetime import date, datetime, timedelta

import psycopg2.errors
import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, format_datetime, get_lang

from .beauty_appointment import ACTIVE_STATES

MAX_SEARCH_DAYS = 62
DEFAULT_STEP_MINUTES = 15
STEP_PARAMETER = "beauty_crm.slot_step_minutes"
MANAGER_GROUP = "beauty_crm.group_beauty_manager"


def _merge(intervals):
    """Sorted union of (start, stop) pairs; touching intervals are joined."""
    merged = []
    for start, stop in sorted(intervals):
        if merged and start <= merged[-1][1]:
            if stop > merged[-1][1]:
                merged[-1] = (merged[-1][0], stop)
        else:
            merged.append((start, stop))
    return merged


def _subtract(free, busy):
    """Parts of the merged intervals ``free`` not covered by merged ``busy``."""
    result = []
    index = 0
    for start, stop in free:
        while index < len(busy) and busy[index][1] <= start:
            index += 1
        cursor = start
        scan = index
        while scan < len(busy) and busy[scan][0] < stop:
            if busy[scan][0] > cursor:
                result.append((cursor, busy[scan][0]))
            cursor = max(cursor, busy[scan][1])
            scan += 1
        if cursor < stop:
            result.append((cursor, stop))
    return result


class _Availability:
    """Free time of specialists and busy time of rooms over one window, in
    naive UTC, with O(log n) look-ups."""

    def __init__(self, free_by_employee, busy_by_room):
        self.free = free_by_employee
        self.free_starts = {
            key: [start for start, _stop in value] for key, value in self.free.items()
        }
        self.room_busy = busy_by_room
        self.room_stops = {
            key: [stop for _start, stop in value] for key, value in busy_by_room.items()
        }

    def employee_fits(self, employee_id, intervals):
        free = self.free.get(employee_id, [])
        starts = self.free_starts.get(employee_id, [])
        for start, stop in intervals:
            index = bisect.bisect_right(starts, start) - 1
            if index < 0 or free[index][1] < stop:
                return False
        return True

    def room_free(self, room_id, start, stop):
        busy = self.room_busy.get(room_id, [])
        index = bisect.bisect_right(self.room_stops.get(room_id, []), start)
        return index >= len(busy) or busy[index][0] >= stop


class BeautyScheduler(models.AbstractModel):
    """The one availability engine of the salon.

    Public API (backend, calendar drag and drop, website):

    * ``get_available_slots(products, date_from, date_to, employee=None,
      tz=None, step=None, online=False)``: free visits.
    * ``book(partner, lines, channel="website", note=None)``: re-checks a
      planned visit against the engine and creates a draft appointment.
    * ``check_lines(lines)``: the rules every booked service line obeys
      (called by beauty.appointment.line on create and write).

    Datetimes are naive UTC, as everywhere in Odoo; labels are in the client's
    time zone. Busy time comes from beauty.resource.block through one range
    query on its GiST index, so the cost follows the requested window.
    """

    _name = "beauty.scheduler"
    _description = "Salon availability engine"

    # ------------------------------------------------------------------
    # Public API
    # ------------------------------------------------------------------

    @api.model
    def get_available_slots(
        self,
        products,
        date_from,
        date_to,
        employee=None,
        tz=None,
        step=None,
        online=False,
    ):
        """Free start times for a visit of ``products`` done in that order.

        :param products: product.product (or product.template) records or ids,
            salon services, in the order they are done; each service starts
            when the previous one ends.
        :param date_from: start of the search: a ``date`` (first day, in
            ``tz``), a naive UTC ``datetime`` or an aware ``datetime``, or the
            same as a string (``YYYY-MM-DD`` or ``YYYY-MM-DD HH:MM:SS`` UTC).
        :param date_to: end of the search, same types; a date is included.
            At most 62 days after ``date_from``.
        :param employee: hr.employee record or id doing every service, or
            None for any qualified specialist (each service may then get a
            different one).
        :param tz: the client's time zone name for dates and labels; default:
            context/user time zone, else the first specialist's.
        :param step: minutes between two proposed starts (5-240); default the
            system parameter ``beauty_crm.slot_step_minutes`` or 15. Starts are
            aligned on the salon's local clock.
        :param online: True for client self-booking: refuses services that are
            not bookable online.
        :return: list of dicts ordered by start::

            {"start": datetime, "stop": datetime,   # naive UTC, whole visit
             "tz": "Asia/Shanghai",
             "local_start": "2026-03-05T15:00:00+08:00",
             "date": "2026-03-05", "time": "15:00",  # in tz
             "label": "03/05/2026 15:00",  # in tz, user language format
             "lines": [{"product_id": int, "employee_id": int,
                        "room_id": int or False,
                        "start": datetime, "stop": datetime}, ...]}

            Every slot honours working hours and time off, existing bookings,
            buffers and processing gaps, rooms, certifications and the lead
            time of the services.
        :raise UserError: on bad input, with a message for the user.
        """
        products = self._check_products(products, online=online)
        candidates = self._get_candidates(products, employee)
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
            employees, rooms, start - margin, stop + total + margin
        )
        certified = self._certification_checker(employees)
        candidate_ids = [group.ids for group in candidates]
        options = self._first_options(
            specs[0], candidates[0], availability, certified, start, stop, step
        )
        client_tz = pytz.timezone(tz_name)
        lang = get_lang(self.env)
        label_format = f"{lang.date_format} {lang.short_time_format}"
        slots = []
        for moment in sorted(options):
            lines = self._plan(
                moment, specs, candidate_ids, availability, certified, options[moment]
            )
            if lines:
                slots.append(self._slot_values(lines, client_tz, label_format))
        return slots

    @api.model
    def book(self, partner, lines, channel="website", note=None):
        """Book a visit planned by :meth:`get_available_slots`.

        :param partner: res.partner record or id, the client.
        :param lines: the ``"lines"`` of a slot: dicts with ``product_id``,
            ``employee_id``, ``start`` (naive UTC datetime or string) and
            optionally ``room_id``.
        :param channel: a beauty.appointment channel; ``"website"`` also
            requires the services to be bookable online.
        :param note: optional HTML note.
        :return: the new beauty.appointment, in draft (a hold to confirm).
        :raise ValidationError: when the plan is no longer offered (taken,
            outside hours, within the lead time...), when a concurrent
            transaction booked the same time first, or when the client's card
            forbids a service.
        """
        partner = (
            self.env["res.partner"]
            .browse(partner.id if isinstance(partner, models.BaseModel) else partner)
            .exists()
        )
        if not partner or not lines:
            raise UserError(self.env._("Choose a client and at least one service."))
        planned = self._parse_planned_lines(lines)
        products = self.env["product.product"].browse([line[0] for line in planned])
        self._check_products(products, online=channel == "website")
        if not self._is_offered(planned):
            raise ValidationError(
                self.env._(
                    "This time is no longer available. Please choose another slot."
                )
            )
        return self.env["beauty.appointment"].create(
            {
                "partner_id": partner.id,
                "channel": channel,
                "note": note,
                "line_ids": [
                    (
                        0,
                        0,
                        {
                            "product_id": product_id,
                            "employee_id": employee_id,
                            "start": start,
                            "stop": stop,
                            "room_id": room_id,
                        },
                    )
                    for product_id, employee_id, start, stop, room_id in planned
                ],
            }
        )

    @api.model
    def check_lines(self, lines):
        """Raise a ValidationError naming the first rule a booked service
        line breaks: a salon service done by a qualified specialist of the
        branch with a valid certification, no two services at once for one
        specialist, inside working hours and outside time off (a salon
        manager may book overtime), and no allergy or contraindication of the
        client unless a specialist recorded an override reason. Overlaps with
        other appointments are checked when the busy time is written (see
        :meth:`_write_blocks`)."""
        lines = lines.filtered(lambda line: line.appointment_id.state in ACTIVE_STATES)
        for line in lines:
            self._check_line_service(line)
        self._check_same_specialist(lines)
        if not self.env.user.has_group(MANAGER_GROUP):
            self._check_working_hours(lines)
        self._check_contraindications(lines)

    # ------------------------------------------------------------------
    # Input checks
    # ------------------------------------------------------------------

    def _check_products(self, products, online=False):
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

    def _check_tz(self, tz, candidates):
        tz = tz or self.env.context.get("tz") or self.env.user.tz
        if not tz:
            first = next((group[0] for group in candidates if group), None)
            tz = first.resource_id.tz if first else "UTC"
        if tz not in pytz.all_timezones_set:
            raise UserError(self.env._("Unknown time zone %(tz)s.", tz=tz))
        return tz

    def _to_utc(self, value, tz_name, is_end):
        if isinstance(value, str):
            try:
                value = (
                    date.fromisoformat(value)
                    if len(value) == 10
                    else fields.Datetime.to_datetime(value)
                )
            except ValueError:
                raise UserError(
                    self.env._("%(value)s is not a date.", value=value)
                ) from None
        if isinstance(value, datetime):
            if value.tzinfo:
                return value.astimezone(pytz.utc).replace(tzinfo=None)
            return value
        if isinstance(value, date):
            day = value + timedelta(days=1) if is_end else value
            local = pytz.timezone(tz_name).localize(
                datetime(day.year, day.month, day.day)
            )
            return local.astimezone(pytz.utc).replace(tzinfo=None)
        raise UserError(self.env._("Give the search dates as dates or datetimes."))

    def _check_range(self, date_from, date_to, tz_name):
        start = self._to_utc(date_from, tz_name, is_end=False)
        stop = self._to_utc(date_to, tz_name, is_end=True)
        if stop <= start:
            raise UserError(
                self.env._("The end of the search must come after its start.")
            )
        if stop - start > timedelta(days=MAX_SEARCH_DAYS):
            raise UserError(
                self.env._(
                    "Search at most %(days)s days at a time.", days=MAX_SEARCH_DAYS
                )
            )
        return start, stop

    def _check_step(self, step):
        if step is None:
            step = (
                self.env["ir.config_parameter"]
                .sudo()
                .get_param(STEP_PARAMETER, DEFAULT_STEP_MINUTES)
            )
        try:
            step = int(step)
        except (TypeError, ValueError):
            step = 0
        if not 5 <= step <= 240:
            raise UserError(
                self.env._("The slot step must be between 5 and 240 minutes.")
            )
        return timedelta(minutes=step)

    def _get_candidates(self, products, employee):
        """Per product (in order), the specialists able to do it, in a stable
        order. Specialists and their calendars are HR data the front desk and
        the website cannot read; the engine reads them as superuser and only
        returns free times."""
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

    def _parse_planned_lines(self, lines):
        planned = []
        try:
            for line in lines:
                product = self.env["product.product"].browse(int(line["product_id"]))
                start = fields.Datetime.to_datetime(line["start"])
                if not product.exists() or not start:
                    raise ValueError
                stop = start + timedelta(hours=product.service_duration)
                planned.append(
                    (
                        product.id,
                        int(line["employee_id"]),
                        start,
                        stop,
                        int(line.get("room_id") or 0) or False,
                    )
                )
        except (KeyError, TypeError, ValueError):
            raise UserError(self.env._("This visit plan is not valid.")) from None
        return planned

    # ------------------------------------------------------------------
    # Availability
    # ------------------------------------------------------------------

    def _service_spec(self, product):
        tmpl = product.product_tmpl_id.sudo()
        return {
            "product": product,
            "duration": timedelta(hours=tmpl.service_duration),
            "offsets": tmpl._get_specialist_offsets(),
            "room_ids": tmpl.room_ids.ids,
            "skill_id": tmpl.certification_skill_id.id,
        }

    def _work_intervals(self, employees, start, stop):
        """Merged working time (attendances minus time off and public
        holidays) of each employee, in naive UTC."""
        result = {}
        start_utc, stop_utc = pytz.utc.localize(start), pytz.utc.localize(stop)
        for calendar in employees.resource_calendar_id:
            group = employees.filtered(
                lambda emp, cal=calendar: emp.resource_calendar_id == cal
            )
            intervals = calendar._work_intervals_batch(
                start_utc, stop_utc, resources=group.resource_id
            )
            for emp in group:
                result[emp.id] = _merge(
                    (
                        begin.astimezone(pytz.utc).replace(tzinfo=None),
                        end.astimezone(pytz.utc).replace(tzinfo=None),
                    )
                    for begin, end, _attendance in intervals[emp.resource_id.id]
                )
        return result

    def _busy_intervals(self, resource_ids, start, stop, exclude_appointment_ids=()):
        """Merged busy time per resource id within [start, stop): one range
        query answered by the GiST index of the exclusion constraint."""
        self.env["beauty.resource.block"].flush_model()
        self.env.cr.execute(
            SQL(
                """SELECT resource_id, start, stop FROM beauty_resource_block
                    WHERE active
                      AND tsrange(start, stop) && tsrange(%s, %s)
                      AND resource_id = ANY(%s)
                      AND appointment_id != ALL(%s)""",
                start,
                stop,
                list(resource_ids),
                list(exclude_appointment_ids),
            )
        )
        busy = defaultdict(list)
        for resource_id, begin, end in self.env.cr.fetchall():
            busy[resource_id].append((begin, end))
        return {key: _merge(value) for key, value in busy.items()}

    def _load_availability(
        self, employees, rooms, start, stop, exclude_appointment_ids=()
    ):
        work = self._work_intervals(employees, start, stop)
        busy = self._busy_intervals(
            employees.resource_id.ids + rooms.ids, start, stop, exclude_appointment_ids
        )
        free = {
            emp.id: _subtract(work.get(emp.id, []), busy.get(emp.resource_id.id, []))
            for emp in employees
        }
        return _Availability(free, {room.id: busy.get(room.id, []) for room in rooms})

    def _certification_checker(self, employees):
        """A function (employee_id, skill_id, utc datetime) -> bool."""
        expiry = defaultdict(dict)
        for employee_skill in employees.sudo().employee_skill_ids:
            known = expiry[employee_skill.employee_id.id]
            current = known.get(employee_skill.skill_id.id, date.min)
            new = employee_skill.expiry_date or date.max
            known[employee_skill.skill_id.id] = max(current, new)
        tz_by_employee = {
            emp.id: pytz.timezone(emp.resource_id.tz or "UTC") for emp in employees
        }

        def certified(employee_id, skill_id, moment):
            if not skill_id:
                return True
            until = expiry[employee_id].get(skill_id)
            if not until:
                return False
            day = (
                pytz.utc.localize(moment).astimezone(tz_by_employee[employee_id]).date()
            )
            return until >= day

        return certified

    def _first_options(
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
            align = grids.get(zone) or grids.setdefault(zone, self._grid(zone, step))
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

    def _grid(self, zone, step):
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

    def _plan(self, moment, specs, candidate_ids, availability, certified, first_ids):
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

    def _slot_values(self, lines, client_tz, label_format):
        start = lines[0]["start"]
        local = pytz.utc.localize(start).astimezone(client_tz)
        return {
            "start": start,
            "stop": lines[-1]["stop"],
            "tz": client_tz.zone,
            "local_start": local.isoformat(),
            "date": local.date().isoformat(),
            "time": local.strftime("%H:%M"),
            "label": local.strftime(label_format),
            "lines": lines,
        }

    def _is_offered(self, planned):
        """Whether the engine would offer exactly this plan now."""
        products = self.env["product.product"].browse([line[0] for line in planned])
        lead = timedelta(hours=max(products.mapped("min_lead_time")))
        if planned[0][2] < fields.Datetime.now() + lead:
            return False
        specs = [self._service_spec(product) for product in products]
        employees = (
            self.env["hr.employee"]
            .sudo()
            .browse([line[1] for line in planned])
            .exists()
        )
        rooms = (
            self.env["resource.resource"]
            .browse([line[4] for line in planned if line[4]])
            .exists()
        )
        margin = timedelta(hours=8)
        availability = self._load_availability(
            employees, rooms, planned[0][2] - margin, planned[-1][3] + margin
        )
        certified = self._certification_checker(employees)
        candidates = self._get_candidates(products, None)
        for spec, able, (_product, employee_id, start, stop, room_id) in zip(
            specs, candidates, planned, strict=True
        ):
            busy = [
                (start + begin, start + finish) for begin, finish in spec["offsets"]
            ]
            if (
                employee_id not in able.ids
                or not certified(employee_id, spec["skill_id"], start)
                or not availability.employee_fits(employee_id, busy)
                or bool(spec["room_ids"]) != bool(room_id)
                or (room_id and room_id not in spec["room_ids"])
                or (room_id and not availability.room_free(room_id, start, stop))
            ):
                return False
        return True

    # ------------------------------------------------------------------
    # Rules of a booked line
    # ------------------------------------------------------------------

    def _format(self, moment):
        tz = self.env.context.get("tz") or self.env.user.tz or "UTC"
        return format_datetime(self.env, moment, tz=tz, dt_format=False)

    def _check_line_service(self, line):
        tmpl = line.product_id.product_tmpl_id.sudo()
        employee = line.employee_id.sudo()
        if not tmpl.is_salon_service:
            raise ValidationError(
                self.env._("%(name)s is not a salon service.", name=tmpl.display_name)
            )
        if not employee.is_specialist or (
            tmpl.specialist_ids and employee not in tmpl.specialist_ids
        ):
            raise ValidationError(
                self.env._(
                    "%(employee)s does not perform %(service)s.",
                    employee=employee.name,
                    service=tmpl.display_name,
                )
            )
        if employee.company_id != line.appointment_id.company_id:
            raise ValidationError(
                self.env._(
                    "%(employee)s works in %(branch)s, not in %(appointment_branch)s.",
                    employee=employee.name,
                    branch=employee.company_id.name,
                    appointment_branch=line.appointment_id.company_id.name,
                )
            )
        certified = self._certification_checker(employee)
        if not certified(employee.id, tmpl.certification_skill_id.id, line.start):
            raise ValidationError(
                self.env._(
                    "%(employee)s has no valid %(certification)s certification on "
                    "%(date)s, required for %(service)s.",
                    employee=employee.name,
                    certification=tmpl.certification_skill_id.name,
                    date=self._format(line.start),
                    service=tmpl.display_name,
                )
            )
        if tmpl.room_ids and line.room_id not in tmpl.room_ids:
            raise ValidationError(
                self.env._(
                    "%(service)s needs one of these rooms or devices: %(rooms)s.",
                    service=tmpl.display_name,
                    rooms=", ".join(tmpl.room_ids.mapped("name")),
                )
            )

    def _check_same_specialist(self, lines):
        for appointment in lines.appointment_id:
            by_employee = defaultdict(list)
            for line in appointment.line_ids:
                by_employee[line.employee_id].append(line)
            for employee, own in by_employee.items():
                own.sort(key=lambda line: line.start)
                for previous, line in itertools.pairwise(own):
                    if line.start < previous.stop:
                        raise ValidationError(
                            self.env._(
                                "%(employee)s cannot do %(first)s and %(second)s at "
                                "the same time.",
                                employee=employee.name,
                                first=previous.product_id.display_name,
                                second=line.product_id.display_name,
                            )
                        )

    def _check_working_hours(self, lines):
        if not lines:
            return
        employees = lines.employee_id.sudo()
        start = min(lines.mapped("start")) - timedelta(hours=5)
        stop = max(lines.mapped("stop")) + timedelta(hours=5)
        availability = _Availability(self._work_intervals(employees, start, stop), {})
        for line in lines:
            busy = line._get_specialist_intervals()
            if not availability.employee_fits(line.employee_id.id, busy):
                raise ValidationError(
                    self.env._(
                        "%(employee)s does not work from %(start)s to %(stop)s "
                        "(outside working hours, a break or time off). Only a salon "
                        "manager can book outside working hours.",
                        employee=line.employee_id.name,
                        start=self._format(busy[0][0]),
                        stop=self._format(busy[-1][1]),
                    )
                )

    def _check_contraindications(self, lines):
        for line in lines:
            reasons = line._get_contraindication_reasons()
            if reasons and not line.sudo().contraindication_override:
                raise ValidationError(
                    self.env._(
                        "%(client)s cannot have %(service)s: %(reasons)s. A specialist "
                        "or manager may book it anyway by writing an override reason.",
                        client=line.appointment_id.partner_id.name,
                        service=line.product_id.display_name,
                        reasons=", ".join(reasons),
                    )
                )

    # ------------------------------------------------------------------
    # Busy time of booked appointments
    # ------------------------------------------------------------------

    def _prepare_blocks(self, appointments):
        """beauty.resource.block values for appointments: per resource, the
        union of the busy parts of their lines (so consecutive services of one
        visit by the same specialist share the buffers between them)."""
        vals_list = []
        for appointment in appointments:
            parts = defaultdict(list)
            for line in appointment.line_ids.sorted("start"):
                for begin, end in line._get_specialist_intervals():
                    parts[(line.employee_id.resource_id.id, "specialist")].append(
                        (begin, end, line.id)
                    )
                if line.room_id:
                    parts[(line.room_id.id, "room")].append(
                        (line.start, line.stop, line.id)
                    )
            for (resource_id, kind), intervals in parts.items():
                intervals.sort()
                for begin, end in _merge(
                    (begin, end) for begin, end, _line in intervals
                ):
                    line_id = next(
                        line for start, _end, line in intervals if begin <= start < end
                    )
                    vals_list.append(
                        {
                            "appointment_id": appointment.id,
                            "appointment_line_id": line_id,
                            "resource_id": resource_id,
                            "kind": kind,
                            "start": begin,
                            "stop": end,
                            "active": appointment.state in ACTIVE_STATES,
                        }
                    )
        return vals_list

    def _find_conflict(self, appointments, vals_list):
        """The first active block of another appointment overlapping the
        active blocks in ``vals_list``: (values, block record) or None. One
        query for the whole batch."""
        wanted = [vals for vals in vals_list if vals["active"]]
        if not wanted:
            return None
        self.env["beauty.resource.block"].flush_model()
        rows = SQL(", ").join(
            SQL(
                "(%s, %s, %s::timestamp, %s::timestamp)",
                index,
                vals["resource_id"],
                vals["start"],
                vals["stop"],
            )
            for index, vals in enumerate(wanted)
        )
        self.env.cr.execute(
            SQL(
                """SELECT wanted.idx, block.id
                     FROM (VALUES %s) AS wanted(idx, resource_id, start, stop)
                     JOIN beauty_resource_block block
                       ON block.active
                      AND block.resource_id = wanted.resource_id
                      AND tsrange(block.start, block.stop)
                          && tsrange(wanted.start, wanted.stop)
                    WHERE block.appointment_id != ALL(%s)
                 ORDER BY wanted.idx, block.start
                    LIMIT 1""",
                rows,
                appointments.ids,
            )
        )
        row = self.env.cr.fetchone()
        if not row:
            return None
        return wanted[row[0]], self.env["beauty.resource.block"].sudo().browse(row[1])

    def _conflict_message(self, vals, block):
        resource = self.env["resource.resource"].sudo().browse(vals["resource_id"])
        other = block.appointment_id
        return self.env._(
            "%(resource)s is already booked from %(start)s to %(stop)s (%(client)s, "
            "%(service)s, %(reference)s). Please choose another time.",
            resource=resource.name,
            start=self._format(block.start),
            stop=self._format(block.stop),
            client=other.partner_id.name,
            service=block.appointment_line_id.product_id.display_name
            or ", ".join(other.line_ids.product_id.mapped("display_name")),
            reference=other.name,
        )

    def _write_blocks(self, appointments):
        """Replace the busy time of ``appointments`` by what their lines and
        states need. Python names a conflict first; the exclusion constraint
        settles what Python cannot see (a concurrent transaction)."""
        appointments = appointments.exists()
        if not appointments:
            return
        Block = self.env["beauty.resource.block"].sudo()
        vals_list = self._prepare_blocks(appointments)
        existing = Block.with_context(active_test=False).search(
            [("appointment_id", "in", appointments.ids)]
        )
        key = ("appointment_id", "resource_id", "kind", "start", "stop", "active")
        if sorted(tuple(vals[name] for name in key) for vals in vals_list) == sorted(
            (
                block.appointment_id.id,
                block.resource_id.id,
                block.kind,
                block.start,
                block.stop,
                block.active,
            )
            for block in existing
        ):
            return
        conflict = self._find_conflict(appointments, vals_list)
        if conflict:
            raise ValidationError(self._conflict_message(*conflict))
        # Blocks are system rows, written in SQL: the front desk and the website
        # only change them through appointments, and a refusal by the exclusion
        # constraint is an expected outcome under concurrency, not an error to
        # log (the ORM would log it as a bad query).
        company = {
            appointment.id: appointment.company_id.id for appointment in appointments
        }
        rows = SQL(", ").join(
            SQL(
                "(%s, %s, %s, %s, %s::timestamp, %s::timestamp, %s, %s, %s, %s,"
                " now() at time zone 'UTC', now() at time zone 'UTC')",
                vals["appointment_id"],
                vals["appointment_line_id"],
                vals["resource_id"],
                vals["kind"],
                vals["start"],
                vals["stop"],
                vals["active"],
                company[vals["appointment_id"]],
                self.env.uid,
                self.env.uid,
            )
            for vals in vals_list
        )
        try:
            with self.env.cr.savepoint():
                self.env.cr.execute(
                    SQL(
                        "DELETE FROM beauty_resource_block"
                        " WHERE appointment_id = ANY(%s)",
                        appointments.ids,
                    )
                )
                if vals_list:
                    self.env.cr.execute(
                        SQL(
                            """INSERT INTO beauty_resource_block
                                   (appointment_id, appointment_line_id, resource_id,
                                    kind, start, stop, active, company_id, create_uid,
                                    write_uid, create_date, write_date)
                                   VALUES %s""",
                            rows,
                        ),
                        log_exceptions=False,
                    )
        except psycopg2.errors.ExclusionViolation:
            raise ValidationError(
                self.env._(
                    "This time was booked by someone else a moment ago. Please "
                    "choose another time."
                )
            ) from None
        finally:
            Block.invalidate_model()
