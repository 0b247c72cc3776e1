#!/usr/bin/env python3
"""Benchmark of the availability engine (beauty.scheduler).

A salon with 30 specialists; one service (1 h + 15 min buffer) that all of
them perform; half of the next 14 days already booked. The slot search for
that service across all specialists over 14 days is timed through the ORM, in
process, with 10,000 past appointments and with 1,000,000; it prints
p50/p95 of each, their ratio, and the plan of the window query. Each search is
run by the engine and by the reference implementation it replaced
(``_reference_get_available_slots``, the walk over every start), interleaved,
and the two answers must be equal; it prints the speed-up.

    python3 tools/bench_slots.py [--db beauty_bench] [--runs 50] [--keep]
        [--reuse] [--profile]

It creates (and drops, unless --keep) two databases with beauty_crm installed
without demo data, the second a copy of the first with more history, and
searches them in turn so that the load of the machine weighs on both alike.
--reuse searches the databases a previous --keep run left (the module's code
is read from this checkout). --profile prints where the time of each
implementation goes (cProfile, 20 searches).
PostgreSQL is found like `make test` does (tools/pg_env.sh) when no PG*
variables are set. History is bulk-inserted in
SQL (appointments, service lines and busy-time blocks). Takes a few minutes.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPECIALISTS = 30
SMALL, LARGE = 10_000, 1_000_000
# Past visits start at 10:00, 11:30, ... 17:30 Moscow time (UTC+3) every day.
SLOT_MINUTES = [7 * 60 + 90 * index for index in range(6)]


def reexec_with_pg_env():
    """Run the calling script again inside tools/pg_env.sh when no server is
    named."""
    if (
        os.environ.get("PGHOST")
        or os.environ.get("PGPORT")
        or os.environ.get("ODOO_RC")
    ):
        return
    script = (
        f". {ROOT}/tools/pg_env.sh && pg_up || exit 2; "
        f"python3 {' '.join(map(str, [Path(sys.argv[0]).resolve(), *sys.argv[1:]]))}; "
        "rc=$?; pg_down; exit $rc"
    )
    sys.exit(subprocess.call(["bash", "-c", script], cwd=ROOT))


def install(db):
    subprocess.call(["dropdb", "--if-exists", db])
    subprocess.check_call(["createdb", db])
    print(f"Installing beauty_crm into {db} (no demo)...", flush=True)
    subprocess.check_call(
        [
            sys.executable,
            "-m",
            "odoo",
            f"--addons-path={ROOT}",
            "-d",
            db,
            "-i",
            "beauty_crm",
            "--without-demo=all",
            "--stop-after-init",
            "--max-cron-threads=0",
            "--no-http",
            "--log-level=warn",
        ],
        cwd=ROOT,
    )


def create_salon(env):
    calendar = env["resource.calendar"].create(
        {
            "name": "Bench salon 10-20",
            "tz": "Europe/Moscow",
            "attendance_ids": [(5, 0, 0)]
            + [
                (
                    0,
                    0,
                    {
                        "name": f"Day {day}",
                        "dayofweek": str(day),
                        "hour_from": 10,
                        "hour_to": 20,
                        "day_period": "morning",
                    },
                )
                for day in range(6)
            ],
        }
    )
    employees = env["hr.employee"].create(
        [
            {
                "name": f"Bench specialist {index:02d}",
                "is_specialist": True,
                "resource_calendar_id": calendar.id,
                "tz": "Europe/Moscow",
            }
            for index in range(SPECIALISTS)
        ]
    )
    product = env["product.product"].create(
        {
            "name": "Bench facial",
            "type": "service",
            "is_salon_service": True,
            "service_duration": 1.0,
            "buffer_after": 0.25,
            "list_price": 1000,
            "specialist_ids": [(6, 0, employees.ids)],
        }
    )
    partners = env["res.partner"].create(
        [
            {"name": f"Bench client {index}", "is_salon_client": True}
            for index in range(200)
        ]
    )
    return employees, product, partners


def insert_visits(cr, employees, product, partners, count, first_day, step_days, state):
    """Insert ``count`` one-service visits, spread over the specialists and
    the daily slots, from ``first_day`` moving ``step_days`` per day."""
    cr.execute("SELECT coalesce(max(id), 0) FROM beauty_appointment")
    (offset,) = cr.fetchone()
    cr.execute("SELECT coalesce(max(id), 0) FROM beauty_appointment_line")
    (line_offset,) = cr.fetchone()
    cr.execute(
        """
        CREATE TEMP TABLE bench_src ON COMMIT DROP AS
        SELECT g,
               (%(employees)s::int[])[1 + g %% %(n)s] AS employee_id,
               (%(resources)s::int[])[1 + g %% %(n)s] AS resource_id,
               (%(partners)s::int[])[1 + g %% array_length(%(partners)s::int[], 1)]
                   AS partner_id,
               %(first_day)s::timestamp
                   + make_interval(days => %(step)s * ((g / %(n)s) / 6))
                   + make_interval(mins => (%(slots)s::int[])[1 + (g / %(n)s) %% 6])
                   AS start
          FROM generate_series(0, %(count)s - 1) AS g
        """,
        {
            "employees": employees.ids,
            "resources": employees.resource_id.ids,
            "partners": partners.ids,
            "n": len(employees),
            "first_day": first_day,
            "step": step_days,
            "slots": SLOT_MINUTES,
            "count": count,
        },
    )
    common = {
        "offset": offset,
        "line_offset": line_offset,
        "company": employees[0].company_id.id,
        "state": state,
        "product": product.id,
    }
    cr.execute(
        """
        INSERT INTO beauty_appointment
            (id, name, partner_id, company_id, state, channel, start, stop,
             amount_total, create_uid, write_uid, create_date, write_date)
        SELECT %(offset)s + g + 1, 'BENCH/' || (%(offset)s + g + 1), partner_id,
               %(company)s, %(state)s, 'phone', start, start + interval '1 hour',
               1000, 1, 1, now(), now()
          FROM bench_src
        """,
        common,
    )
    cr.execute(
        """
        INSERT INTO beauty_appointment_line
            (id, appointment_id, partner_id, company_id, state, product_id,
             employee_id, start, stop, price_unit, create_uid, write_uid,
             create_date, write_date)
        SELECT %(line_offset)s + g + 1, %(offset)s + g + 1, partner_id, %(company)s,
               %(state)s, %(product)s, employee_id, start,
               start + interval '1 hour', 1000, 1, 1, now(), now()
          FROM bench_src
        """,
        common,
    )
    cr.execute(
        """
        INSERT INTO beauty_resource_block
            (appointment_id, appointment_line_id, resource_id, kind, start, stop,
             active, company_id, create_uid, write_uid, create_date, write_date)
        SELECT %(offset)s + g + 1, %(line_offset)s + g + 1, resource_id,
               'specialist', start, start + interval '75 minutes', true,
               %(company)s, 1, 1, now(), now()
          FROM bench_src
        """,
        common,
    )
    for table in ("beauty_appointment", "beauty_appointment_line"):
        cr.execute(f"SELECT setval('{table}_id_seq', (SELECT max(id) FROM {table}))")
    cr.execute("DROP TABLE bench_src")


IMPLEMENTATIONS = {
    "engine": "get_available_slots",
    "reference": "_reference_get_available_slots",
}


def search_once(env, product, date_from, date_to, method="get_available_slots"):
    """Milliseconds of one search, from a cold record cache like a request,
    and the slots."""
    env.invalidate_all()
    began = time.perf_counter()
    slots = getattr(env["beauty.scheduler"], method)(
        product, date_from, date_to, tz="Europe/Moscow"
    )
    return (time.perf_counter() - began) * 1000, slots


def profile(env, product, date_from, date_to, method, runs=20):
    """Print the functions the time of ``method`` goes to."""
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    for _run in range(runs):
        search_once(env, product, date_from, date_to, method)
    profiler.disable()
    print(f"--- profile of {method}, {runs} searches ---")
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(30)
    stats.sort_stats("tottime").print_stats(15)


def percentiles(timings):
    timings = sorted(timings)
    return statistics.median(timings), timings[round(0.95 * (len(timings) - 1))]


def compare(envs, products, date_from, date_to, runs):
    """Time both implementations on every database, interleaved; check that
    they answer the same; print p50/p95 and the speed-up."""
    timings = {(size, kind): [] for size in envs for kind in IMPLEMENTATIONS}
    counts = {}
    for run in range(runs + 5):
        for size, env in envs.items():
            answers = {}
            for kind, method in IMPLEMENTATIONS.items():
                elapsed, answers[kind] = search_once(
                    env, products[size], date_from, date_to, method
                )
                if run >= 5:  # warm-up
                    timings[size, kind].append(elapsed)
            if answers["engine"] != answers["reference"]:
                raise SystemExit("The engine and the reference answer differently.")
            counts[size] = len(answers["engine"])
    print("load average: " + " ".join(f"{load:.2f}" for load in os.getloadavg()))
    for size in envs:
        figures = {}
        for kind in IMPLEMENTATIONS:
            p50, p95 = figures[kind] = percentiles(timings[size, kind])
            print(
                f"{size:>9,} past appointments, {kind:>9}: p50 {p50:6.1f} ms"
                f"  p95 {p95:6.1f} ms  ({counts[size]} slots, {runs} runs)",
                flush=True,
            )
        speedup = figures["reference"][0] / figures["engine"][0]
        print(
            f"{size:>9,} past appointments: the engine is {speedup:.1f}x faster"
            " than the reference (p50), same slots",
            flush=True,
        )
    return timings


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="beauty_bench")
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--keep", action="store_true", help="keep the databases")
    parser.add_argument(
        "--reuse", action="store_true", help="search the databases of a --keep run"
    )
    parser.add_argument("--profile", action="store_true", help="print cProfile")
    args = parser.parse_args()
    reexec_with_pg_env()
    small_db, large_db = f"{args.db}_10k", f"{args.db}_1m"
    if args.reuse:
        args.keep = True
    else:
        install(small_db)

    import odoo
    from odoo import SUPERUSER_ID, api
    from odoo.modules.registry import Registry

    odoo.tools.config.parse_config([f"--addons-path={ROOT}", "--log-level=warn"])
    today = datetime.now().replace(hour=0, minute=0, second=0, microsecond=0)
    date_from = (today + timedelta(days=1)).date()
    date_to = (today + timedelta(days=14)).date()

    def fill(db, count, history):
        """Add past visits to ``db`` until it holds ``count`` of them."""
        with Registry(db).cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            employees = env["hr.employee"].search([("is_specialist", "=", True)])
            product = env["product.product"].search([("is_salon_service", "=", True)])
            partners = env["res.partner"].search([("is_salon_client", "=", True)])
            # Rebuild the constraint's GiST index once rather than per row; it
            # also re-validates that no two active bookings overlap.
            cr.execute(
                "ALTER TABLE beauty_resource_block"
                " DROP CONSTRAINT beauty_resource_block_no_overlap"
            )
            insert_visits(
                cr,
                employees,
                product,
                partners,
                count - history,
                today - timedelta(days=1 + -(-history // (SPECIALISTS * 6))),
                -1,
                "done",
            )
            env["beauty.resource.block"].init()
            cr.execute("ANALYZE")

    if not args.reuse:
        with Registry(small_db).cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            employees, product, partners = create_salon(env)
            # Half of the daily slots of the searched fortnight are taken.
            insert_visits(
                cr,
                employees,
                product,
                partners,
                SPECIALISTS * 6 * 14 // 2,
                today + timedelta(days=1),
                2,
                "confirmed",
            )
        print(f"Inserting {SMALL:,} past appointments...", flush=True)
        fill(small_db, SMALL, 0)
        Registry.delete(small_db)
        odoo.sql_db.close_db(small_db)
        subprocess.call(["dropdb", "--if-exists", large_db])
        subprocess.check_call(["createdb", "-T", small_db, large_db])
        print(
            f"Copying it and inserting up to {LARGE:,} past appointments...", flush=True
        )
        fill(large_db, LARGE, SMALL)

    # Both histories are searched in turn, so that the load of the machine
    # weighs on both alike.
    cursors = {
        size: Registry(db).cursor()
        for size, db in ((SMALL, small_db), (LARGE, large_db))
    }
    envs = {
        size: api.Environment(cr, SUPERUSER_ID, {"tz": "Europe/Moscow"})
        for size, cr in cursors.items()
    }
    products = {
        size: env["product.product"].search([("is_salon_service", "=", True)])
        for size, env in envs.items()
    }
    timings = compare(envs, products, date_from, date_to, args.runs)
    if args.profile:
        for method in IMPLEMENTATIONS.values():
            profile(envs[SMALL], products[SMALL], date_from, date_to, method)
    cr = cursors[LARGE]
    cr.execute("SELECT count(*) FROM beauty_resource_block")
    print(f"busy-time rows with {LARGE:,} past appointments: {cr.fetchone()[0]:,}")
    start = datetime.combine(date_from, datetime.min.time())
    employees = envs[LARGE]["hr.employee"].search([("is_specialist", "=", True)])
    cr.execute(
        """EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF)
           SELECT resource_id, start, stop FROM beauty_resource_block
            WHERE active AND tsrange(start, stop) && tsrange(%s, %s)
              AND resource_id = ANY(%s) AND appointment_id != ALL(%s)""",
        [start, start + timedelta(days=15), employees.resource_id.ids, []],
    )
    print("Window query plan:")
    for (line,) in cr.fetchall():
        print("   ", line)
    ratio = (
        percentiles(timings[LARGE, "engine"])[0]
        / percentiles(timings[SMALL, "engine"])[0]
    )
    print(f"p50 ratio {LARGE:,} / {SMALL:,} past appointments: {ratio:.2f}")
    for db in (small_db, large_db):
        Registry.delete(db)
    for cr in cursors.values():
        cr.close()
    for db in (small_db, large_db):
        odoo.sql_db.close_db(db)
        if not args.keep:
            subprocess.call(["dropdb", db])


if __name__ == "__main__":
    main()
