import itertools
from collections import defaultdict
from datetime import date, datetime, timedelta

import pytz

from odoo import fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_datetime

from .beauty_scheduler import (
    DEFAULT_STEP_MINUTES,
    MAX_SEARCH_DAYS,
    STEP_PARAMETER,
)
from .intervals import Availability

# What the slot search reads of a service, fetched at once.
SERVICE_FIELDS = [
    "is_salon_service",
    "is_bookable_online",
    "min_lead_time",
    "service_duration",
    "buffer_before",
    "buffer_after",
    "processing_gap_start",
    "processing_gap_duration",
    "certification_skill_id",
]
EMPLOYEE_FIELDS = [
    "active",
    "name",
    "is_specialist",
    "company_id",
    "resource_id",
    "resource_calendar_id",
]


class BeautyScheduler(models.AbstractModel):
    _inherit = "beauty.scheduler"

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
        # One query for the products (the user's rights apply), one for the
        # template fields the search reads.
        found = (
            self.env["product.product"]
            .with_context(active_test=False)
            .search_fetch([("id", "in", ids)], ["product_tmpl_id"])
        )
        if len(found) != len(set(ids)):
            raise UserError(self.env._("Unknown service."))
        found.product_tmpl_id.fetch(SERVICE_FIELDS)
        products = self.env["product.product"].browse(ids)
        self._check_service_flags(products, online)
        return products

    def _check_service_flags(self, products, online):
        """Salon services only, and bookable online when ``online``."""
        for product in products:
            tmpl = product.product_tmpl_id
            if not tmpl.is_salon_service:
                raise UserError(
                    self.env._(
                        "%(name)s is not a salon service.", name=product.display_name
                    )
                )
            if online and not tmpl.is_bookable_online:
                raise UserError(
                    self.env._(
                        "%(name)s cannot be booked online; please call the salon.",
                        name=product.display_name,
                    )
                )

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
            employee.fetch(EMPLOYEE_FIELDS)
            if (
                not employee
                or not employee.is_specialist
                or employee.company_id != company
            ):
                raise UserError(self.env._("Unknown specialist."))
        specialists = employee or Employee.search_fetch(
            [("is_specialist", "=", True), ("company_id", "=", company.id)],
            ["active", "resource_id", "resource_calendar_id"],
            order="name, id",
        )
        # The engine reads each specialist's time zone and calendar only.
        specialists.resource_id.fetch(["tz", "calendar_id"])
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
        availability = Availability(self._work_intervals(employees, start, stop), {})
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
