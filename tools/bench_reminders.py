#!/usr/bin/env python3
"""Benchmark of the reminder scheduling pass (beauty.message).

100,000 confirmed appointments of 10,000 clients in five time zones, all
tomorrow, are bulk-inserted with SQL; then the hourly pass
(_cron_schedule_reminders) plans their reminders - 24 h by e-mail and 2 h
by SMS, moved out of the clients' quiet hours - and is timed, with the
resident memory of the process sampled every 50 ms. The pass runs a second
time to show that it creates nothing more (each reminder exists once). A
first round with 10,000 appointments shows how time and memory scale.

    python3 tools/bench_reminders.py [--db beauty_bench_reminders] [--keep]

It creates (and drops, unless --keep) a database with beauty_crm installed
without demo data. PostgreSQL is found like `make test` does
(tools/pg_env.sh) when no PG* variables are set.
"""

import argparse
import os
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_slots import ROOT, install, reexec_with_pg_env

CLIENTS = 10_000
ZONES = [
    "Europe/Moscow",
    "Europe/Kaliningrad",
    "Asia/Yekaterinburg",
    "Asia/Vladivostok",
    None,
]


def rss_mb():
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


class MemorySampler(threading.Thread):
    def __init__(self):
        super().__init__(daemon=True)
        self.start_mb = rss_mb()
        self.peak_mb = self.start_mb
        self.running = True

    def run(self):
        while self.running:
            self.peak_mb = max(self.peak_mb, rss_mb())
            time.sleep(0.05)

    def stop(self):
        self.running = False
        self.join()
        return self.peak_mb - self.start_mb


def insert_clients(cr, company_id):
    zones = "ARRAY[" + ", ".join(f"'{z}'" if z else "NULL" for z in ZONES) + "]"
    cr.execute(
        f"""
        INSERT INTO res_partner (name, complete_name, company_id, active,
                                 is_salon_client, type, email, email_normalized,
                                 mobile, phone_sanitized, tz, lang, autopost_bills,
                                 create_date, write_date)
        SELECT 'Bench client ' || n, 'Bench client ' || n, %s, true, true,
               'contact', 'bench' || n || '@example.com',
               'bench' || n || '@example.com',
               '+7916' || lpad(n::text, 7, '0'), '+7916' || lpad(n::text, 7, '0'),
               ({zones})[1 + n %% {len(ZONES)}], 'en_US', 'ask',
               now(), now()
          FROM generate_series(1, %s) AS n
        RETURNING id
        """,
        (company_id, CLIENTS),
    )
    return [row[0] for row in cr.fetchall()]


def insert_appointments(cr, company_id, clients, count, first, offset):
    """``count`` confirmed visits every 10 minutes for 10 hours from ``first``."""
    cr.execute(
        """
        INSERT INTO beauty_appointment (name, partner_id, company_id, state,
                                        channel, start, stop, amount_total,
                                        create_date, write_date)
        SELECT 'BENCH/' || (%(offset)s + n), (%(clients)s)[1 + n %% %(nclients)s],
               %(company)s, 'confirmed', 'phone',
               %(first)s + (n %% 60) * interval '10 minutes',
               %(first)s + interval '1 hour' + (n %% 60) * interval '10 minutes',
               1000, now(), now()
          FROM generate_series(1, %(count)s) AS n
        """,
        {
            "offset": offset,
            "clients": clients,
            "nclients": len(clients),
            "company": company_id,
            "first": first,
            "count": count,
        },
    )
    cr.execute("ANALYZE beauty_appointment")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="beauty_bench_reminders")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    args = parser.parse_args()
    reexec_with_pg_env()
    install(args.db)

    import odoo
    from odoo import SUPERUSER_ID, api
    from odoo.modules.registry import Registry

    odoo.tools.config.parse_config([f"--addons-path={ROOT}", "--log-level=warn"])
    registry = Registry(args.db)
    # Visits of one day, from 26 h to 36 h ahead: every reminder is ahead.
    first = datetime.now(UTC).replace(minute=0, second=0, microsecond=0, tzinfo=None)
    first += timedelta(hours=26)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        company = env.company
        company.write(
            {
                "beauty_reminder_hours": 24,
                "beauty_reminder_channel": "email",
                "beauty_reminder2_hours": 2,
                "beauty_reminder2_channel": "sms",
            }
        )
        clients = insert_clients(cr, company.id)
    results = []
    offset = 0
    for count in (10_000, 100_000):
        with registry.cursor() as cr:
            # Only the round's appointments are in the window of the pass.
            cr.execute("UPDATE beauty_appointment SET state = 'done'")
            insert_appointments(cr, company.id, clients, count, first, offset)
            offset += count
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            Message = env["beauty.message"]
            sampler = MemorySampler()
            sampler.start()
            began = time.perf_counter()
            created = Message._cron_schedule_reminders()
            elapsed = time.perf_counter() - began
            memory = sampler.stop()
            began = time.perf_counter()
            again = Message._cron_schedule_reminders()
            rerun = time.perf_counter() - began
            results.append((count, created, elapsed, memory, again, rerun))
            print(
                f"{count:>7,} appointments: {created:,} reminders in {elapsed:.1f} s, "
                f"peak memory +{memory:.0f} MB; second pass created {again} "
                f"in {rerun:.1f} s",
                flush=True,
            )
    registry.delete(args.db)
    odoo.sql_db.close_db(args.db)
    if not args.keep:
        subprocess.call(["dropdb", "--if-exists", args.db])
    worst = results[-1]
    print(
        f"100,000 appointments: scheduling pass {worst[2]:.1f} s "
        f"({'under' if worst[2] < 60 else 'OVER'} 60 s)"
    )
    return 0 if worst[2] < 60 else 1


if __name__ == "__main__":
    sys.exit(main())
