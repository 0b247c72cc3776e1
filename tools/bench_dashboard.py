#!/usr/bin/env python3
"""Load time of the Salon dashboard (Dashboards app) in headless Chromium.

Run it against a served database, e.g. the one `tools/bench_reports.py
--keep` leaves (100,000 clients, 1,000,000 visits) served by
`python3 -m odoo -d beauty_bench_reports --http-port=8069`:

    python3 tools/bench_dashboard.py [--url http://127.0.0.1:8069]
        [--db beauty_bench_reports] [--runs 10] [--login admin]

Each run opens the dashboard in a fresh tab (the web client's assets come
from Chromium's cache after a first, untimed run) with the session of the
user, records through the DevTools protocol every request the page makes and
counts the dashboard as loaded when its spreadsheet is on screen and no
request has been pending for a second. It prints p50/p95 of the time from
navigation to the end of the last data request, and of each kind of
request (model/method of /web/dataset/call_kw, or the path).

Each run also opens Odoo's own Invoicing dashboard (``--compare``, another
name or nothing), right after the Salon one: what the web client itself
costs on the same server (its boot, the menus, the session, the
dashboards' list) before and beside any data of ours.
"""

import argparse
import json
import os
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlparse

import websocket

sys.path.insert(0, str(Path(__file__).resolve().parent))
from screenshots import Chromium, Server

IDLE = 1.0  # seconds without a pending request once the spreadsheet shows
# The bus's worker and websocket stay open (Chromium never reports their
# end): not part of the page's load.
LONG_LIVED = ("/bus/", "/websocket")
# The spreadsheet is drawn (as the dashboard tour waits for it) and no
# dashboard shows "Loading..." or an error.
READY = (
    "!!document.querySelector('.o_spreadsheet_dashboard_action .o_renderer canvas')"
    " && !document.querySelector('.o_spreadsheet_dashboard_action"
    " .dashboard-loading-status')"
)


def percentiles(timings):
    timings = sorted(timings)
    return statistics.median(timings), timings[round(0.95 * (len(timings) - 1))]


def kind(url):
    path = urlparse(url).path
    if path.startswith("/web/dataset/call_kw/"):
        return path[len("/web/dataset/call_kw/") :]
    return path


