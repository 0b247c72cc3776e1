from datetime import timedelta

from odoo import api, fields, models

from .loyalty_card import _is_birthday
from .messaging_rules import channels_for, reminder_time

# The scheduling pass runs hourly: a reminder planned up to this long ago is
# still sent (late) rather than skipped.
PASS_GRACE = timedelta(hours=1)
# Reminders are planned this long ahead, so that the log shows them.
HORIZON = timedelta(hours=24)
SCHEDULE_BATCH = 5000
# Win-back: clients whose last visit falls in this window after the company's
# win-back days, so that long-lost clients are not written to every day.
WINBACK_WINDOW = timedelta(days=30)
RECALL_WINDOW = timedelta(days=7)


class BeautyMessage(models.Model):
    _inherit = "beauty.message"

    # ------------------------------------------------------------------
    # Reminders before visits
    # ------------------------------------------------------------------

    @api.model
    def _cron_schedule_reminders(self, appointment_ids=None, grace=PASS_GRACE):
        """Plan the reminders of confirmed visits of the next day, in batches
        of SCHEDULE_BATCH appointments read and inserted with SQL (INSERT ...
        ON CONFLICT DO NOTHING on the message key): memory stays flat and a
        visit gets each reminder once, however often the pass runs.

        The time of each reminder is computed in the client's time zone
        (messaging_rules.reminder_time); one too late to be useful - planned
        more than ``grace`` ago, e.g. for a visit booked an hour before - is
        not created."""
        now = fields.Datetime.now()
        companies = self.env["res.company"].sudo().search([])
        settings = {
            company.id: (
                (
                    ("reminder", company.beauty_reminder_hours),
                    ("reminder_soon", company.beauty_reminder2_hours),
                ),
                {
                    "reminder": company.beauty_reminder_channel,
                    "reminder_soon": company.beauty_reminder2_channel,
                },
                company.beauty_quiet_start,
                company.beauty_quiet_end,
                company._beauty_tz(),
            )
            for company in companies
        }
        longest = max(
            [
                max(company.beauty_reminder_hours, company.beauty_reminder2_hours)
                for company in companies
            ]
            or [0]
        )
        until = now + timedelta(hours=longest) + HORIZON
        if appointment_ids is not None:
            # A visit just booked or moved gets its reminders whatever its date.
            until = now + timedelta(days=3660)
        self.flush_model()
        self.env["beauty.appointment"].flush_model(["state", "start", "partner_id"])
        last_id, created = 0, 0
        while True:
            rows = self._beauty_reminder_candidates(
                now, until, last_id, appointment_ids
            )
            if not rows:
                break
            last_id = rows[-1][0]
            known = self._beauty_known_reminder_keys([row[0] for row in rows])
            messages = []
            for row in rows:
                messages.extend(
                    message
                    for message in self._beauty_reminder_rows(
                        row, settings, now - grace
                    )
                    if message["dedup_key"] not in known
                )
            created += len(self._beauty_insert(messages))
            if appointment_ids is None:
                self._beauty_commit()
        if created and appointment_ids is not None:
            self._beauty_wake()
        return created

    @api.model
    def _beauty_reminder_candidates(self, now, until, last_id, appointment_ids):
        only = "AND a.id = ANY(%(ids)s)" if appointment_ids is not None else ""
        # ``only`` is one of two constant strings.
        self.env.cr.execute(
            f"""
            SELECT a.id, a.start, a.partner_id, a.company_id, p.tz,
                   p.email_normalized IS NOT NULL, p.phone_sanitized IS NOT NULL,
                   p.beauty_channel_order,
                   ARRAY(SELECT DISTINCT g.gateway_type
                           FROM res_partner_gateway_channel c
                           JOIN mail_gateway g ON g.id = c.gateway_id
                          WHERE c.partner_id = p.id
                            AND (g.company_id IS NULL OR g.company_id = a.company_id))
              FROM beauty_appointment a
              JOIN res_partner p ON p.id = a.partner_id
             WHERE a.state = 'confirmed' AND a.start > %(now)s
               AND a.start <= %(until)s AND a.id > %(last)s {only}
             ORDER BY a.id
             LIMIT %(limit)s
            """,
            {
                "now": now,
                "until": until,
                "last": last_id,
                "ids": list(appointment_ids or []),
                "limit": SCHEDULE_BATCH,
            },
        )
        return self.env.cr.fetchall()

    def _beauty_known_reminder_keys(self, appointment_ids):
        """Keys of the batch's reminders that exist and need not be planned
        again; skipping them spares the conflict (and its row lock) of the
        insert. Cancelled ones are offered again (a visit moved back)."""
        self.env.cr.execute(
            """
            SELECT dedup_key FROM beauty_message
             WHERE appointment_id = ANY(%s)
               AND kind IN ('reminder', 'reminder_soon')
               AND state != 'cancelled'
            """,
            (appointment_ids,),
        )
        return {key for (key,) in self.env.cr.fetchall()}

    def _beauty_reminder_rows(self, row, settings, not_before):
        appointment_id, start, partner_id, company_id, tz = row[:5]
        has_email, has_phone, order, chats = row[5:]
        reachable = {"email": has_email, "sms": has_phone}
        reachable.update(dict.fromkeys(chats, True))
        if company_id not in settings:
            return []
        steps, defaults, quiet_start, quiet_end, company_tz = settings[company_id]
        tz = tz or company_tz
        channels_of = {}
        result = []
        for kind, hours in steps:
            if not hours:
                continue
            at = reminder_time(start, hours, tz, quiet_start, quiet_end)
            if at < not_before or at >= start:
                continue
            default = defaults[kind]
            if default not in channels_of:
                channels_of[default] = channels_for(
                    order,
                    default,
                    lambda channel: reachable.get(channel, False),
                )
            channels = channels_of[default]
            result.append(
                {
                    "partner_id": partner_id,
                    "appointment_id": appointment_id,
                    "company_id": company_id,
                    "kind": kind,
                    "channel": channels[0] if channels else "email",
                    "state": "queued" if channels else "cancelled",
                    "scheduled_at": at,
                    "dedup_key": _reminder_key(kind, appointment_id, start),
                    "error": None
                    if channels
                    else self.env._(
                        "The client has no e-mail address, mobile number or "
                        "linked chat."
                    ),
                }
            )
        return result

    # ------------------------------------------------------------------
    # Marketing: recall, birthday, win-back (daily)
    # ------------------------------------------------------------------

    @api.model
    def _cron_schedule_marketing(self):
        """Daily: recalls, birthday greetings and win-backs. Each needs the
        client's marketing consent for the channel (checked again when it
        leaves); the key makes each one once per visit, year or absence."""
        created = self._beauty_schedule_recalls()
        created += self._beauty_schedule_birthdays()
        created += self._beauty_schedule_winbacks()
        if created:
            self._beauty_wake()
        return created

    def _beauty_salon_clients(self, domain):
        return (
            self.env["res.partner"]
            .sudo()
            .search([("is_salon_client", "=", True), *domain])
        )

    def _beauty_nothing_booked(self, partners, now):
        return partners.filtered(
            lambda partner: (
                not partner.next_appointment_start
                or partner.next_appointment_start < now
            )
        )

    @api.model
    def _beauty_schedule_recalls(self):
        now = fields.Datetime.now()
        today = now.date()
        window = [
            ("next_visit_date", ">=", today - RECALL_WINDOW),
            ("next_visit_date", "<=", today),
        ]
        partners = self._beauty_salon_clients(window)
        procedures = (
            self.env["beauty.procedure"]
            .sudo()
            .search([("state", "=", "done"), *window])
        )
        partners |= procedures.partner_id.filtered("is_salon_client")
        return len(self._beauty_queue_recalls(partners, now))

    @api.model
    def _beauty_queue_recalls(self, partners, now=None):
        """Queue the recall of each client with nothing booked, once per last
        visit (the key), with the consent the channel needs; returns the ids
        queued. Used by the daily job and by the visits-due report."""
        now = now or fields.Datetime.now()
        rows = []
        for partner in self._beauty_nothing_booked(partners, now):
            last = partner.last_visit_date
            key = f"recall:{partner.id}:{last.date() if last else 'none'}"
            rows.append(self._beauty_row("recall", partner, key, now))
        return self._beauty_insert([row for row in rows if row])

    @api.model
    def _beauty_schedule_birthdays(self):
        now = fields.Datetime.now()
        today = now.date()
        partners = self._beauty_salon_clients([("birthday", "!=", False)])
        rows = []
        for partner in partners:
            if _is_birthday(partner.birthday, today):
                key = f"birthday:{partner.id}:{today.year}"
                rows.append(self._beauty_row("birthday", partner, key, now))
        return len(self._beauty_insert([row for row in rows if row]))

    @api.model
    def _beauty_schedule_winbacks(self):
        now = fields.Datetime.now()
        created = 0
        for company in self.env["res.company"].sudo().search([]):
            if not company.beauty_winback_days:
                continue
            since = now - timedelta(days=company.beauty_winback_days)
            partners = self._beauty_salon_clients(
                [
                    ("company_id", "in", (company.id, False)),
                    ("last_visit_date", "<=", since),
                    ("last_visit_date", ">", since - WINBACK_WINDOW),
                    ("client_blacklisted", "=", False),
                ]
            )
            for partner in self._beauty_nothing_booked(partners, now):
                key = f"winback:{partner.id}:{partner.last_visit_date.date()}"
                row = self._beauty_row("winback", partner, key, now)
                if not row:
                    # Without consent the desk still calls: the row keeps the
                    # call from being planned again tomorrow.
                    row = {
                        "partner_id": partner.id,
                        "company_id": company.id,
                        "kind": "winback",
                        "channel": "email",
                        "state": "cancelled",
                        "scheduled_at": now,
                        "dedup_key": key,
                        "error": self.env._(
                            "No marketing consent: a call from the desk only."
                        ),
                    }
                if self._beauty_insert([row]):
                    created += 1
                    partner._beauty_plan_winback_call(company)
        return created


def _reminder_key(kind, appointment_id, start):
    return f"{kind}:{appointment_id}:{start:%Y%m%dT%H%M%S}"
