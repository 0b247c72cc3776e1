#!/usr/bin/env python3
"""Shows that the salon reports run on a PostgreSQL read replica when Odoo's
db_replica_* options name one.

    python3 tools/replica_check.py --db NAME [--login admin]

NAME is a database with beauty_crm installed (e.g. the one
`tools/bench_reports.py --keep` leaves) on the server `make test` uses.
The script makes a hot standby of that server (pg_basebackup -R: streaming
replication, read only, every statement logged), starts Odoo on NAME with
--db_replica_host/--db_replica_port naming the standby, and opens the reports
over HTTP as the browser does (the pivots and graphs of the visit and service
analyses, a client report's list, the lost clients' pivot and each pivot
of the Salon dashboard). It then reads the standby's log: each
report's SQL must have run there. A write (a client report wizard) must
still reach the primary, which the standby cannot serve. Exits non-zero
when a report ran on the primary only. Removes the standby at the end.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_slots import ROOT, reexec_with_pg_env
from screenshots import PASSWORDS, free_port

# (label, model, method, args, kwargs, SQL that must reach the standby)
READS = [
    (
        "Visits analysis pivot (branch x month)",
        "beauty.report.visit",
        "web_read_group",
        [[], ["visit:sum", "revenue:sum"], ["company_id", "start:month"]],
        {"lazy": False},
        "beauty_report_visit",
    ),
    (
        "Specialists and services pivot (specialist x month)",
        "beauty.report.service",
        "web_read_group",
        [[], ["revenue:sum", "done:sum"], ["employee_id", "start:month"]],
        {"lazy": False},
        "beauty_report_service",
    ),
    (
        "Visits due list",
        "beauty.report.due",
        "web_search_read",
        [[]],
        {"specification": {"partner_id": {}, "due_date": {}}, "limit": 80},
        "beauty_report_due",
    ),
    (
        "Lost clients by branch (res.partner pivot)",
        "res.partner",
        "web_read_group",
        [[("is_salon_client", "=", True)], ["total_spent:sum"], ["company_id"]],
        {"lazy": False},
        "res_partner",
    ),
]


def as_postgres():
    return ["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []


def pg_bin(name):
    found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    return str(found[-1]) if found else name


def start_standby(directory, port):
    data, log = directory / "data", directory / "standby.log"
    if os.getuid() == 0:
        shutil.chown(directory, "postgres")
    subprocess.check_call(
        [
            *as_postgres(),
            pg_bin("pg_basebackup"),
            "-h",
            os.environ["PGHOST"],
            "-p",
            os.environ["PGPORT"],
            "-U",
            "postgres",
            "-D",
            str(data),
            "-R",
            "-X",
            "stream",
        ]
    )
    subprocess.check_call(
        [
            *as_postgres(),
            pg_bin("pg_ctl"),
            "-D",
            str(data),
            "-l",
            str(log),
            "-w",
            "start",
            "-o",
            (
                f"-p {port} -k {directory} -c listen_addresses='' "
                "-c log_statement=all -c hot_standby=on"
            ),
        ],
        stdout=subprocess.DEVNULL,
    )
    return data, log


def standby_sql(directory, port, db, query):
    return subprocess.check_output(
        ["psql", "-h", str(directory), "-p", str(port), "-d", db, "-tAc", query],
        text=True,
    ).strip()


def call(http, url, model, method, args, kwargs):
    reply = http.post(
        f"{url}/web/dataset/call_kw/{model}/{method}",
        json={
            "jsonrpc": "2.0",
            "params": {
                "model": model,
                "method": method,
                "args": args,
                "kwargs": kwargs,
            },
        },
        timeout=120,
    ).json()
    if reply.get("error"):
        raise SystemExit(f"{model}.{method}: {reply['error']['data']['message']}")
    return reply["result"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--login", default="admin")
    args = parser.parse_args()
    reexec_with_pg_env()
    directory = Path(tempfile.mkdtemp(prefix="beauty_replica_"))
    port, http_port = free_port(), free_port()
    data, log = start_standby(directory, port)
    odoo = None
    try:
        recovery = standby_sql(directory, port, args.db, "SELECT pg_is_in_recovery()")
        print(f"standby on port {port}: in recovery (read only) = {recovery}")
        odoo = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "odoo",
                f"--addons-path={ROOT}",
                "-d",
                args.db,
                f"--db-filter=^{args.db}$",
                f"--http-port={http_port}",
                f"--db_replica_host={directory}",
                f"--db_replica_port={port}",
                "--max-cron-threads=0",
                "--log-level=warn",
            ],
            cwd=ROOT,
        )
        url = f"http://127.0.0.1:{http_port}"
        for _ in range(120):
            try:
                requests.get(f"{url}/web/health", timeout=10)
                break
            except requests.RequestException:
                time.sleep(0.5)
        http = requests.Session()
        reply = http.post(
            f"{url}/web/session/authenticate",
            json={
                "jsonrpc": "2.0",
                "params": {
                    "db": args.db,
                    "login": args.login,
                    "password": PASSWORDS.get(args.login, args.login),
                },
            },
            timeout=120,
        ).json()
        if reply.get("error"):
            raise SystemExit(f"cannot log in: {reply['error']['data']['message']}")
        failed = 0
        for label, model, method, call_args, kwargs, table in READS:
            before = log.read_text(errors="replace").count(table)
            call(http, url, model, method, call_args, kwargs)
            ran = log.read_text(errors="replace").count(table) - before
            failed += not ran
            print(f"  {label:<55} log lines on the standby naming it: {ran}")
        dashboard = json.loads(
            (ROOT / "beauty_crm/data/files/salon_dashboard.json").read_text()
        )
        for number, pivot in sorted(dashboard["pivots"].items()):
            table = pivot["model"].replace(".", "_")
            before = log.read_text(errors="replace").count(table)
            call(
                http,
                url,
                pivot["model"],
                "web_read_group",
                [
                    pivot["domain"],
                    [f"{measure['fieldName']}:sum" for measure in pivot["measures"]],
                    [row["fieldName"] for row in pivot["rows"]],
                ],
                {"lazy": False},
            )
            ran = log.read_text(errors="replace").count(table) - before
            failed += not ran
            label = f"Salon dashboard, pivot {number} ({pivot['model']})"
            print(f"  {label:<55} log lines on the standby naming it: {ran}")
        before = log.read_text(errors="replace").count("INSERT INTO")
        call(
            http,
            url,
            "beauty.report.wizard",
            "create",
            [{"report": "lost", "lost_days": 60}],
            {},
        )
        writes = log.read_text(errors="replace").count("INSERT INTO") - before
        print(
            f"  {'a write (client report wizard)':<55} INSERTs on the standby: "
            f"{writes} (it went to the primary)"
        )
        failed += bool(writes)
        print("every report ran on the replica" if not failed else f"{failed} failed")
        sys.exit(1 if failed else 0)
    finally:
        if odoo:
            odoo.terminate()
            odoo.wait(timeout=30)
        subprocess.call(
            [*as_postgres(), pg_bin("pg_ctl"), "-D", str(data), "stop", "-m", "fast"],
            stdout=subprocess.DEVNULL,
        )
        shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    main()
