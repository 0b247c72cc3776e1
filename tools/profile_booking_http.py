"""Where the time of the booking pages goes, beside Odoo's /web/login.

    python3 tools/profile_booking_http.py [--db beauty_bench_http]
        [--requests 60] [--top 25] [--queries]

Serves the database that ``tools/bench_booking_http.py`` created through
Odoo's own WSGI application in this process (the whole request: database
choice, session, website dispatch, the route, QWeb, post-processing), without
a socket, and runs REQUESTS GETs of each page (a new visitor each time, as the
benchmark does) under cProfile. For each page it prints the time per request
under the profiler, the SQL queries of one request, the share of a few
groups of functions (the route's own code, the slot search, QWeb rendering,
SQL, the website's rewriting of links) and the TOP functions by cumulative
time; with --queries, each SQL query of one request of each page first.
The PostgreSQL server is the one of the PG* variables.
"""

import argparse
import cProfile
import logging
import os
import pstats
import sys
import time
from datetime import date, timedelta

from werkzeug.test import Client

import odoo
from odoo import sql_db

# What the summary groups: (end of the file name, function names).
GROUPS = {
    "route (beauty_crm controller)": (
        "beauty_crm/controllers/booking.py",
        ("booking", "booking_slots"),
    ),
    "slot search (beauty.scheduler)": ("beauty_scheduler.py", ("get_available_slots",)),
    "QWeb rendering": ("base/models/ir_qweb.py", ("_render",)),
    "SQL (psycopg2 execute)": (
        "~",
        ("<method 'execute' of 'psycopg2.extensions.cursor' objects>",),
    ),
    "links rewritten by the website": ("website/models/ir_http.py", ("_url_for",)),
    "database list (no session yet)": ("odoo/http.py", ("db_list",)),
}


def group_times(stats, count):
    """{label: ms per request} of the GROUPS (cumulative: they overlap)."""
    found = {}
    for (filename, _line, func), row in stats.stats.items():
        for label, (where, names) in GROUPS.items():
            if filename.endswith(where) and func in names:
                found[label] = found.get(label, 0) + row[3]
    return {label: value / count * 1000 for label, value in found.items()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default="beauty_bench_http")
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument(
        "--queries",
        action="store_true",
        help="print the SQL of one request of each page",
    )
    args = parser.parse_args()
    os.chdir(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    odoo.tools.config.parse_config(
        [
            "--addons-path=.",
            "-d",
            args.db,
            f"--db-filter=^{args.db}$",
            "--max-cron-threads=0",
            "--log-level=warn",
        ]
    )
    odoo.service.server.load_server_wide_modules()
    registry = odoo.modules.registry.Registry(args.db)
    with registry.cursor() as cr:
        cr.execute(
            "SELECT pp.id FROM product_product pp JOIN product_template pt "
            "ON pt.id = pp.product_tmpl_id WHERE pt.is_salon_service "
            "AND pt.is_bookable_online AND pt.active ORDER BY pp.id LIMIT 1"
        )
        service = cr.fetchone()[0]
    day = date.today() + timedelta(days=1)
    urls = {
        "/booking/slots": f"/booking/slots?service_ids={service}&employee_id=any"
        f"&day={day}&tz=Europe/Moscow",
        "/booking": "/booking",
        "/web/login": "/web/login",
    }
    for url in urls.values():
        for _warm_up in range(5):
            if Client(odoo.http.root).get(url).status_code != 200:
                sys.exit(f"{url} did not answer 200")
    for name, url in urls.items():
        before = sql_db.sql_counter
        if args.queries:
            print(f"SQL of one request of {name}:")
            # Odoo's log handler prints them (each query at DEBUG level).
            sql_logger = logging.getLogger("odoo.sql_db")
            sql_logger.setLevel(logging.DEBUG)
        Client(odoo.http.root).get(url)
        if args.queries:
            sql_logger.setLevel(logging.NOTSET)
        queries = sql_db.sql_counter - before
        profile = cProfile.Profile()
        started = time.perf_counter()
        profile.enable()
        for _request in range(args.requests):
            Client(odoo.http.root).get(url)
        profile.disable()
        wall = (time.perf_counter() - started) / args.requests * 1000
        stats = pstats.Stats(profile)
        print(f"{name}: {wall:.1f} ms per request under cProfile, {queries} queries")
        for label, value in group_times(stats, args.requests).items():
            print(f"  {label}: {value:.1f} ms ({value / wall:.0%})")
        stats.sort_stats("cumulative").print_stats(args.top)
    load = os.getloadavg()
    print(f"load average: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


if __name__ == "__main__":
    main()
