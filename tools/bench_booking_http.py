"""Benchmark: the public booking pages against Odoo's /web/login, and a load
run of the booking pages and the client cabinet on a prefork server.

Usage (from the checkout root; the PostgreSQL server as for `make test`):

    export BEAUTY_PGPORT=55432
    . tools/pg_env.sh && pg_up
    python3 tools/bench_booking_http.py [--db beauty_bench_http] [--port 18199]
        [--requests 300] [--concurrency 4] [--rounds 5]
    python3 tools/bench_booking_http.py --load [--workers 4] [--requests 1200]
        [--concurrency 8]

The first run creates the database with beauty_crm and its demo salon (5
specialists, 9 services, a year of history).

Compare (the default): one Odoo server (threaded, as `odoo-bin` runs by
default) on that database; after a warm-up, ROUNDS rounds each send
REQUESTS / ROUNDS GET requests from CONCURRENCY client threads to

* ``/booking/slots`` for one service, any specialist, tomorrow: the page a
  visitor sees, rendered with the free times the engine computed,
* ``/booking``: the services page,
* ``/web/login``: Odoo's own public login page on the same server,

one URL after the other inside each round (interleaved, so that the load of
a shared machine weighs on the three alike). It prints requests per second,
the median and 95th percentile latency of each, the SQL queries and the SQL
time of one request (from the server's request log) and the ratios to
/web/login.

Load (``--load``): a server with WORKERS worker processes (prefork, as in
production); CONCURRENCY client threads share REQUESTS requests of a mix: the
services page, the slots of several days and specialists, a booking (the
contact form, then its POST: a public visitor books a free time 20 to 50 days
ahead), and the cabinet of the demo portal client (``/my``,
``/my/appointments``, one appointment), logged in. The booking POST needs two
settings the load would otherwise trip over (the minimum time to fill the form
and the bookings per address): the script sets them on the benchmark database
for the run and removes them after; the appointments it booked are deleted at
the end through Odoo (JSON-RPC as the demo admin). It prints requests per
second, p50/p95 per kind of request, the errors (any answer other than the
expected page is one) and the load average of the machine.
"""

import argparse
import itertools
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta

import requests

TZ = "Europe/Moscow"
QUERY_SERVICE = (
    "SELECT pp.id FROM product_product pp JOIN product_template pt "
    "ON pt.id = pp.product_tmpl_id WHERE pt.is_salon_service "
    "AND pt.is_bookable_online AND pt.active ORDER BY pp.id LIMIT 1"
)
# The time one visit of the service holds its specialist, in hours.
QUERY_LENGTH = (
    "SELECT pt.service_duration + coalesce(pt.buffer_before, 0) "
    "+ coalesce(pt.buffer_after, 0) FROM product_product pp JOIN "
    "product_template pt ON pt.id = pp.product_tmpl_id WHERE pp.id = {}"
)
QUERY_PORTAL_APPOINTMENT = (
    "SELECT a.id FROM beauty_appointment a JOIN res_users u "
    "ON u.partner_id = a.partner_id WHERE u.login = 'ekaterina' "
    "ORDER BY a.start DESC LIMIT 1"
)
PORTAL_LOGIN = "ekaterina"
BENCH_EMAIL = "@load.bench.example.com"
LOAD_PARAMETERS = {
    "beauty_crm.booking_min_fill_seconds": "0",
    "beauty_crm.booking_rate_limit": "1000000",
}
# Odoo's request log line ends with: status, size, queries, query time,
# remaining time.
LOG_LINE = re.compile(
    r'"GET (?P<path>\S+) HTTP/[\d.]+" 200 \S+ (?P<queries>\d+) '
    r"(?P<sql>[\d.]+) (?P<other>[\d.]+)"
)
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
STAMP = re.compile(r'name="form_stamp" value="([^"]+)"')
SLOT = re.compile(r'o_beauty_slot" href="[^"]*" data-start="([^"]+)"')
SPECIALIST = re.compile(r'data-employee-id="(\d+)"')
ALERT = re.compile(r'o_beauty_booking_error"[^>]*>([^<]*)<')


def psql(db, sql):
    out = subprocess.run(
        ["psql", "-d", db, "-tAc", sql], capture_output=True, text=True, check=True
    )
    return out.stdout.strip()


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


