"""Benchmark: the public slots page of online booking against Odoo's /web/login.

Usage (from the checkout root; the PostgreSQL server as for `make test`):

    export BEAUTY_PGPORT=55432
    . tools/pg_env.sh && pg_up
    python3 tools/bench_booking_http.py [--db beauty_bench_http] [--port 18199]
        [--requests 300] [--concurrency 4]

The first run creates the database with beauty_crm and its demo salon (5
specialists, 9 services, ~290 appointments). The script then starts one Odoo
server (threaded, as `odoo-bin` runs by default) on that database, warms both
pages up, and sends REQUESTS GET requests from CONCURRENCY client threads to

* ``/booking/slots`` for one service, any specialist, tomorrow: the page a
  visitor sees, rendered with the free times the engine computed, and
* ``/web/login``: Odoo's own public login page on the same server,

one after the other on the same machine. It prints requests per second, the
median and 95th percentile latency of each, and the ratio slots / login.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import requests

TZ = "Europe/Moscow"
QUERY_SERVICE = (
    "SELECT pp.id FROM product_product pp JOIN product_template pt "
    "ON pt.id = pp.product_tmpl_id WHERE pt.is_salon_service "
    "AND pt.is_bookable_online AND pt.active ORDER BY pp.id LIMIT 1"
)


def install(db):
    """Create ``db`` with beauty_crm and its demo data if it does not exist."""
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
            "--stop-after-init",
            "--no-http",
            "--max-cron-threads=0",
            "--log-level=warn",
        ],
        check=True,
    )


def first_service(db):
    """A demo service bookable online (read with psql: no Odoo in this process)."""
    out = subprocess.run(
        [
            "psql",
            "-d",
            db,
            "-tAc",
            QUERY_SERVICE,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(out.stdout.strip())


def start_server(db, port, workers=0):
    """Serve ``db`` on 127.0.0.1:port (threaded, or ``workers`` processes)."""
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "odoo",
            "--addons-path=.",
            "-d",
            db,
            f"--db-filter=^{db}$",
            f"--http-port={port}",
            f"--gevent-port={port + 1}",
            "--http-interface=127.0.0.1",
            f"--workers={workers}",
            "--max-cron-threads=0",
            "--log-level=warn",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _attempt in range(120):
        try:
            if requests.get(f"{base}/web/login", timeout=30).status_code == 200:
                return server, base
        except requests.RequestException:
            pass
        time.sleep(1)
    server.terminate()
    raise SystemExit("The Odoo server did not start.")


def measure(url, total, concurrency):
    """Requests per second and latencies of ``total`` GETs of ``url``."""

    def one(_index):
        with requests.Session() as session:
            started = time.perf_counter()
            response = session.get(url, timeout=60)
            elapsed = time.perf_counter() - started
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code}")
            return elapsed

    for index in range(5):
        one(index)
    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        latencies = sorted(pool.map(one, range(total)))
    wall = time.perf_counter() - started
    return {
        "rps": total / wall,
        "p50": statistics.median(latencies) * 1000,
        "p95": latencies[int(len(latencies) * 0.95) - 1] * 1000,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default="beauty_bench_http")
    parser.add_argument("--port", type=int, default=18199)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args()
    os.chdir(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    install(args.db)
    service = first_service(args.db)
    day = date.today() + timedelta(days=1)
    server, base = start_server(args.db, args.port)
    try:
        slots_url = (
            f"{base}/booking/slots?service_ids={service}&employee_id=any"
            f"&day={day}&tz={TZ}"
        )
        page = requests.get(slots_url, timeout=60).text
        shown = page.count('o_beauty_slot"')
        slots = measure(slots_url, args.requests, args.concurrency)
        login = measure(f"{base}/web/login", args.requests, args.concurrency)
    finally:
        server.terminate()
        server.wait(timeout=60)
    print(f"{args.requests} GET requests, {args.concurrency} client threads")
    print(f"/booking/slots ({shown} slot buttons on {day}):")
    print(
        f"  {slots['rps']:.1f} req/s, p50 {slots['p50']:.0f} ms, "
        f"p95 {slots['p95']:.0f} ms"
    )
    print("/web/login:")
    print(
        f"  {login['rps']:.1f} req/s, p50 {login['p50']:.0f} ms, "
        f"p95 {login['p95']:.0f} ms"
    )
    print(f"ratio slots/login: {slots['rps'] / login['rps']:.2f}")


if __name__ == "__main__":
    main()
