import itertools
from collections import defaultdict
from datetime import date, datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .beauty_appointment import ACTIVE_STATES
from .booking_errors import SlotTakenError
from .intervals import (
    DAY,
    Availability,
    LocalGrid,
    aligned_runs,
    from_micro,
    merge,
    progression_within,
    subtract,
    to_micro,
)

MAX_SEARCH_DAYS = 62
DEFAULT_STEP_MINUTES = 15
STEP_PARAMETER = "beauty_crm.slot_step_minutes"
MANAGER_GROUP = "beauty_crm.group_beauty_manager"


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
        exclude_appointment=None,
        skip_resource_ids=(),
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
        :param exclude_appointment: beauty.appointment being moved: its own
            busy time does not count, so it may move to an overlapping time.
        :param skip_resource_ids: resource.resource ids (specialists, rooms)
            to treat as busy all along, e.g. the ones a concurrent booking
            just took (see :meth:`book_online`).
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
        products = self._engine_products(products, online=online)
        employee_id = self._engine_employee_id(employee)
        # The template's field, in the cache already (the variant's is a
        # delegated copy, computed again for each search).
        lead = timedelta(
            hours=max(product.product_tmpl_id.min_lead_time for product in products)
        )
        now = fields.Datetime.now()
        margin, total = self._engine_margins(products)
        # With the client's zone known, the window is known before the
        # specialists are: their busy time comes in the same query.
        early = self._engine_window(tz, date_from, date_to, step, now + lead)
        data = self._engine_read(
            products.product_tmpl_id.ids,
            employee_id,
            (early[1] - margin, early[2] + total + margin)
            if early and early[1] < early[2]
            else None,
            exclude_appointment.ids if exclude_appointment else (),
        )
        specs = self._engine_specs(products, data)
        candidates, staff = self._engine_staff(specs, employee_id, data)
        tz_name = self._engine_tz(tz, candidates, staff)
        if early and early[0] == tz_name:
            start, stop, step = early[1:]
        else:
            start, stop = self._check_range(date_from, date_to, tz_name)
            step = self._check_step(step)
            start = max(start, now + lead)
            data["busy"] = None
        if start >= stop:
            return []
        staff = {
            emp_id: staff[emp_id]
            for emp_id in {i for group in candidates for i in group}
        }
        availability = self._load_micro_availability(
            staff,
            {room_id for spec in specs for room_id in spec["room_ids"]},
            start - margin,
            stop + total + margin,
            exclude_appointment.ids if exclude_appointment else (),
            skip_resource_ids,
            version=data["version"],
            busy=data["busy"],
        )
        expiry = data["expiry"]
        zones = {emp_id: values[2] for emp_id, values in staff.items()}
        certified = self._certification_checker(None, expiry, zones)
        choices = self._first_choices(
            specs[0],
            [(emp_id, zones[emp_id]) for emp_id in candidates[0]],
            availability,
            expiry,
            certified,
            start,
            stop,
            step,
        )
        labels = self._slot_labeller(tz_name, data["lang"])
        slots = []
        for moment in sorted(choices):
            lines = self._plan(
                moment,
                specs,
                candidates,
                availability,
                certified,
                choices[moment],
            )
            if lines:
                slots.append(labels(lines, moment))
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
            raise SlotTakenError(
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
                result[emp.id] = merge(
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
        return {key: merge(value) for key, value in busy.items()}

    def _load_availability(
        self,
        employees,
        rooms,
        start,
        stop,
        exclude_appointment_ids=(),
        skip_resource_ids=(),
    ):
        work = self._work_intervals(employees, start, stop)
        busy = self._busy_intervals(
            employees.resource_id.ids + rooms.ids, start, stop, exclude_appointment_ids
        )
        for resource_id in skip_resource_ids:
            busy[resource_id] = [(start, stop)]
        free = {
            emp.id: subtract(work.get(emp.id, []), busy.get(emp.resource_id.id, []))
            for emp in employees
        }
        return Availability(free, {room.id: busy.get(room.id, []) for room in rooms})

    def _certification_expiry(self, employees):
        """{employee id: {skill id: last valid day}} (``date.max`` for a
        certification without expiry)."""
        expiry = defaultdict(dict)
        # The skills of employee_skill_ids (its domain: active skill types)
        # as superuser, in one query.
        self.env["hr.employee.skill"].flush_model()
        self.env["hr.skill.type"].flush_model(["active"])
        self.env.cr.execute(
            SQL(
                """SELECT skill.employee_id, skill.skill_id, skill.expiry_date
                     FROM hr_employee_skill AS skill
                     JOIN hr_skill_type AS type ON type.id = skill.skill_type_id
                    WHERE type.active AND skill.employee_id = ANY(%s)""",
                employees.ids,
            )
        )
        for employee_id, skill_id, expiry_date in self.env.cr.fetchall():
            known = expiry[employee_id]
            current = known.get(skill_id, date.min)
            known[skill_id] = max(current, expiry_date or date.max)
        return expiry

    def _certification_checker(self, employees, expiry=None, zones=None):
        """A function (employee_id, skill_id, utc datetime) -> bool;
        ``zones``: {employee id: time zone name} when already known."""
        if expiry is None:
            expiry = self._certification_expiry(employees)
        if zones is None:
            zones = {emp.id: emp.resource_id.tz for emp in employees}
        tz_by_employee = {
            emp_id: pytz.timezone(zone or "UTC") for emp_id, zone in zones.items()
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

    def _first_choices(
        self, spec, employees, availability, expiry, certified, start, stop, step
    ):
        """{start: employee id} for the first service: the starts on the step
        grid of each specialist's local clock within [start, stop) where the
        specialist is certified and free for the whole service, buffers
        included, each with the first such specialist in the order of
        ``employees``. Starts are integers (microseconds since 1970, UTC), so
        that each run of free starts is one ``range`` and the specialists'
        runs are laid over each other in one ``dict`` built at C speed
        instead of a Python loop over every start of every specialist."""
        offsets = spec["offsets_micro"]
        (first_from, first_to), others = offsets[0], offsets[1:]
        start, last_start, step = to_micro(start), to_micro(stop) - 1, to_micro(step)
        grids = {}
        pairs = []
        # The last one wins: walk the specialists from the last one.
        for emp_id, zone in reversed(employees):
            zone = zone or "UTC"
            if zone not in grids:
                grid = LocalGrid(zone, step)
                grids[zone] = (grid, grid.constant_offset(start, last_start))
            grid, offset = grids[zone]
            free = availability.free.get(emp_id, [])
            if offset is None:
                runs = []
                for free_start, free_stop in free:
                    first = grid.align(max(free_start - first_from, start))
                    last = min(free_stop - first_to, last_start)
                    if first <= last:
                        runs.append((first, last))
            else:
                runs = aligned_runs(
                    free, first_from, first_to, start, last_start, offset, step
                )
            # A service with a processing gap: its other busy parts must fit.
            for begin, end in others:
                allowed = [
                    (low - begin, high - end)
                    for low, high in free
                    if low - begin <= high - end
                ]
                stops = [high for _low, high in allowed]
                runs = [
                    part
                    for first, last in runs
                    for part in progression_within(first, last, step, allowed, stops)
                ]
            starts = self._certified_starts(
                emp_id, spec["skill_id"], runs, step, expiry, certified
            )
            pairs.append(
                zip(itertools.chain.from_iterable(starts), itertools.repeat(emp_id))
            )
        # One dict of every start of every specialist, built at C speed; the
        # last one of a start wins.
        return dict(itertools.chain.from_iterable(pairs))

    def _certified_starts(self, employee_id, skill_id, runs, step, expiry, certified):
        """The starts of ``runs`` (``(first, last)`` pairs of microseconds, on
        a ``step`` progression) at which the specialist holds the
        certification ``skill_id``, as ranges or lists."""
        until = expiry[employee_id].get(skill_id) if skill_id else date.max
        if until is None:
            return []
        if until == date.max:
            return [range(first, last + 1, step) for first, last in runs]
        # Valid while the local date is at most ``until``. UTC offsets are
        # under a day, so every start more than a day before the local
        # midnight that ends ``until`` is valid, every start more than a day
        # after it is not, and only the ones in between need the exact check.
        midnight = to_micro(datetime.combine(until + timedelta(days=1), time.min))
        result = []
        for first, last in runs:
            result.append(range(first, min(last, midnight - DAY - 1) + 1, step))
            low = midnight - DAY
            begin = first if first >= low else first - (first - low) // step * step
            result.append(
                [
                    moment
                    for moment in range(begin, min(last, midnight + DAY) + 1, step)
                    if certified(employee_id, skill_id, from_micro(moment))
                ]
            )
        return result

    def _plan(self, moment, specs, candidate_ids, availability, certified, first_id):
        """First assignment of specialists and rooms for a visit starting at
        ``moment`` (microseconds), or None; ``availability`` in microseconds.
        ``first_id`` is the first specialist known to be free and certified
        for the first service at that moment."""
        lines = []
        for index, spec in enumerate(specs):
            end = moment + spec["duration_micro"]
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
                employee_id = first_id
            else:
                busy = [
                    (moment + begin, moment + finish)
                    for begin, finish in spec["offsets_micro"]
                ]
                skill_id = spec["skill_id"]
                employee_id = next(
                    (
                        emp_id
                        for emp_id in candidate_ids[index]
                        if availability.employee_fits(emp_id, busy)
                        and (
                            not skill_id
                            or certified(emp_id, skill_id, from_micro(moment))
                        )
                    ),
                    None,
                )
                if not employee_id:
                    return None
            begin = from_micro(moment)
            lines.append(
                {
                    "product_id": spec["product_id"],
                    "employee_id": employee_id,
                    "room_id": room_id,
                    "start": begin,
                    "stop": begin + spec["duration"],
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
