from datetime import timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression

from .intervals import merge, subtract

# The journal asks for the days around the visible window; a month with its
# margins stays under this. Wider windows (a year) get their lanes unshaded.
MAX_SHADED_DAYS = 100
LANE_FIELDS = ("employee_id", "room_id")


def _company_part(domain):
    """The part of a search domain that speaks of the branch (``company_id``),
    every other condition made true, so that the same branches can be asked of
    the specialists or the rooms. Conditions are only ever dropped, so the
    result never hides a lane the domain keeps."""

    def parse(tokens):
        token = tokens.pop(0)
        if token in (expression.AND_OPERATOR, expression.OR_OPERATOR):
            left, right = parse(tokens), parse(tokens)
            if left is None and right is None:
                return None
            if token == expression.OR_OPERATOR and (left is None or right is None):
                return None
            if left is None or right is None:
                return left or right
            return [token, *left, *right]
        if token == expression.NOT_OPERATOR:
            inner = parse(tokens)
            return None if inner is None else [token, *inner]
        if expression.is_leaf(token) and str(token[0]).split(".")[0] == "company_id":
            return [tuple(token)]
        return None

    tokens = list(expression.normalize_domain(domain or []))
    return parse(tokens) or []


class BeautyAppointmentLine(models.Model):
    """The day journal's lanes and shading, read in one call for the days
    around the visible window."""

    _inherit = "beauty.appointment.line"

    @api.model
    def get_journal_lanes(self, group_by, start, stop, domain=None):
        """Lanes of the journal and the time they cannot be booked.

        :param group_by: ``employee_id`` (a lane per specialist) or
            ``room_id`` (a lane per room or device)
        :param start, stop: the UTC window, as ``YYYY-MM-DD HH:MM:SS``
        :param domain: the journal's search domain; its branch conditions
            choose the lanes
        :return: ``{"lanes": [{"id", "content"}], "off": [{"group", "start",
            "end", "kind"}]}`` where kind is ``off`` (outside working hours or
            a break) or ``leave`` (time off or a public holiday), UTC strings
        """
        if group_by not in LANE_FIELDS:
            return {"lanes": [], "off": []}
        try:
            start = fields.Datetime.to_datetime(start)
            stop = fields.Datetime.to_datetime(stop)
        except (TypeError, ValueError) as error:
            raise UserError(
                self.env._("The journal's window is not a date.")
            ) from error
        if not start or not stop or stop <= start:
            raise UserError(
                self.env._("The journal's window must end after it starts.")
            )
        branches = _company_part(domain) if isinstance(domain, list) else []
        branches = expression.AND(
            [branches, [("company_id", "in", [*self.env.companies.ids, False])]]
        )
        if group_by == "room_id":
            rooms = self.env["resource.resource"].search(
                expression.AND([[("resource_type", "=", "material")], branches]),
                order="name, id",
            )
            # Rooms and devices are free whenever no visit holds them: the
            # engine gives them no working hours, so their lanes are not shaded.
            return {
                "lanes": [{"id": room.id, "content": room.name} for room in rooms],
                "off": [],
            }
        specialists = self.env["hr.employee"].search(
            expression.AND([[("is_specialist", "=", True)], branches]),
            order="name, id",
        )
        return {
            "lanes": [
                {"id": specialist.id, "content": specialist.name}
                for specialist in specialists
            ],
            "off": self._journal_off_time(specialists.sudo(), start, stop)
            if stop - start <= timedelta(days=MAX_SHADED_DAYS)
            else [],
        }

    @api.model
    def _journal_off_time(self, specialists, start, stop):
        """Background items of the specialists' lanes: the time outside their
        attendances (nights, days off, breaks) and their time off, merged,
        the same calendars the engine books against."""
        items = []
        start_utc, stop_utc = pytz.utc.localize(start), pytz.utc.localize(stop)

        def naive(intervals):
            return merge(
                (
                    begin.astimezone(pytz.utc).replace(tzinfo=None),
                    end.astimezone(pytz.utc).replace(tzinfo=None),
                )
                for begin, end, _record in intervals
            )

        def add(group, kind, intervals):
            items.extend(
                {
                    "group": group,
                    "start": fields.Datetime.to_string(begin),
                    "end": fields.Datetime.to_string(end),
                    "kind": kind,
                }
                for begin, end in intervals
            )

        for specialist in specialists.filtered(
            lambda emp: not emp.resource_calendar_id
        ):
            add(specialist.id, "off", [(start, stop)])
        for calendar in specialists.resource_calendar_id:
            group = specialists.filtered(
                lambda emp, cal=calendar: emp.resource_calendar_id == cal
            )
            resources = group.resource_id
            attendances = calendar._attendance_intervals_batch(
                start_utc, stop_utc, resources=resources
            )
            work = calendar._work_intervals_batch(
                start_utc, stop_utc, resources=resources
            )
            for specialist in group:
                present = naive(attendances[specialist.resource_id.id])
                working = naive(work[specialist.resource_id.id])
                add(specialist.id, "off", subtract([(start, stop)], present))
                add(specialist.id, "leave", subtract(present, working))
        return items
