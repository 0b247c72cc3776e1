#!/usr/bin/env python3
"""The client messages of the demo salon over the next day, without waiting.

Runs the jobs of the client communications from now until the end of the
next day in the salon's time zone, moving the clock (freezegun) to every
hour - the reminder planning job runs hourly - and to every moment a
queued message falls due, where the dispatcher runs; then prints, per
channel, each message with its time in the client's time zone.

Nothing leaves the machine and nothing is kept: e-mails go through Odoo's
mail server in its test mode (rendered, not sent); SMS go to a fake JSON
webhook gateway on a local socket (the one of the tests); the transaction
is rolled back at the end, so the demo is as it was.

    python3 tools/demo_messages.py [--db beauty_demo]

PostgreSQL is found like `make demo` does (tools/pg_env.sh) when no PG*
variables are set.
"""

import argparse
import sys
import threading
from collections import defaultdict
from datetime import datetime, time, timedelta
from pathlib import Path

import pytz

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_slots import ROOT, reexec_with_pg_env

sys.path.insert(0, str(ROOT / "beauty_crm" / "tests"))
from fake_sms_server import FakeSmsServer


def local(env, partner, moment):
    if not moment:
        return "-"
    zone = pytz.timezone(partner._beauty_tz())
    return pytz.utc.localize(moment).astimezone(zone).strftime("%a %d %b %H:%M")


def run_jobs(env, start, end, freeze_time):
    """Plan and dispatch from ``start`` to ``end`` (naive UTC)."""
    Message = env["beauty.message"]
    moment = start
    while moment <= end:
        with freeze_time(moment):
            Message._cron_schedule_reminders()
            while Message._cron_dispatch():
                pass
        env.cr.execute(
            """
            SELECT min(COALESCE(next_try_at, scheduled_at)) FROM beauty_message
             WHERE state = 'queued' AND COALESCE(next_try_at, scheduled_at) > %s
            """,
            (moment,),
        )
        due = env.cr.fetchone()[0]
        next_hour = moment.replace(minute=0, second=0, microsecond=0) + timedelta(
            hours=1
        )
        moment = min(due, next_hour) if due else next_hour


def report(env, messages):
    by_channel = defaultdict(list)
    for message in messages:
        by_channel[message.channel].append(message)
    labels = dict(messages._fields["kind"]._description_selection(env))
    states = dict(messages._fields["state"]._description_selection(env))
    for channel, rows in sorted(by_channel.items()):
        print(f"\n{channel.upper()} ({len(rows)})")
        print(
            f"  {'client':<22} {'zone':<17} {'message':<16} {'visit':<16} "
            f"{'sent (planned)':<18} state"
        )
        for message in sorted(rows, key=lambda m: m.sent_at or m.scheduled_at):
            partner = message.partner_id
            visit = message.appointment_id.start
            when = (
                local(env, partner, message.sent_at)
                if message.sent_at
                else f"({local(env, partner, message.scheduled_at)})"
            )
            print(
                f"  {partner.name[:22]:<22} {partner._beauty_tz():<17} "
                f"{labels[message.kind][:16]:<16} {local(env, partner, visit):<16} "
                f"{when:<18} {states[message.state]}"
                + (f" ({message.error})" if message.error else "")
            )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default="beauty_demo")
    args = parser.parse_args()
    reexec_with_pg_env()

    from freezegun import freeze_time

    import odoo
    from odoo import SUPERUSER_ID, api
    from odoo.modules.registry import Registry

    odoo.tools.config.parse_config([f"--addons-path={ROOT}", "--log-level=warn"])
    # Odoo's mail server skips the SMTP connection in test mode, and the
    # dispatcher does not commit its batches: everything is rolled back.
    odoo.modules.module.current_test = "tools/demo_messages.py"
    threading.current_thread().testing = True
    registry = Registry(args.db)
    with registry.cursor() as cr, FakeSmsServer() as gateway:
        env = api.Environment(cr, SUPERUSER_ID, {})
        companies = env["res.company"].search([])
        companies.write(
            {
                "beauty_sms_provider": "webhook",
                "beauty_sms_url": gateway.url,
                "beauty_sms_api_key": "demo",
            }
        )
        gateway.responses = [(200, {"id": f"demo-{n}"}) for n in range(1, 1000)]
        now = datetime.now().replace(microsecond=0)
        zone = pytz.timezone(env.company._beauty_tz())
        tomorrow = pytz.utc.localize(now).astimezone(zone).date() + timedelta(days=1)
        end = (
            zone.localize(datetime.combine(tomorrow, time(23, 59)))
            .astimezone(pytz.utc)
            .replace(tzinfo=None)
        )
        cr.execute("SELECT COALESCE(max(id), 0) FROM beauty_message")
        last_id = cr.fetchone()[0]
        run_jobs(env, now, end, freeze_time)
        env.invalidate_all()
        messages = env["beauty.message"].search([("id", ">", last_id)])
        visits = messages.appointment_id
        print(
            f"{args.db}: jobs run from {now:%Y-%m-%d %H:%M} UTC to the end of "
            f"{tomorrow} ({zone.zone}); {len(messages)} messages about "
            f"{len(visits)} visits, {len(gateway.requests)} SMS at the gateway"
        )
        report(env, messages)
        cr.rollback()


if __name__ == "__main__":
    main()