def start_server(db, port, workers=0, logfile=None):
    """Serve ``db`` on 127.0.0.1:port (threaded, or ``workers`` processes)."""
    log_args = (
        [f"--logfile={logfile}", "--log-handler=werkzeug:INFO"] if logfile else []
    )
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
            *log_args,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _attempt in range(180):
        try:
            if requests.get(f"{base}/web/login", timeout=30).status_code == 200:
                return server, base
        except requests.RequestException:
            pass
        time.sleep(1)
    server.terminate()
    raise SystemExit("The Odoo server did not start.")


def stop_server(server):
    server.terminate()
    server.wait(timeout=60)


def measure(url, total, concurrency):
    """Wall time and latencies of ``total`` GETs of ``url``."""

    def one(_index):
        with requests.Session() as session:
            started = time.perf_counter()
            response = session.get(url, timeout=60)
            elapsed = time.perf_counter() - started
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code}")
            return elapsed

    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        latencies = list(pool.map(one, range(total)))
    return time.perf_counter() - started, latencies


def summary(wall, latencies):
    latencies = sorted(latencies)
    return {
        "rps": len(latencies) / wall,
        "p50": statistics.median(latencies) * 1000,
        "p95": latencies[max(int(len(latencies) * 0.95) - 1, 0)] * 1000,
    }


def request_costs(logfile):
    """{path: (median queries, median SQL ms, median other ms)} of the GETs
    in the server's request log."""
    costs = {}
    with open(logfile, encoding="utf-8") as log:
        for line in log:
            match = LOG_LINE.search(line)
            if match:
                path = match["path"].split("?")[0]
                costs.setdefault(path, []).append(
                    (
                        int(match["queries"]),
                        float(match["sql"]) * 1000,
                        float(match["other"]) * 1000,
                    )
                )
    return {
        path: tuple(statistics.median(value[i] for value in values) for i in range(3))
        for path, values in costs.items()
    }


