"""Benchmark: open the card of a client with 500 visits.

Usage (from the checkout root; the PostgreSQL server as for `make test`):

    export BEAUTY_PGPORT=55432
    . tools/pg_env.sh && pg_up
    python3 tools/bench_client_card.py [--db beauty_bench_card] [--visits 500]

The first run creates the database with beauty_crm (no demo data) and a client
with VISITS done appointments, 20 future ones, allergies, consents and tags.
Each measured run then does what the browser does when a specialist opens the
card: one `web_read` of every field of the client form (sub-lists included)
as that specialist, on a fresh cursor with an empty cache. It prints the p50
and p95 wall time and the number of SQL queries, and the time to recompute
the stored history when one more visit is marked done.
"""

import argparse
import statistics
import subprocess
import sys
import time
from datetime import datetime, timedelta

import odoo
from odoo import SUPERUSER_ID, Command, api
from odoo.tools import config

LOGIN = "bench_specialist"


def install(db):
    """Create ``db`` with beauty_crm if it does not exist yet."""
    exists = subprocess.run(
        ["psql", "-d", db, "-tAc", "SELECT 1"], capture_output=True, check=False
    )
    if exists.returncode == 0:
        return
    subprocess.run(["createdb", db], check=True)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "odoo",
            "--addons-path=.",
            "-d",
            db,
            "-i",
            "beauty_crm",
            "--without-demo=all",
            "--stop-after-init",
            "--no-http",
            "--max-cron-threads=0",
            "--log-level=warn",
        ],
        check=True,
    )


def populate(env, visits):
    """Return the client of the benchmark, creating it on the first run."""
    client = env["res.partner"].search([("ref", "=", "BENCH-CARD")])
    if client:
        return client
    user = env["res.users"].create(
        {
            "name": "Bench Specialist",
            "login": LOGIN,
            "password": LOGIN,
            "groups_id": [
                Command.set(env.ref("beauty_crm.group_beauty_specialist").ids)
            ],
        }
    )
    calendar = env["resource.calendar"].create({"name": "Bench 24/7", "tz": "UTC"})
    calendar.attendance_ids = [Command.clear()] + [
        Command.create(
            {
                "name": f"Day {day}",
                "dayofweek": str(day),
                "hour_from": 0,
                "hour_to": 23.99,
                "day_period": "morning",
            }
        )
        for day in range(7)
    ]
    employee = env["hr.employee"].create(
        {
            "name": "Bench Specialist",
            "user_id": user.id,
            "is_specialist": True,
            "resource_calendar_id": calendar.id,
            "tz": "UTC",
        }
    )
    allergen = env["beauty.allergen"].create(
        {"name": "Bench latex", "severity": "high"}
    )
    services = env["product.product"].create(
        [
            {
                "name": f"Bench service {n}",
                "type": "service",
                "is_salon_service": True,
                "service_duration": 1.0,
                "list_price": 1000 + 500 * n,
                "specialist_ids": [Command.link(employee.id)],
            }
            for n in range(5)
        ]
    )
    client = env["res.partner"].create(
        {
            "name": "Bench Client",
            "ref": "BENCH-CARD",
            "is_salon_client": True,
            "email": "bench.client@example.com",
            "allergen_ids": [Command.link(allergen.id)],
            "medications": "None",
            "birthday": "1990-05-17",
            "category_id": [
                Command.link(env.ref("beauty_crm.res_partner_category_vip").id)
            ],
        }
    )
    for kind in ("treatment", "marketing_email", "photo"):
        env["beauty.consent"].create(
            {"partner_id": client.id, "kind": kind, "version": "bench"}
        )
    now = datetime.now().replace(hour=10, minute=0, second=0, microsecond=0)
    starts = [now - timedelta(days=day) for day in range(1, visits + 1)]
    starts += [now + timedelta(days=day) for day in range(1, 21)]
    appointments = env["beauty.appointment"].create(
        [
            {
                "partner_id": client.id,
                "line_ids": [
                    Command.create(
                        {
                            "product_id": services[n % 5].id,
                            "employee_id": employee.id,
                            "start": start,
                        }
                    )
                ],
            }
            for n, start in enumerate(starts)
        ]
    )
    appointments[:visits].write({"state": "done"})
    appointments[visits:].write({"state": "confirmed"})
    env.cr.commit()
    return client


def form_specification(env):
    """The specification the web client sends for the client form."""
    views = env["res.partner"].get_views([(False, "form")])
    models = views["models"]

    def spec(model, fnames, depth=0):
        result = {}
        for fname, description in fnames.items():
            ftype = description.get("type")
            if ftype == "many2one":
                result[fname] = {"fields": {"display_name": {}}}
            elif ftype in ("one2many", "many2many") and depth == 0:
                relation = description["relation"]
                subfields = models.get(relation, {}).get("fields", {})
                # The web client reads the first 40 lines of a sub-list.
                result[fname] = {
                    "fields": spec(relation, subfields, depth + 1)
                    or {"display_name": {}},
                    "limit": 40,
                }
            elif ftype in ("one2many", "many2many"):
                result[fname] = {"fields": {"display_name": {}}}
            else:
                result[fname] = {}
        return result

    return spec("res.partner", models["res.partner"]["fields"])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="beauty_bench_card")
    parser.add_argument("--visits", type=int, default=500)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()

    install(args.db)
    config.parse_config(["--addons-path=.", "-d", args.db, "--log-level=warn"])
    registry = odoo.modules.registry.Registry(args.db)

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        client = populate(env, args.visits)
        client_id = client.id
        uid = env["res.users"].search([("login", "=", LOGIN)]).id
        visits = client.visit_count
        specification = form_specification(api.Environment(cr, uid, {}))

    timings, queries = [], []
    for _run in range(args.runs + 3):
        with registry.cursor() as cr:
            env = api.Environment(cr, uid, {"bin_size": True})
            before = cr.sql_log_count
            started = time.perf_counter()
            record = env["res.partner"].browse(client_id).web_read(specification)
            elapsed = time.perf_counter() - started
            count = cr.sql_log_count - before
            cr.rollback()
        assert len(record[0]["visit_line_ids"]) == visits, "card lost visits"
        timings.append(elapsed * 1000)
        queries.append(count)
    timings, queries = timings[3:], queries[3:]  # warm-up runs

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        upcoming = env["res.partner"].browse(client_id).upcoming_appointment_ids[-1:]
        started = time.perf_counter()
        upcoming.state = "done"
        env.flush_all()
        recompute = (time.perf_counter() - started) * 1000
        cr.rollback()

    p95 = statistics.quantiles(timings, n=20)[18]
    print(f"client card with {visits} visits, {len(specification)} form fields")
    print(
        f"open card (web_read as specialist): p50 {statistics.median(timings):.1f} ms, "
        f"p95 {p95:.1f} ms, {statistics.median(queries):.0f} SQL queries "
        f"({args.runs} runs)"
    )
    print(f"mark one more visit done (history recompute): {recompute:.1f} ms")


if __name__ == "__main__":
    main()
