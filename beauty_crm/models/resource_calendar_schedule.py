"""The version of the working schedules the slot search caches.

The slot search keeps the working time of specialists (attendances minus
time off and public holidays) in an ``ormcache`` keyed on this version
(see ``beauty_scheduler_micro.py``). Every create, write and unlink of a
calendar, an attendance or a time off (hr.leave validates and refuses by
creating and unlinking resource.calendar.leaves), and every change of a
resource's calendar, time zone or company, takes a new version.

The version is a row of a table, so that it is transactional like the data
it stands for: a search sees the version of its own snapshot, and a cache
entry is always the schedule of the version it is keyed on, whatever other
transactions do meanwhile. Its values come from a sequence, which a
rollback does not rewind, so a version is never used twice. Busy time
(bookings) is never cached."""

from odoo import api, models
from odoo.tools import SQL

VERSION_TABLE = "beauty_schedule_version"
VERSION_SEQUENCE = "beauty_schedule_version_seq"
RESOURCE_FIELDS = {"calendar_id", "tz", "company_id", "active"}


def create_version_table(cr):
    cr.execute(
        SQL(
            """CREATE SEQUENCE IF NOT EXISTS %(seq)s;
               CREATE TABLE IF NOT EXISTS %(table)s (version bigint NOT NULL);
               INSERT INTO %(table)s (version)
               SELECT nextval(%(seq_name)s) WHERE NOT EXISTS (SELECT FROM %(table)s)""",
            seq=SQL.identifier(VERSION_SEQUENCE),
            table=SQL.identifier(VERSION_TABLE),
            seq_name=VERSION_SEQUENCE,
        )
    )


def schedule_version(cr):
    """The version of the schedules in this transaction's snapshot."""
    cr.execute(SQL("SELECT max(version) FROM %s", SQL.identifier(VERSION_TABLE)))
    return cr.fetchone()[0]


def bump_schedule_version(env):
    """Take a new version: every cached schedule becomes unreachable."""
    env.cr.execute(
        SQL(
            "UPDATE %s SET version = nextval(%s)",
            SQL.identifier(VERSION_TABLE),
            VERSION_SEQUENCE,
        )
    )


class ScheduleVersionMixin(models.AbstractModel):
    _name = "beauty.schedule.version.mixin"
    _description = "Takes a new schedule version on every change"

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        bump_schedule_version(self.env)
        return records

    def write(self, vals):
        bump_schedule_version(self.env)
        return super().write(vals)

    def unlink(self):
        bump_schedule_version(self.env)
        return super().unlink()


class ResourceCalendar(models.Model):
    _name = "resource.calendar"
    _inherit = ["resource.calendar", "beauty.schedule.version.mixin"]

    def init(self):
        result = super().init()
        create_version_table(self.env.cr)
        return result


class ResourceCalendarAttendance(models.Model):
    _name = "resource.calendar.attendance"
    _inherit = ["resource.calendar.attendance", "beauty.schedule.version.mixin"]


class ResourceCalendarLeaves(models.Model):
    _name = "resource.calendar.leaves"
    _inherit = ["resource.calendar.leaves", "beauty.schedule.version.mixin"]


class ResourceResource(models.Model):
    _inherit = "resource.resource"

    def write(self, vals):
        if RESOURCE_FIELDS & set(vals):
            bump_schedule_version(self.env)
        return super().write(vals)