def compare(args, service):
    day = date.today() + timedelta(days=1)
    logfile = os.path.join(tempfile.mkdtemp(prefix="bench_booking_"), "odoo.log")
    server, base = start_server(args.db, args.port, logfile=logfile)
    urls = {
        "/booking/slots": (
            f"{base}/booking/slots?service_ids={service}&employee_id=any"
            f"&day={day}&tz={TZ}"
        ),
        "/booking": f"{base}/booking",
        "/web/login": f"{base}/web/login",
    }
    results = {name: [0.0, []] for name in urls}
    try:
        page = requests.get(urls["/booking/slots"], timeout=60).text
        shown = page.count('o_beauty_slot"')
        for url in urls.values():
            measure(url, 10, args.concurrency)
        per_round = max(args.requests // args.rounds, 1)
        for _round in range(args.rounds):
            for name, url in urls.items():
                wall, latencies = measure(url, per_round, args.concurrency)
                results[name][0] += wall
                results[name][1] += latencies
    finally:
        stop_server(server)
    costs = request_costs(logfile)
    load = os.getloadavg()
    print(
        f"{per_round * args.rounds} GET requests per page in {args.rounds} "
        f"interleaved rounds, {args.concurrency} client threads, threaded server"
    )
    print(f"load average at the end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    figures = {name: summary(*value) for name, value in results.items()}
    for name, figure in figures.items():
        label = f"{name} ({shown} slot buttons on {day})" if "slots" in name else name
        queries, sql, other = costs.get(name, (0, 0, 0))
        print(f"{label}:")
        print(
            f"  {figure['rps']:.1f} req/s, p50 {figure['p50']:.0f} ms, "
            f"p95 {figure['p95']:.0f} ms; per request {queries:.0f} SQL queries, "
            f"SQL {sql:.1f} ms, rest of the server {other:.1f} ms"
        )
    login = figures["/web/login"]["rps"]
    print(f"ratio slots/login: {figures['/booking/slots']['rps'] / login:.2f}")
    print(f"ratio booking/login: {figures['/booking']['rps'] / login:.2f}")


class LoadClient:
    """What the clients of the load run do, and what they measured."""

    def __init__(self, base, service, specialists, appointment_id, starts):
        self.base = base
        self.service = service
        self.specialists = ["any", *specialists]
        self.appointment_id = appointment_id
        self.starts = iter(starts)
        self.lock = threading.Lock()
        self.latencies = {}
        self.errors = {}
        self.booked = 0
        self.refusals = {}
        self.local = threading.local()

    def record(self, kind, elapsed, ok):
        with self.lock:
            self.latencies.setdefault(kind, []).append(elapsed)
            if not ok:
                self.errors[kind] = self.errors.get(kind, 0) + 1

    def timed(self, kind, call, check, keep=False):
        """Time ``call``; the response if ``check`` passed (or, with ``keep``,
        any 200 answer, for the caller to look at)."""
        started = time.perf_counter()
        try:
            response = call()
            ok = response.status_code == 200 and check(response)
        except requests.RequestException:
            response, ok = None, False
        self.record(kind, time.perf_counter() - started, ok)
        if ok or (keep and response is not None and response.status_code == 200):
            return response
        return None

    def portal(self):
        """This thread's session of the portal client (logged in once)."""
        session = getattr(self.local, "portal", None)
        if session is None:
            session = requests.Session()
            page = session.get(f"{self.base}/web/login", timeout=60).text
            session.post(
                f"{self.base}/web/login",
                data={
                    "csrf_token": CSRF.search(page)[1],
                    "login": PORTAL_LOGIN,
                    "password": PORTAL_LOGIN,
                },
                timeout=60,
            )
            self.local.portal = session
        return session

    def slots_url(self, index):
        day = date.today() + timedelta(days=1 + index % 7)
        employee = self.specialists[index % len(self.specialists)]
        return (
            f"{self.base}/booking/slots?service_ids={self.service}"
            f"&employee_id={employee}&day={day}&tz={TZ}"
        )

    def book(self):
        with self.lock:
            start = next(self.starts, None)
            number = self.booked = self.booked + 1
        if start is None:
            return
        session = requests.Session()
        contact = self.timed(
            "/booking/contact",
            lambda: session.get(
                f"{self.base}/booking/contact",
                params={
                    "service_ids": self.service,
                    "employee_id": "any",
                    "start": start,
                    "tz": TZ,
                },
                timeout=60,
            ),
            lambda response: "o_beauty_contact_form" in response.text,
        )
        if contact is None:
            return
        answer = self.timed(
            "POST /booking/submit",
            lambda: session.post(
                f"{self.base}/booking/submit",
                data={
                    "csrf_token": CSRF.search(contact.text)[1],
                    "form_stamp": STAMP.search(contact.text)[1],
                    "service_ids": self.service,
                    "employee_id": "any",
                    "start": start,
                    "tz": TZ,
                    "step": "book",
                    "name": f"Load Bench {number}",
                    "phone": f"+7912{number:07d}",
                    "email": f"client{number}{BENCH_EMAIL}",
                },
                timeout=60,
            ),
            # Booked: the visitor lands on the appointment's page.
            lambda response: "/my/appointments/" in response.url,
            keep=True,
        )
        if answer is not None and "/my/appointments/" not in answer.url:
            # Not booked: what the page told the visitor.
            message = ALERT.search(answer.text)
            with self.lock:
                key = message[1].strip() if message else answer.url
                self.refusals[key] = self.refusals.get(key, 0) + 1

    def run(self, index):
        step = index % 10
        if step == 0:
            self.timed(
                "/booking",
                lambda: requests.get(f"{self.base}/booking", timeout=60),
                lambda response: "o_beauty_services_form" in response.text,
            )
        elif step in (1, 2, 3, 4):
            self.timed(
                "/booking/slots",
                lambda: requests.get(self.slots_url(index), timeout=60),
                lambda response: "o_beauty_days" in response.text,
            )
        elif step == 5:
            self.book()
        else:
            portal = self.portal()
            path = {
                6: "/my",
                7: "/my/appointments",
                8: f"/my/appointments/{self.appointment_id}",
                9: "/my/appointments?filterby=past",
            }[step]
            self.timed(
                path.split("?")[0] if step != 9 else "/my/appointments (past)",
                lambda: portal.get(f"{self.base}{path}", timeout=60),
                # Still logged in: not sent to the login page.
                lambda response: "/web/login" not in response.url,
            )


def free_starts(base, service, count, length):
    """Free times (any specialist) from 20 days ahead, for the bookings, at
    least ``length`` (the visit with its buffers) apart: the bookings of the
    run do not overlap each other, so each should succeed (overlapping ones
    were refused, rightly, as "just booked by someone else")."""
    starts = []
    for offset in range(20, 51):
        day = date.today() + timedelta(days=offset)
        page = requests.get(
            f"{base}/booking/slots?service_ids={service}&employee_id=any"
            f"&day={day}&tz={TZ}",
            timeout=60,
        ).text
        last = None
        for start in SLOT.findall(page):
            moment = datetime.fromisoformat(start)
            if last is None or moment >= last + length:
                starts.append(start)
                last = moment
        if len(starts) >= count:
            break
    return starts[:count]


def jsonrpc(base, db, model, method, *args):
    response = requests.post(
        f"{base}/jsonrpc",
        json={
            "jsonrpc": "2.0",
            "method": "call",
            "params": {
                "service": "object",
                "method": "execute_kw",
                "args": [db, 2, "admin", model, method, list(args)],
            },
        },
        timeout=120,
    ).json()
    if "error" in response:
        raise SystemExit(f"{model}.{method}: {response['error']['data']['message']}")
    return response["result"]


def cleanup(base, db):
    """Delete what the load run booked: its appointments and client cards."""
    domain = [("email", "=like", f"%{BENCH_EMAIL}")]
    partners = jsonrpc(base, db, "res.partner", "search", domain)
    if partners:
        appointments = jsonrpc(
            base, db, "beauty.appointment", "search", [("partner_id", "in", partners)]
        )
        if appointments:
            jsonrpc(base, db, "beauty.appointment", "unlink", appointments)
        jsonrpc(base, db, "res.partner", "unlink", partners)
    return len(partners)


def load(args, service):
    appointment_id = int(psql(args.db, QUERY_PORTAL_APPOINTMENT))
    for key, value in LOAD_PARAMETERS.items():
        psql(
            args.db,
            "INSERT INTO ir_config_parameter (key, value) VALUES "
            f"('{key}', '{value}') ON CONFLICT (key) DO UPDATE SET value = "
            "EXCLUDED.value",
        )
    server, base = start_server(args.db, args.port, workers=args.workers)
    try:
        cleanup(base, args.db)
        # The specialists who do the service, as its slots page lists them.
        page = requests.get(
            f"{base}/booking/slots?service_ids={service}&employee_id=any&tz={TZ}",
            timeout=60,
        ).text
        specialists = SPECIALIST.findall(page)[:3]
        bookings = args.requests // 10
        client = LoadClient(
            base,
            service,
            specialists,
            appointment_id,
            free_starts(
                base,
                service,
                bookings,
                timedelta(hours=float(psql(args.db, QUERY_LENGTH.format(service)))),
            ),
        )
        for index in range(20):
            client.run(index)
        client.latencies.clear()
        client.errors.clear()
        client.refusals.clear()
        before = os.getloadavg()
        started = time.perf_counter()
        with ThreadPoolExecutor(args.concurrency) as pool:
            list(pool.map(client.run, range(20, 20 + args.requests)))
        wall = time.perf_counter() - started
        after = os.getloadavg()
        removed = cleanup(base, args.db)
    finally:
        stop_server(server)
        for key in LOAD_PARAMETERS:
            psql(args.db, f"DELETE FROM ir_config_parameter WHERE key = '{key}'")
    total = sum(len(values) for values in client.latencies.values())
    errors = sum(client.errors.values())
    print(
        f"load run: {args.workers} Odoo workers (prefork), {args.concurrency} "
        f"client threads, {total} requests in {wall:.1f} s: "
        f"{total / wall:.1f} req/s, {errors} errors"
    )
    print(
        f"load average before {before[0]:.2f} {before[1]:.2f} {before[2]:.2f}, "
        f"after {after[0]:.2f} {after[1]:.2f} {after[2]:.2f}"
    )
    all_latencies = list(itertools.chain.from_iterable(client.latencies.values()))
    for kind, latencies in sorted(client.latencies.items()):
        figure = summary(wall, latencies)
        print(
            f"  {kind}: {len(latencies)} requests, p50 {figure['p50']:.0f} ms, "
            f"p95 {figure['p95']:.0f} ms, {client.errors.get(kind, 0)} errors"
        )
    figure = summary(wall, all_latencies)
    print(f"  all: p50 {figure['p50']:.0f} ms, p95 {figure['p95']:.0f} ms")
    print(f"bookings made and deleted after the run: {removed}")
    for message, count in client.refusals.items():
        print(f"  booking refused {count} times: {message}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default="beauty_bench_http")
    parser.add_argument("--port", type=int, default=18199)
    parser.add_argument("--requests", type=int, default=None)
    parser.add_argument("--concurrency", type=int, default=None)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--load", action="store_true", help="the load run")
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    os.chdir(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    install(args.db)
    service = int(psql(args.db, QUERY_SERVICE))
    if args.load:
        args.requests = args.requests or 1200
        args.concurrency = args.concurrency or 8
        load(args, service)
    else:
        args.requests = args.requests or 300
        args.concurrency = args.concurrency or 4
        compare(args, service)


if __name__ == "__main__":
    main()
