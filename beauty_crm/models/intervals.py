"""Interval arithmetic of the availability engine: plain Python, no Odoo,
so that it can be tested and measured without a database."""

import bisect
from datetime import datetime, timedelta

import pytz

EPOCH = datetime(1970, 1, 1)
MICROSECOND = timedelta(microseconds=1)
HOUR = 3_600_000_000
DAY = 24 * HOUR


def merge(intervals):
    """Sorted union of (start, stop) pairs; touching intervals are joined."""
    merged = []
    for start, stop in sorted(intervals):
        if merged and start <= merged[-1][1]:
            if stop > merged[-1][1]:
                merged[-1] = (merged[-1][0], stop)
        else:
            merged.append((start, stop))
    return merged


def subtract(free, busy):
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


class Availability:
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


def to_micro(value):
    """Microseconds of a timedelta, or since 1970 of a naive datetime: exact
    integers (datetimes and timedeltas have microsecond resolution)."""
    if isinstance(value, timedelta):
        return value // MICROSECOND
    return (value - EPOCH) // MICROSECOND


def from_micro(value):
    """The naive datetime ``value`` microseconds after 1970."""
    return EPOCH + timedelta(microseconds=value)


def progression_within(first, last, step, allowed, allowed_stops):
    """The parts of the progression ``first, first + step, ... <= last``
    inside the closed intervals ``allowed`` (sorted, disjoint), as
    ``(first, last)`` pairs whose ``first`` is on the progression.
    ``allowed_stops`` are the ends of ``allowed``, for bisect."""
    result = []
    index = bisect.bisect_left(allowed_stops, first)
    while index < len(allowed) and allowed[index][0] <= last:
        low, high = allowed[index]
        begin = first if low <= first else first - (first - low) // step * step
        end = min(high, last)
        if begin <= end:
            result.append((begin, end))
        index += 1
    return result


class LocalGrid:
    """Rounds instants (microseconds since 1970, UTC) up to the next multiple
    of ``step`` microseconds on the local clock of time zone ``zone``, counted
    from local midnight, so that starts stay on :00, :15... across DST
    changes. The UTC offset is the one at the start of the instant's UTC
    hour, cached per hour."""

    def __init__(self, zone, step):
        self.tz = pytz.timezone(zone)
        self.step = step
        self.offsets = {}

    def align(self, moment):
        hour = moment - moment % HOUR
        offset = self.offsets.get(hour)
        if offset is None:
            local = pytz.utc.localize(from_micro(hour)).astimezone(self.tz)
            offset = self.offsets[hour] = to_micro(local.utcoffset())
        since_midnight = (moment + offset) % DAY
        return moment + -since_midnight % self.step


def clip(intervals, low, high):
    """The parts of the sorted, disjoint ``intervals`` within [low, high],
    empty ones left out."""
    index = bisect.bisect_right(intervals, (low, low))
    if index and intervals[index - 1][1] > low:
        index -= 1
    result = []
    for start, stop in intervals[index:]:
        if start >= high:
            break
        start, stop = max(start, low), min(stop, high)
        if start < stop:
            result.append((start, stop))
    return result


class UtcOffsets:
    """The UTC offset (microseconds) of time zone ``zone`` at an instant
    (microseconds since 1970, UTC), exact: cached per UTC hour when the
    offset is the same at its first and its last microsecond (no zone
    changes its offset twice within an hour), else computed for the
    instant."""

    def __init__(self, zone):
        self.tz = pytz.timezone(zone)
        self.hours = {}

    def exact(self, moment):
        local = pytz.utc.localize(from_micro(moment)).astimezone(self.tz)
        return to_micro(local.utcoffset())

    def at(self, moment):
        hour = moment - moment % HOUR
        offset = self.hours.get(hour)
        if offset is None:
            first = self.exact(hour)
            offset = self.hours[hour] = (
                first if first == self.exact(hour + HOUR - 1) else False
            )
        return self.exact(moment) if offset is False else offset
