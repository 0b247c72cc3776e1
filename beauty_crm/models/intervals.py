"""Interval arithmetic of the availability engine: plain Python, no Odoo,
so that it can be tested and measured without a database."""

import bisect


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
