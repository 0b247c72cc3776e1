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

from lxml import etree

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


def newcomer(env):
    """A client with no history, to compare with."""
    client = env["res.partner"].search([("ref", "=", "BENCH-NEW")])
    if not client:
        client = env["res.partner"].create(
            {"name": "Bench Newcomer", "ref": "BENCH-NEW", "is_salon_client": True}
        )
        env.cr.commit()
    return client


def measure(registry, uid, client_id, specification, runs):
    """Open the card ``runs`` times (after 3 warm-up runs) on fresh cursors;
    return the times in ms and the query counts."""
    timings, queries = [], []
    for _run in range(runs + 3):
        with registry.cursor() as cr:
            env = api.Environment(cr, uid, {"bin_size": True})
            before = cr.sql_log_count
            started = time.perf_counter()
            env["res.partner"].browse(client_id).web_read(specification)
            timings.append((time.perf_counter() - started) * 1000)
            queries.append(cr.sql_log_count - before)
            cr.rollback()
    return timings[3:], queries[3:]


def form_specification(env):
    """The specification the web client sends for the client form: the
    fields of the form as the user sees it, the first 40 lines of sub-lists."""
    views = env["res.partner"].get_views([(False, "form")])
    models = views["models"]
    arch = etree.fromstring(views["views"]["form"]["arch"])

    def owned_fields(node):
        # Field nodes whose nearest enclosing field node is ``node``.
        for element in node.iter("field"):
            if element is node:
                continue
            parent = next(element.iterancestors("field"), None)
            if parent is node or (parent is None and node.tag != "field"):
                yield element

    def spec(model, node):
        result = {}
        for element in owned_fields(node):
            fname = element.get("name")
            description = models[model]["fields"][fname]
            ftype = description["type"]
            if ftype == "many2one":
                result[fname] = {"fields": {"display_name": {}}}
            elif ftype in ("one2many", "many2many"):
                result[fname] = {
                    "fields": spec(description["relation"], element)
                    or {"display_name": {}},
                    "limit": 40,
                }
            else:
                result[fname] = {}
        return result

    return spec("res.partner", arch)


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
        newcomer_id = newcomer(env).id
        uid = env["res.users"].search([("login", "=", LOGIN)]).id
        visits = client.visit_count
        specification = form_specification(api.Environment(cr, uid, {}))
        card = api.Environment(cr, uid, {})["res.partner"].browse(client_id)
        lines = card.web_read(specification)[0]["visit_line_ids"]
        if len(lines) != visits or visits != args.visits:
            sys.exit(f"the card shows {len(lines)} of {args.visits} visits")
        cr.rollback()

    timings, queries = measure(registry, uid, client_id, specification, args.runs)
    base_timings, base_queries = measure(
        registry, uid, newcomer_id, specification, args.runs
    )

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        upcoming = env["res.partner"].browse(client_id).upcoming_appointment_ids[-1:]
        started = time.perf_counter()
        upcoming.state = "done"
        env.flush_all()
        recompute = (time.perf_counter() - started) * 1000
        cr.rollback()

    print(f"client card form: {len(specification)} fields, {args.runs} runs each")
    for label, times, counts in (
        (f"{visits} visits", timings, queries),
        ("no visit", base_timings, base_queries),
    ):
        print(
            f"open card, {label} (web_read as specialist): "
            f"p50 {statistics.median(times):.1f} ms, "
            f"p95 {statistics.quantiles(times, n=20)[18]:.1f} ms, "
            f"{statistics.median(counts):.0f} SQL queries"
        )
    print(f"mark one more visit done (history recompute): {recompute:.1f} ms")


if __name__ == "__main__":
    main()
