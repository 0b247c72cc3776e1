"""The engine's interval arithmetic, without a database: each function is
compared with a brute-force minute grid on random intervals."""

import itertools
import random

from odoo.tests import BaseCase, tagged

from ..models.intervals import Availability, merge, subtract


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
