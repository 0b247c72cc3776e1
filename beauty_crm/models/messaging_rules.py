"""Plain-Python rules of client messages: quiet hours in the client's time
zone and the choice of a channel. Kept free of the ORM so that the bulk
scheduling pass (rows read with SQL) and the dispatcher share one
implementation."""

from datetime import datetime, time, timedelta
from functools import lru_cache

import pytz

CHANNELS = ("email", "sms", "telegram", "whatsapp")
# Channels that need a chat linked to the client (OCA mail_gateway).
MESSENGERS = ("telegram", "whatsapp")
# Partner preference -> channels tried in this order.
CHANNEL_ORDERS = {
    "email_sms": ("email", "sms"),
    "sms_email": ("sms", "email"),
    "email": ("email",),
    "sms": ("sms",),
    "telegram_sms_email": ("telegram", "sms", "email"),
    "telegram_email_sms": ("telegram", "email", "sms"),
    "whatsapp_sms_email": ("whatsapp", "sms", "email"),
    "whatsapp_email_sms": ("whatsapp", "email", "sms"),
}
# A reminder moved out of quiet hours must still arrive before the visit.
BEFORE_QUIET = timedelta(minutes=5)


def _zone(tz):
    try:
        return pytz.timezone(tz or "UTC")
    except pytz.UnknownTimeZoneError:
        return pytz.utc


def _clock(hours):
    hours = max(0.0, min(float(hours or 0.0), 23.99))
    minutes = round(hours * 60)
    return time(minutes // 60, minutes % 60)


def _is_quiet(local, start, end):
    if start == end:
        return False
    now = local.time()
    if start > end:  # over midnight, e.g. 21:00 - 09:00
        return now >= start or now < end
    return start <= now < end


def quiet_end(moment, tz, start_hours, end_hours):
    """``moment`` (naive UTC) if it is outside the quiet hours of ``tz``,
    otherwise the naive UTC moment these quiet hours end."""
    zone = _zone(tz)
    start, end = _clock(start_hours), _clock(end_hours)
    local = pytz.utc.localize(moment).astimezone(zone)
    if not _is_quiet(local, start, end):
        return moment
    day = local.date()
    if start > end and local.time() >= start:
        day += timedelta(days=1)
    ends = zone.localize(datetime.combine(day, end))
    return ends.astimezone(pytz.utc).replace(tzinfo=None)


def quiet_begin(moment, tz, start_hours, end_hours):
    """For a ``moment`` inside quiet hours, the naive UTC moment they began."""
    zone = _zone(tz)
    start = _clock(start_hours)
    local = pytz.utc.localize(moment).astimezone(zone)
    day = local.date()
    if local.time() < start:
        day -= timedelta(days=1)
    began = zone.localize(datetime.combine(day, start))
    return began.astimezone(pytz.utc).replace(tzinfo=None)


# Visits start on a few slot times per day: the bulk pass computes each
# (time, zone) pair once.
@lru_cache(maxsize=65536)
def reminder_time(visit_start, hours_before, tz, start_hours, end_hours):
    """When to send a reminder ``hours_before`` a visit: outside quiet hours,
    and before the visit. Falling in quiet hours, it waits until they end,
    unless the visit comes first: then it leaves just before they begin."""
    wanted = visit_start - timedelta(hours=hours_before)
    moved = quiet_end(wanted, tz, start_hours, end_hours)
    if moved == wanted or moved < visit_start:
        return moved
    return quiet_begin(wanted, tz, start_hours, end_hours) - BEFORE_QUIET


def channels_for(order, default_channel, has_address):
    """Channels to try, best first: the client's order when set, else the
    message's default channel then the others; only channels for which
    ``has_address(channel)`` is true."""
    if order in CHANNEL_ORDERS:
        candidates = CHANNEL_ORDERS[order]
    else:
        candidates = (default_channel,) + tuple(
            channel for channel in CHANNELS if channel != default_channel
        )
    return [channel for channel in candidates if has_address(channel)]