class Recorder:
    """The requests of one tab. Every message read goes through network(),
    including those that arrive while a command waits for its answer
    (screenshots.Tab.send drops them: a lost loadingFinished left the page
    pending for ever, "did not load in 120 s")."""

    def __init__(self, tab, server):
        self.tab, self.server = tab, server
        self.began = None
        self.pending, self.sent, self.finished, self.kinds = set(), {}, {}, {}
        self.last_event = time.time()

    def network(self, message):
        method = message.get("method", "")
        if not method.startswith("Network."):
            return
        params = message["params"]
        request_id = params.get("requestId")
        if method == "Network.requestWillBeSent":
            url = params["request"]["url"]
            if not url.startswith(self.server.url) or kind(url).startswith(LONG_LIVED):
                return
            if self.began is None:
                self.began = params["timestamp"]
            self.pending.add(request_id)
            self.sent[request_id] = params["timestamp"]
            self.kinds[request_id] = kind(url)
        elif request_id in self.pending and method in (
            "Network.loadingFinished",
            "Network.loadingFailed",
        ):
            self.pending.discard(request_id)
            self.finished[request_id] = params["timestamp"]
        self.last_event = time.time()

    def command(self, method, **params):
        tab = self.tab
        tab.next_id += 1
        tab.ws.send(json.dumps({"id": tab.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(tab.ws.recv())
            if message.get("id") == tab.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self.network(message)

    def wait(self, timeout):
        """Until the dashboard shows and no request has been pending for
        IDLE seconds."""
        deadline = time.time() + timeout
        shown = False
        while time.time() < deadline:
            self.tab.ws.settimeout(0.2)
            try:
                self.network(json.loads(self.tab.ws.recv()))
                continue
            except websocket.WebSocketTimeoutException:
                pass
            finally:
                self.tab.ws.settimeout(None)
            if not shown:
                result = self.command("Runtime.evaluate", expression=READY)
                shown = result.get("result", {}).get("value", False)
            if shown and not self.pending and time.time() - self.last_event > IDLE:
                return
        pending = sorted(self.kinds[request_id] for request_id in self.pending)
        raise SystemExit(
            f"the dashboard did not load in {timeout} s "
            f"(drawn: {shown}; pending: {pending})"
        )


def load_once(chromium, server, login, path, timeout=120):
    """(seconds from navigation to the end of the last request, seconds from
    the first request for the dashboard to it, {kind: [seconds]})."""
    tab = chromium.tab()
    try:
        recorder = Recorder(tab, server)
        recorder.command("Network.enable")
        recorder.command("Network.setCacheDisabled", cacheDisabled=False)
        recorder.command(
            "Network.setCookie",
            name="session_id",
            value=server.session(login).cookies.get("session_id"),
            url=server.url,
            path="/",
        )
        recorder.command("Page.enable")
        recorder.command("Page.navigate", url=server.url + path)
        recorder.wait(timeout)
        per_kind = defaultdict(list)
        for request_id, end in recorder.finished.items():
            per_kind[recorder.kinds[request_id]].append(end - recorder.sent[request_id])
        last = max(recorder.finished.values())
        data_began = min(
            recorder.sent[request_id]
            for request_id, name in recorder.kinds.items()
            if "dashboard" in name and not name.startswith("/odoo")
        )
        return last - recorder.began, last - data_began, per_kind
    finally:
        tab.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8069")
    parser.add_argument("--db", default="beauty_bench_reports")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--login", default="admin")
    parser.add_argument(
        "--compare",
        default="Invoicing",
        help="Odoo's own dashboard loaded in the same runs (empty: none)",
    )
    args = parser.parse_args()
    server = Server(args.url, args.db)
    names = ["Salon"] + ([args.compare] if args.compare else [])
    paths = {}
    for name in names:
        found = server.call(
            "spreadsheet.dashboard", "search", [("name", "=", name)], limit=1
        )
        if not found:
            sys.exit(f"no dashboard named {name!r} in {args.db}")
        paths[name] = f"/odoo/dashboards?dashboard_id={found[0]}"
    start_load = os.getloadavg()
    chromium = Chromium()
    results = {name: ([], [], defaultdict(list)) for name in names}
    try:
        for path in paths.values():
            load_once(chromium, server, args.login, path)  # fills Chromium's cache
        # One after the other in each run: a shared machine's load weighs
        # on both alike.
        for _run in range(args.runs):
            for name, path in paths.items():
                totals, data, kinds = results[name]
                total, loading, per_kind = load_once(chromium, server, args.login, path)
                totals.append(total * 1000)
                data.append(loading * 1000)
                for kind_name, durations in per_kind.items():
                    kinds[kind_name].extend(duration * 1000 for duration in durations)
    finally:
        chromium.close()
    print(
        f"{args.runs} loads of each dashboard; load average at the start "
        f"{start_load[0]:.2f}, now %.2f %.2f %.2f" % os.getloadavg()
    )
    for name, (totals, data, kinds) in results.items():
        print(f"{name} dashboard:")
        for kind_name, timings in sorted(kinds.items()):
            if kind_name.startswith(("/web/assets", "/web/static", "/web/image")):
                continue
            p50, p95 = percentiles(timings)
            count = len(timings) / args.runs
            print(
                f"  {kind_name:<52} x{count:<4g} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms"
            )
        for label, timings in (
            ("first dashboard request -> last request done", data),
            ("navigation -> last request done", totals),
        ):
            p50, p95 = percentiles(timings)
            print(f"  {label:<58} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms")


if __name__ == "__main__":
    main()
