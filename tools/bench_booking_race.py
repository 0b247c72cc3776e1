"""Race: N website visitors book the same slot with "any specialist" at once.

Usage (from the checkout root; the PostgreSQL server as for `make test`):

    export BEAUTY_PGPORT=55432
    . tools/pg_env.sh && pg_up
    python3 tools/bench_booking_race.py [--db beauty_bench_http] [--port 18197]
        [--visitors 30] [--workers 4] [--rounds 1]

The first run creates the database with beauty_crm and its demo salon (as
tools/bench_booking_http.py does). The script starts one Odoo server with
``--workers`` worker processes on that database and, per round, picks the
first free time of the demo service most specialists do. Every visitor has
its own session and its own loopback address (the client socket is bound to
127.R.N.2, 127.R.N.3..., R per run, N per round; without --proxy-mode Odoo
sees that address, so the per-address rate limit applies to each visitor
separately; at most 253 visitors). Each visitor opens
the contact form, waits the minimum fill time, and all send it together. The
script prints how many won, were told the time was just taken, were given the
time with another specialist than the first winner's, got any other message
or an HTTP 5xx, and checks in the database that every specialist has at most
one visit at that time.
"""

import argparse
import os
import re
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import date, timedelta

import requests
from requests.adapters import HTTPAdapter
from urllib3.poolmanager import PoolManager

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_booking_http import install, start_server

TZ = "Europe/Moscow"
TAKEN = "has just been booked by someone else"
QUERY_SERVICE = (
    "SELECT pp.id FROM product_product pp"
    " JOIN product_template pt ON pt.id = pp.product_tmpl_id"
    " JOIN beauty_employee_service_rel rel ON rel.product_tmpl_id = pt.id"
    " WHERE pt.is_salon_service AND pt.is_bookable_online AND pt.active"
    " GROUP BY pp.id ORDER BY count(*) DESC, pp.id LIMIT 1"
)
QUERY_WINNERS = (
    "SELECT e.name FROM beauty_appointment a"
    " JOIN beauty_appointment_line l ON l.appointment_id = a.id"
    " JOIN hr_employee e ON e.id = l.employee_id"
    " WHERE a.id = ANY(ARRAY[{ids}]::int[]) ORDER BY a.id"
)
QUERY_OVERLAPS = (
    "SELECT count(*) FROM beauty_resource_block a JOIN beauty_resource_block b"
    " ON a.resource_id = b.resource_id AND a.id < b.id AND a.active AND b.active"
    " AND tsrange(a.start, a.stop) && tsrange(b.start, b.stop)"
)


class SourceAddressAdapter(HTTPAdapter):
    """Connect from a given local address (one loopback address a visitor)."""

    def __init__(self, address, **kwargs):
        self.source_address = (address, 0)
        super().__init__(**kwargs)

    def init_poolmanager(self, connections, maxsize, block=False, **kwargs):
        self.poolmanager = PoolManager(
            num_pools=connections,
            maxsize=maxsize,
            block=block,
            source_address=self.source_address,
            **kwargs,
        )


def psql(db, query):
    out = subprocess.run(
        ["psql", "-d", db, "-tAc", query], capture_output=True, text=True, check=True
    )
    return out.stdout.strip()


def slot_starts(base, service, employee, day):
    page = requests.get(
        f"{base}/booking/slots?service_ids={service}&employee_id={employee}"
        f"&day={day}&tz={TZ}",
        timeout=60,
    ).text
    return page, re.findall(r'data-start="([^"]+)"', page)


def first_free_slot(base, service, skip):
    """(day, start, free specialists) of the first time from tomorrow on
    that the most specialists have free, not raced yet."""
    for offset in range(1, 30):
        day = date.today() + timedelta(days=offset)
        page, starts = slot_starts(base, service, "any", day)
        starts = [start for start in starts if start not in skip]
        if not starts:
            continue
        free = Counter()
        for employee in set(re.findall(r'data-employee-id="(\d+)"', page)):
            free.update(set(slot_starts(base, service, employee, day)[1]))
        best = max(starts, key=lambda start: (free[start], -starts.index(start)))
        return day, best, free[best]
    raise SystemExit("No free time in the next 30 days.")


