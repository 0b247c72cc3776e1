"""Interval arithmetic of the availability engine: plain Python, no Odoo,
so that it can be tested and measured without a database."""

import bisect
import itertools
import operator
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


def sorted_disjoint(starts, stops):
    """The non-empty intervals ``zip(starts, stops)`` sorted and none
    overlapping the next: as they are when each ends at or before the next
    starts (which implies both; touching ones stay apart, which
    :func:`subtract` and :meth:`Availability.room_free` accept), else sorted
    and, when two overlap, merged. The checks and the sort run at C speed,
    unlike :func:`merge`, so that the database need not sort them."""
    intervals = list(zip(starts, stops, strict=True))
    if all(map(operator.le, stops, starts[1:])):
        return intervals
    intervals.sort()
    starts, stops = zip(*intervals, strict=True)
    if all(map(operator.le, stops, starts[1:])):
        return intervals
    return merge(intervals)


def subtract(free, busy):
    """Parts of the merged intervals ``free`` not covered by ``busy``
    (sorted, none overlapping the next; merged or only touching):
    each free interval meets the gaps between busy intervals found by
    bisection, so the Python work follows the free intervals, not the busy
    ones."""
    if not busy or not free:
        return list(free)
    low, high = free[0][0], free[-1][1]
    gaps = [(low, busy[0][0])] if low < busy[0][0] else []
    gaps += [
        (stop, start)
        for (_begin, stop), (start, _end) in itertools.pairwise(busy)
        if stop < start
    ]
    if busy[-1][1] < high:
        gaps.append((busy[-1][1], high))
    starts = [start for start, _stop in gaps]
    stops = [stop for _start, stop in gaps]
    result = []
    for start, stop in free:
        first = bisect.bisect_right(stops, start)
        last = bisect.bisect_left(starts, stop)
        if first < last:
            parts = gaps[first:last]
            if parts[0][0] < start:
                parts[0] = (start, parts[0][1])
            if parts[-1][1] > stop:
                parts[-1] = (parts[-1][0], stop)
            result += parts
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


def aligned_runs(free, lead, trail, low, high, offset, step):
    """The starts of a service in the free intervals ``free`` (sorted,
    disjoint) as ``(first, last)`` pairs: a start ``t`` needs
    ``[t - lead, t + trail]`` free, lies in [low, high] and is on the
    ``step`` grid of a local clock ``offset`` microseconds from UTC, counted
    from local midnight (``first`` is on it; what :meth:`LocalGrid.align`
    gives for a zone whose offset does not change). Only the first and the
    last intervals can meet the ends of the window: the others are read by
    one comprehension without ``max`` and ``min``."""
    count = len(free)
    begin, end = 0, count
    while begin < count and free[begin][0] - lead < low:
        begin += 1
    while end > begin and free[end - 1][1] - trail > high:
        end -= 1
    shift = lead - offset
    head, tail = [], []
    for runs, indexes in ((head, range(begin)), (tail, range(end, count))):
        for index in indexes:
            moment = max(low, free[index][0] - lead)
            first = moment + -((moment + offset) % DAY) % step
            last = min(high, free[index][1] - trail)
            if first <= last:
                runs.append((first, last))
    body = [
        (first, last)
        for free_start, free_stop in free[begin:end]
        if (first := free_start - lead + -((free_start - shift) % DAY) % step)
        <= (last := free_stop - trail)
    ]
    return head + body + tail


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

    def constant_offset(self, low, high):
        """The UTC offset (microseconds) :meth:`align` uses for every
        instant of [low, high] when it is the same for all of them, else
        None: the zone changes its offset at none of pytz's transitions
        from the start of the UTC hour of ``low`` to ``high``."""
        hour = low - low % HOUR
        transitions = getattr(self.tz, "_utc_transition_times", None)
        if transitions is not None:
            index = bisect.bisect_right(transitions, from_micro(hour))
            if index != bisect.bisect_right(transitions, from_micro(high)):
                return None
        local = pytz.utc.localize(from_micro(hour)).astimezone(self.tz)
        return to_micro(local.utcoffset())

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


# {zone name: (UTC instants of its offset changes, the offsets from each)},
# in microseconds, from pytz's own tables (which do not change while the
# server runs).
_TRANSITIONS = {}


def zone_transitions(zone):
    """(instants, offsets): the UTC offset of ``zone`` from ``instants[i]``
    on is ``offsets[i]`` (microseconds); what pytz's ``fromutc`` does."""
    known = _TRANSITIONS.get(zone)
    if known is None:
        tz = pytz.timezone(zone)
        times = getattr(tz, "_utc_transition_times", None)
        if times is None:  # a fixed offset
            offset = pytz.utc.localize(EPOCH).astimezone(tz).utcoffset()
            known = ([], [to_micro(offset)])
        else:
            known = (
                [to_micro(moment) for moment in times[1:]],
                [to_micro(info[0]) for info in tz._transition_info],
            )
        _TRANSITIONS[zone] = known
    return known


class UtcOffsets:
    """The UTC offset (microseconds) of time zone ``zone`` at an instant
    (microseconds since 1970, UTC), as pytz gives it, by bisection of the
    zone's transitions."""

    def __init__(self, zone):
        self.instants, self.offsets = zone_transitions(zone)

    def at(self, moment):
        return self.offsets[bisect.bisect_right(self.instants, moment)]
