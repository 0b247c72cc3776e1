#!/usr/bin/env python3
"""Benchmark of the salon reports and metrics at chain scale.

100,000 clients and 1,000,000 visits (one service each, three years, 85 %
done, 5 % no-shows, 10 % cancelled; stored in the order of their dates, as
bookings are made) in one branch with 30 specialists and 5 services. Times,
through the ORM in process from a cold record cache, each report as the
browser opens it (the grouped pivot or the first list page and its count),
the KPI screen of a month, the specialist performance screen (12 months) and
every read_group of the Salon dashboard's pivots and charts (its default
period, last month); prints p50/p95 per report and the load average of the
machine.

    python3 tools/bench_reports.py [--db beauty_bench_reports] [--runs 20]
        [--keep] [--reuse]

It creates (and drops, unless --keep) a database with beauty_crm installed
without demo data; PostgreSQL is found like `make test` does. History is
bulk-inserted in SQL, then the clients' stored history fields are filled in
SQL as the ORM would. Takes a few minutes. --reuse measures the database a
previous --keep run left, after updating beauty_crm in it from this checkout.
The load time of the dashboard in a browser: tools/bench_dashboard.py.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_slots import ROOT, create_salon, install, reexec_with_pg_env

CLIENTS, VISITS = 100_000, 1_000_000
DAYS = 3 * 365


def fill(env, employees, products, sources, reasons):
    cr = env.cr
    company = employees[0].company_id.id
    print(f"Inserting {CLIENTS:,} clients...", flush=True)
    cr.execute(
        """
        INSERT INTO res_partner
            (name, complete_name, is_salon_client, company_id, active, type,
             source_id, visit_reason_id, birthday, birthday_day, lang,
             autopost_bills, create_uid, write_uid, create_date, write_date)
        SELECT 'Bench client ' || g, 'Bench client ' || g, true, %(company)s, true,
               'contact', (%(sources)s::int[])[1 + g %% 5],
               (%(reasons)s::int[])[1 + g %% 3],
               date '1970-01-01' + (g * 7919 %% 14000),
               0, 'en_US', 'ask', 1, 1, now(), now()
          FROM generate_series(1, %(clients)s) AS g
        """,
        {
            "company": company,
            "sources": sources.ids,
            "reasons": reasons.ids,
            "clients": CLIENTS,
        },
    )
    cr.execute(
        """UPDATE res_partner
              SET birthday_day = EXTRACT(MONTH FROM birthday) * 100
                                 + EXTRACT(DAY FROM birthday)
            WHERE name LIKE 'Bench client %%'"""
    )
    print(f"Inserting {VISITS:,} visits...", flush=True)
    today = datetime.now().replace(hour=0, minute=0, second=0, microsecond=0)
    cr.execute(
        """
        CREATE TEMP TABLE bench_src AS
        SELECT g,
               (SELECT min(id) FROM res_partner WHERE name LIKE 'Bench client %%')
                   + (g * 7 %% %(clients)s) AS partner_id,
               (%(employees)s::int[])[1 + g %% 30] AS employee_id,
               (%(products)s::int[])[1 + (g / 30) %% 5] AS product_id,
               %(first)s::timestamp + make_interval(days => (g * 31) %% %(days)s)
                   + make_interval(hours => 7 + g %% 9) AS start,
               CASE WHEN g %% 20 = 0 THEN 'no_show'
                    WHEN g %% 10 = 1 THEN 'cancelled'
                    ELSE 'done' END AS state
          FROM generate_series(1, %(visits)s) AS g
        """,
        {
            "clients": CLIENTS,
            "employees": employees.ids,
            "products": products.ids,
            "first": today - timedelta(days=DAYS),
            "days": DAYS,
            "visits": VISITS,
        },
    )
    cr.execute(
        """
        INSERT INTO beauty_appointment
            (id, name, partner_id, company_id, state, channel, start, stop,
             amount_total, beauty_rebooked, create_uid, write_uid, create_date,
             write_date)
        SELECT g, 'BENCH/' || g, partner_id, %(company)s, state, 'phone', start,
               start + interval '1 hour', 1000 + 500 * (g %% 5), g %% 4 = 0, 1, 1,
               start - interval '3 days', start
          FROM bench_src
         ORDER BY start
        """,
        {"company": company},
    )
    cr.execute(
        """
        INSERT INTO beauty_appointment_line
            (id, appointment_id, partner_id, company_id, state, product_id,
             employee_id, start, stop, price_unit, next_due_date,
             create_uid, write_uid, create_date, write_date)
        SELECT g, g, partner_id, %(company)s, state, product_id, employee_id,
               start, start + interval '1 hour', 1000 + 500 * (g %% 5),
               CASE WHEN state = 'done' THEN start::date + 30 END,
               1, 1, start - interval '3 days', start
          FROM bench_src
         ORDER BY start
        """,
        {"company": company},
    )
    for table in ("beauty_appointment", "beauty_appointment_line"):
        cr.execute(f"SELECT setval('{table}_id_seq', (SELECT max(id) FROM {table}))")
    # The stored specialist of each visit's first service, as the ORM sets it.
    env["beauty.appointment"]._beauty_fill_first_employee()
    print("Filling the clients' history fields...", flush=True)
    cr.execute(
        """
        UPDATE res_partner p
           SET visit_count = h.visits, first_visit_date = h.first,
               last_visit_date = h.last, total_spent = h.spent,
               average_ticket = h.spent / h.visits,
               client_category = CASE WHEN h.visits > 1 THEN 'regular' ELSE 'new' END
          FROM (SELECT partner_id, count(*) AS visits, min(start) AS first,
                       max(start) AS last, sum(amount_total) AS spent
                  FROM beauty_appointment WHERE state = 'done'
                 GROUP BY partner_id) h
         WHERE h.partner_id = p.id
        """
    )
    cr.execute("DROP TABLE bench_src")


def percentiles(timings):
    timings = sorted(timings)
    return statistics.median(timings), timings[round(0.95 * (len(timings) - 1))]


def reports(env, company):
    """(name, function) of each report as the browser opens it."""
    today = date.today()
    month_from = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    month_to = today.replace(day=1) - timedelta(days=1)
    Wizard = env["beauty.report.wizard"]

    def opened(report, date_from=month_from, date_to=month_to, **values):
        action = Wizard.create(
            dict(
                report=report,
                date_from=date_from,
                date_to=date_to,
                company_ids=[(6, 0, company.ids)],
                **values,
            )
        ).action_open()
        return env[action["res_model"]], action["domain"]

    def first_page(report, **values):
        model, domain = opened(report, **values)
        model.search_count(domain)
        return model.search_fetch(domain, ["display_name"], limit=80)

    def pivot(report, groupby, measures, **values):
        model, domain = opened(report, **values)
        return model.read_group(domain, measures, groupby, lazy=False)

    next_month = (today + timedelta(days=30), today + timedelta(days=60))
    return [
        (
            "birthdays, next month (list)",
            lambda: first_page("birthdays", date_from=today, date_to=next_month[0]),
        ),
        (
            "visits due, next month (list)",
            lambda: first_page("due", date_from=next_month[0], date_to=next_month[1]),
        ),
        (
            "new clients by source x reason (pivot)",
            lambda: pivot(
                "new_clients", ["source_id", "visit_reason_id"], ["first_visit:sum"]
            ),
        ),
        ("client rating, last month (list)", lambda: first_page("rating")),
        ("lost clients, 60 days (list)", lambda: first_page("lost", lost_days=60)),
        (
            "lost clients by branch (pivot)",
            lambda: pivot("lost", ["company_id"], ["total_spent:sum"], lost_days=60),
        ),
        (
            "specialists x month, last year (pivot)",
            lambda: env["beauty.report.service"].read_group(
                [("start", ">=", datetime.now() - timedelta(days=365))],
                ["revenue:sum", "done:sum", "booked_hours:sum"],
                ["employee_id", "start:month"],
                lazy=False,
            ),
        ),
        (
            "visits analysis, last year (pivot)",
            lambda: env["beauty.report.visit"].read_group(
                [("start", ">=", datetime.now() - timedelta(days=365))],
                ["visit:sum", "revenue:sum"],
                ["company_id", "start:month"],
                lazy=False,
            ),
        ),
        (
            "KPI screen, last month (all figures)",
            lambda: env["beauty.kpi"]._render_html(company, month_from, month_to),
        ),
        (
            "specialist performance, 12 months",
            lambda: (
                env["beauty.specialist.performance"]
                .with_company(company)
                ._beauty_build()
            ),
        ),
        (
            "Salon dashboard, last month (all read_groups)",
            lambda: dashboard_read_groups(env, month_from, today.replace(day=1)),
        ),
    ]


def dashboard_read_groups(env, date_from, date_to):
    """Every read_group the Salon dashboard's pivots and charts ask for with
    its default filters (the period: last month; every branch)."""
    data = json.loads((ROOT / "beauty_crm/data/files/salon_dashboard.json").read_text())
    Kpi = env["beauty.kpi"]
    start, stop = Kpi._period(date_from, date_to - timedelta(days=1))
    period = [("start", ">=", start), ("start", "<", stop)]
    for pivot in data["pivots"].values():
        env[pivot["model"]].read_group(
            pivot["domain"] + period,
            [f"{measure['fieldName']}:sum" for measure in pivot["measures"]],
            [row["fieldName"] for row in pivot["rows"]],
            lazy=False,
        )
    for sheet in data["sheets"]:
        for figure in sheet.get("figures", []):
            meta = figure["data"].get("metaData")
            if not meta:
                continue
            env[meta["resModel"]].read_group(
                figure["data"]["searchParams"]["domain"] + period,
                [f"{meta['measure']}:sum"],
                meta["groupBy"],
                lazy=False,
            )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="beauty_bench_reports")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--keep", action="store_true", help="keep the database")
    parser.add_argument(
        "--reuse", action="store_true", help="measure the database --keep left"
    )
    args = parser.parse_args()
    reexec_with_pg_env()
    if args.reuse:
        update(args.db)
    else:
        create(args)
    measure(args)


def update(db):
    print(f"Updating beauty_crm in {db}...", flush=True)
    subprocess.check_call(
        [
            sys.executable,
            "-m",
            "odoo",
            f"--addons-path={ROOT}",
            "-d",
            db,
            "-u",
            "beauty_crm",
            "--stop-after-init",
            "--max-cron-threads=0",
            "--no-http",
            "--log-level=warn",
        ],
        cwd=ROOT,
    )


def create(args):
    install(args.db)

    import odoo
    from odoo import SUPERUSER_ID, api
    from odoo.modules.registry import Registry

    odoo.tools.config.parse_config([f"--addons-path={ROOT}", "--log-level=warn"])
    with Registry(args.db).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        employees, product, _partners = create_salon(env)
        products = product | env["product.product"].create(
            [
                {
                    "name": f"Bench service {index}",
                    "type": "service",
                    "is_salon_service": True,
                    "service_duration": 1.0,
                    "repeat_interval_days": 30,
                    "specialist_ids": [(6, 0, employees.ids)],
                }
                for index in range(4)
            ]
        )
        sources = env["utm.source"].create(
            [{"name": f"Bench source {index}"} for index in range(5)]
        )
        reasons = env["beauty.visit.reason"].create(
            [{"name": f"Bench reason {index}"} for index in range(3)]
        )
        fill(env, employees, products, sources, reasons)
        # The demo salon's managers open the dashboard; so does the admin.
        env.ref("base.user_admin").groups_id |= env.ref(
            "beauty_crm.group_beauty_manager"
        )
    Registry.delete(args.db)
    odoo.sql_db.close_db(args.db)


def measure(args):
    import odoo
    from odoo import SUPERUSER_ID, api
    from odoo.modules.registry import Registry

    if args.reuse:  # else create() parsed it (twice fails: KeyError)
        odoo.tools.config.parse_config([f"--addons-path={ROOT}", "--log-level=warn"])
    # As autovacuum would after the bulk load: statistics and the visibility
    # map (index-only scans).
    subprocess.check_call(["vacuumdb", "--analyze", "--quiet", args.db])
    with Registry(args.db).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tz": "Europe/Moscow"})
        company = (
            env["hr.employee"].search([("is_specialist", "=", True)])[0].company_id
        )
        cr.execute("SELECT count(*) FROM beauty_appointment")
        visits = cr.fetchone()[0]
        cr.execute("SELECT count(*) FROM res_partner WHERE is_salon_client")
        clients = cr.fetchone()[0]
        print(
            f"{clients:,} clients, {visits:,} visits; {args.runs} runs each; "
            "load average %.2f %.2f %.2f:" % os.getloadavg()
        )
        worst = 0.0
        for name, function in reports(env, company):
            timings = []
            for run in range(args.runs + 2):
                env.invalidate_all()
                began = time.perf_counter()
                function()
                if run >= 2:  # warm-up
                    timings.append((time.perf_counter() - began) * 1000)
            p50, p95 = percentiles(timings)
            worst = max(worst, p95)
            print(f"  {name:<46} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms", flush=True)
            cr.rollback()
        print(
            f"slowest p95: {worst:.1f} ms; load average %.2f %.2f %.2f"
            % os.getloadavg()
        )
    Registry.delete(args.db)
    odoo.sql_db.close_db(args.db)
    if not (args.keep or args.reuse):
        subprocess.call(["dropdb", args.db])


if __name__ == "__main__":
    main()