def visitor_session(round_no, index):
    """A session from its own loopback address, new for every run and round
    (the salon's rate limit counts bookings per address for 10 minutes)."""
    run = os.getpid() % 250 + 1
    session = requests.Session()
    adapter = SourceAddressAdapter(f"127.{run}.{round_no}.{index + 2}")
    session.mount("http://", adapter)
    return session


def open_form(session, base, service, start):
    page = session.get(
        f"{base}/booking/contact?service_ids={service}&employee_id=any"
        f"&start={start}&tz={TZ}",
        timeout=60,
    ).text
    fields = dict(re.findall(r'name="(csrf_token|form_stamp)" value="([^"]*)"', page))
    if len(fields) != 2:
        raise SystemExit("The contact form has no CSRF token or form stamp.")
    return fields


def classify(response):
    if response.status_code >= 500:
        return "5xx", None
    location = response.headers.get("Location", "")
    found = re.search(r"/my/appointments/(\d+)", location)
    if response.status_code in (301, 302, 303) and found:
        return "won", int(found.group(1))
    if TAKEN in response.text:
        return "taken", None
    message = re.search(r"o_beauty_booking_error[^>]*>([^<]*)<", response.text)
    return "other", (message.group(1).strip() if message else response.status_code)


def race(base, service, start, visitors, round_no):
    sessions = [visitor_session(round_no, index) for index in range(visitors)]
    forms = [open_form(session, base, service, start) for session in sessions]
    # The form must have been open the minimum fill time (3 s by default).
    time.sleep(3.5)
    barrier = threading.Barrier(visitors)
    results = [None] * visitors

    def submit(index):
        data = {
            "service_ids": str(service),
            "employee_id": "any",
            "start": start.replace("T", " "),
            "tz": TZ,
            "name": f"Race Visitor {index}",
            "phone": f"+7 912 {index // 100:03d}-{index % 100:02d}-{index % 97:02d}",
            **forms[index],
        }
        barrier.wait(60)
        try:
            response = sessions[index].post(
                f"{base}/booking/submit", data=data, timeout=120, allow_redirects=False
            )
            results[index] = classify(response)
        except requests.RequestException as error:
            results[index] = ("other", repr(error))

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(visitors)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default="beauty_bench_http")
    parser.add_argument("--port", type=int, default=18197)
    parser.add_argument("--visitors", type=int, default=30, choices=range(1, 254))
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    os.chdir(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    install(args.db)
    service = int(psql(args.db, QUERY_SERVICE))
    server, base = start_server(args.db, args.port, args.workers)
    failed = False
    raced = set()
    try:
        for round_no in range(1, args.rounds + 1):
            day, start, free = first_free_slot(base, service, raced)
            raced.add(start)
            results, wall = race(base, service, start, args.visitors, round_no)
            counts = Counter(kind for kind, _detail in results)
            won = [detail for kind, detail in results if kind == "won"]
            names = (
                psql(
                    args.db, QUERY_WINNERS.format(ids=",".join(map(str, won)))
                ).splitlines()
                if won
                else []
            )
            per_specialist = Counter(names)
            print(
                f"round {round_no}: {args.visitors} visitors, "
                f"{args.workers or 'threaded, no'} workers, "
                f"service {service}, {start} UTC ({day}), {free} specialists free, "
                f"{wall:.1f} s"
            )
            print(f"  winners: {counts['won']} {dict(per_specialist)}")
            print(
                "  winners after the first, given another specialist: "
                f"{max(len(won) - 1, 0)}"
            )
            print(f"  told the time was just taken: {counts['taken']}")
            others = Counter(str(detail) for kind, detail in results if kind == "other")
            print(f"  other messages: {counts['other']} {dict(others)}")
            print(f"  HTTP 5xx: {counts['5xx']}")
            if (
                counts["other"]
                or counts["5xx"]
                or any(number > 1 for number in per_specialist.values())
                or len(won) != free
            ):
                failed = True
        overlaps = int(psql(args.db, QUERY_OVERLAPS))
        print(f"overlapping active busy blocks in the database: {overlaps}")
        failed = failed or overlaps > 0
    finally:
        server.terminate()
        server.wait(timeout=60)
    verdict = "OK: one winner per specialist, every loser told the truth"
    print("FAILED" if failed else verdict)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
