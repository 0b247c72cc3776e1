"""The engine's interval arithmetic, without a database: each function is
compared with a brute-force minute grid on random intervals."""

import itertools
import random
from datetime import datetime

import pytz

from odoo.tests import BaseCase, tagged

from ..models.intervals import (
    DAY,
    Availability,
    LocalGrid,
    UtcOffsets,
    aligned_runs,
    from_micro,
    merge,
    sorted_disjoint,
    subtract,
    to_micro,
)


def touching(rng, count, span=600):
    """Sorted intervals, none overlapping the next, some touching it."""
    result, cursor = [], rng.randrange(20)
    for _index in range(count):
        start = cursor + rng.choice([0, 0, rng.randrange(1, 40)])
        cursor = start + rng.randrange(1, 60)
        result.append((start, cursor))
    return result


def minutes(intervals):
    return {minute for start, stop in intervals for minute in range(start, stop)}


def random_intervals(rng, count, span=600):
    result = []
    for _index in range(count):
        start = rng.randrange(span)
        result.append((start, start + rng.randrange(1, 120)))
    return result


@tagged("post_install", "-at_install", "beauty_unit")
class TestIntervals(BaseCase):
    def test_merge(self):
        self.assertEqual(merge([(5, 7), (1, 3), (3, 4), (6, 9)]), [(1, 4), (5, 9)])
        self.assertEqual(merge([]), [])
        rng = random.Random(17)
        for _run in range(300):
            intervals = random_intervals(rng, rng.randrange(0, 12))
            merged = merge(intervals)
            self.assertEqual(minutes(merged), minutes(intervals))
            # Sorted, disjoint and not touching: a real union.
            for (_a, stop), (start, _b) in itertools.pairwise(merged):
                self.assertLess(stop, start)

    def test_subtract(self):
        self.assertEqual(subtract([(0, 10)], [(2, 3), (5, 12)]), [(0, 2), (3, 5)])
        self.assertEqual(subtract([(0, 10)], []), [(0, 10)])
        self.assertEqual(subtract([(0, 10)], [(0, 10)]), [])
        rng = random.Random(29)
        for _run in range(300):
            free = merge(random_intervals(rng, rng.randrange(0, 8)))
            busy = merge(random_intervals(rng, rng.randrange(0, 8)))
            result = subtract(free, busy)
            self.assertEqual(minutes(result), minutes(free) - minutes(busy))
            self.assertEqual(result, merge(result))

    def test_availability(self):
        rng = random.Random(41)
        for _run in range(200):
            free = merge(random_intervals(rng, rng.randrange(0, 8)))
            busy = merge(random_intervals(rng, rng.randrange(0, 8)))
            availability = Availability({1: free}, {7: busy})
            wanted = random_intervals(rng, rng.randrange(1, 3))
            self.assertEqual(
                availability.employee_fits(1, wanted),
                minutes(wanted) <= minutes(free),
            )
            self.assertFalse(availability.employee_fits(2, wanted))
            start, stop = wanted[0]
            self.assertEqual(
                availability.room_free(7, start, stop),
                not minutes([(start, stop)]) & minutes(busy),
            )
            self.assertTrue(availability.room_free(8, start, stop))

    def test_aligned_runs(self):
        """The starts of a service in free time, against a walk over each
        free interval from its first start that :class:`LocalGrid` aligns;
        steps that do not divide a day included."""
        minute = 60_000_000
        base = DAY * 20_000  # 2024-10-04
        rng = random.Random(61)
        for _run in range(400):
            step = rng.choice([5, 7, 15, 45, 240]) * minute
            zone = rng.choice(["UTC", "Etc/GMT-3", "Asia/Kolkata", "Asia/Kathmandu"])
            grid = LocalGrid(zone, step)
            lead, trail = rng.randrange(0, 30) * minute, rng.randrange(1, 90) * minute
            free = [
                (base + start * minute, base + stop * minute)
                for start, stop in merge(random_intervals(rng, rng.randrange(8), 3000))
            ]
            low = base + rng.randrange(-200, 2000) * minute + rng.randrange(99)
            high = low + rng.randrange(0, 2000) * minute
            offset = grid.constant_offset(low, high)
            runs = aligned_runs(free, lead, trail, low, high, offset, step)
            expected = []
            for free_start, free_stop in free:
                moment = grid.align(max(low, free_start - lead))
                while moment <= high and moment + trail <= free_stop:
                    expected.append(moment)
                    moment += step
            found = [
                moment
                for first, last in runs
                for moment in range(first, last + 1, step)
            ]
            self.assertEqual(found, expected)
            for first, last in runs:
                self.assertLessEqual(first, last)

    def test_sorted_disjoint(self):
        # In order, touching: kept as they are (no merge).
        self.assertEqual(
            sorted_disjoint([1, 3, 7], [3, 5, 9]), [(1, 3), (3, 5), (7, 9)]
        )
        # Out of order: sorted; touching ones still apart.
        self.assertEqual(sorted_disjoint([7, 1], [9, 3]), [(1, 3), (7, 9)])
        self.assertEqual(
            sorted_disjoint([5, 3, 1], [7, 5, 3]), [(1, 3), (3, 5), (5, 7)]
        )
        # Overlapping: merged.
        self.assertEqual(sorted_disjoint([1, 2], [5, 3]), [(1, 5)])
        self.assertEqual(sorted_disjoint([], []), [])
        rng = random.Random(53)
        for _run in range(300):
            intervals = random_intervals(rng, rng.randrange(0, 10))
            if rng.random() < 0.5:
                intervals = touching(rng, rng.randrange(0, 10))
            result = sorted_disjoint(
                [start for start, _stop in intervals],
                [stop for _start, stop in intervals],
            )
            self.assertEqual(minutes(result), minutes(intervals))
            for (_a, stop), (start, _b) in itertools.pairwise(result):
                self.assertLessEqual(stop, start)

    def test_subtract_touching_busy(self):
        """Busy time as the database gives it: touching blocks stay apart."""
        self.assertEqual(subtract([(0, 10)], [(2, 4), (4, 6)]), [(0, 2), (6, 10)])
        rng = random.Random(59)
        for _run in range(300):
            free = merge(random_intervals(rng, rng.randrange(0, 8)))
            busy = touching(rng, rng.randrange(0, 10))
            result = subtract(free, busy)
            self.assertEqual(result, subtract(free, merge(busy)))
            self.assertEqual(minutes(result), minutes(free) - minutes(busy))

    def test_utc_offsets(self):
        """The offsets of pytz, at and around its transitions, in zones with
        DST, half-hour changes (Lord Howe), odd offsets and fixed ones."""
        rng = random.Random(61)
        for zone in (
            "Europe/Moscow",
            "Europe/Berlin",
            "Asia/Kathmandu",
            "Australia/Lord_Howe",
            "America/St_Johns",
            "UTC",
            "Etc/GMT+5",
        ):
            tz = pytz.timezone(zone)
            offsets = UtcOffsets(zone)

            def expected(moment, tz=tz):
                local = pytz.utc.localize(from_micro(moment)).astimezone(tz)
                return to_micro(local.utcoffset())

            moments = [
                to_micro(datetime(2026, 1, 1)) + rng.randrange(400 * 86400) * 10**6
                for _index in range(200)
            ]
            for transition in getattr(tz, "_utc_transition_times", [])[1:][-80:]:
                moments += [to_micro(transition) + delta for delta in (-1, 0, 1)]
            for moment in moments:
                with self.subTest(zone=zone, moment=from_micro(moment)):
                    self.assertEqual(offsets.at(moment), expected(moment))

    def test_constant_offset(self):
        step = 15 * 60 * 10**6
        grid = LocalGrid("Europe/Berlin", step)
        summer = to_micro(datetime(2026, 6, 1))
        # Berlin in June: UTC+2 all along.
        self.assertEqual(
            grid.constant_offset(summer, summer + 14 * 86400 * 10**6), 7200 * 10**6
        )
        # The night of 29 March 2026 (01:00 UTC) changes it.
        march = to_micro(datetime(2026, 3, 25))
        self.assertIsNone(grid.constant_offset(march, march + 7 * 86400 * 10**6))
        self.assertEqual(LocalGrid("UTC", step).constant_offset(march, summer), 0)
