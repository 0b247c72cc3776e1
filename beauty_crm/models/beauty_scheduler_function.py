"""The second query of the slot search as a PL/pgSQL function.

Parsing, analysing and planning that query (a dozen tables, three common
table expressions, a union of seven parts) cost PostgreSQL about twice
what running it costs (issue #16: ~2.5 ms of ~4 ms on the benchmark).
PL/pgSQL keeps the prepared plan of its query for the session, and the
function forces the generic plan, so a search pays for running it only --
within one transaction or a session that lasts (a cron, a shell, the
benchmark). A web request does not keep it: Odoo's connection pool resets a
connection it lends (psycopg2's ``reset()``, a ``DISCARD ALL``), which drops
every cached plan, so the first search of each request plans the query
again (measured on the demo salon: 1.3 ms after the reset, 0.35 ms warm).
The function lives in the database (created or replaced by the module's
``init``), so it needs no state in the server process and works behind a
connection pooler; PostgreSQL drops its cached plan by itself when a table
it reads changes. It runs in the caller's snapshot (``STABLE``) and reads
the same rows as the query it replaces; busy time is still read from the
tables by every search. The busy time of a resource comes as two arrays, the
starts and the stops, in the order the rows are read (both aggregates of a
group see its rows in the same order; sorting them in the query costs more
than :func:`.intervals.sorted_disjoint` does in Python)."""

from odoo.tools import SQL

from .resource_calendar_schedule import VERSION_TABLE

FUNCTION = "beauty_slot_search_data"


def micro(column):
    """Microseconds since 1970 of a timestamp column, exact, in integer and
    float arithmetic (``extract`` computes in numeric, much slower): the
    days since 1970 in microseconds plus the time of day, whose
    microseconds a float holds exactly."""
    return (
        f"(({column}::date - date '1970-01-01') * 86400000000::bigint"
        f" + (date_part('epoch', {column}::time) * 1000000)::bigint)"
    )


FUNCTION_SQL = f"""
CREATE OR REPLACE FUNCTION {FUNCTION}(
    p_company integer,
    p_employee integer,
    p_templates integer[],
    p_lang_uid integer,
    p_start timestamp,
    p_stop timestamp,
    p_exclude integer[]
) RETURNS TABLE (
    out_kind integer, out_first integer, out_second integer,
    out_third integer, out_number bigint, out_text varchar, out_day date,
    out_rank bigint, out_starts bigint[], out_stops bigint[]
)
LANGUAGE plpgsql STABLE
SET plan_cache_mode = force_generic_plan
AS $function$
BEGIN
    RETURN QUERY
    WITH staff AS (
        SELECT employee.id, employee.resource_id,
               employee.resource_calendar_id, resource.tz,
               row_number() OVER (ORDER BY employee.name, employee.id) AS rank
          FROM hr_employee AS employee
          JOIN resource_resource AS resource ON resource.id = employee.resource_id
         WHERE employee.is_specialist
           AND employee.company_id = p_company
           AND CASE WHEN p_employee IS NULL THEN employee.active
                    ELSE employee.id = p_employee END
    ), allowed AS (
        SELECT rel.product_tmpl_id, rel.employee_id
          FROM beauty_employee_service_rel AS rel
          JOIN hr_employee AS employee ON employee.id = rel.employee_id
         WHERE employee.active AND rel.product_tmpl_id = ANY(p_templates)
    ), rooms AS (
        SELECT rel.product_tmpl_id, room.id,
               row_number() OVER (ORDER BY room.name, room.id) AS rank
          FROM beauty_product_room_rel AS rel
          JOIN resource_resource AS room ON room.id = rel.resource_id
         WHERE room.active AND rel.product_tmpl_id = ANY(p_templates)
    )
    SELECT 0, allowed.product_tmpl_id, allowed.employee_id, NULL::integer,
           NULL::bigint, NULL::varchar, NULL::date, NULL::bigint,
           NULL::bigint[], NULL::bigint[]
      FROM allowed
    UNION ALL
    SELECT 1, rooms.product_tmpl_id, rooms.id, NULL, NULL, NULL, NULL,
           rooms.rank, NULL, NULL
      FROM rooms
    UNION ALL
    SELECT 2, staff.id, staff.resource_id, staff.resource_calendar_id, NULL,
           staff.tz::varchar, NULL, staff.rank, NULL, NULL
      FROM staff
    UNION ALL
    SELECT 3, NULL, NULL, NULL, max(version.version), NULL, NULL, NULL, NULL,
           NULL
      FROM {VERSION_TABLE} AS version
    UNION ALL
    SELECT 4, skill.employee_id, skill.skill_id, NULL, NULL, NULL,
           skill.expiry_date, NULL, NULL, NULL
      FROM hr_employee_skill AS skill
      JOIN hr_skill_type AS type ON type.id = skill.skill_type_id
     WHERE type.active AND skill.employee_id IN (SELECT staff.id FROM staff)
    UNION ALL
    SELECT 5, NULL, NULL, NULL, NULL, partner.lang::varchar, NULL, NULL, NULL,
           NULL
      FROM res_users AS users
      JOIN res_company AS company ON company.id = users.company_id
      JOIN res_partner AS partner ON partner.id = company.partner_id
     WHERE p_lang_uid IS NOT NULL AND users.id = p_lang_uid
    UNION ALL
    SELECT 6, block.resource_id, NULL, NULL, NULL, NULL, NULL, NULL,
           array_agg({micro("block.start")}), array_agg({micro("block.stop")})
      FROM beauty_resource_block AS block
     WHERE p_stop IS NOT NULL
       AND block.active
       AND tsrange(block.start, block.stop) && tsrange(p_start, p_stop)
       AND block.resource_id = ANY(ARRAY(
           SELECT staff.resource_id FROM staff
            WHERE staff.id IN (SELECT allowed.employee_id FROM allowed)
               OR EXISTS (
                  SELECT FROM unnest(p_templates) AS tmpl(id)
                   WHERE tmpl.id NOT IN (
                       SELECT allowed.product_tmpl_id FROM allowed))
           UNION ALL
           SELECT rooms.id FROM rooms))
       AND block.appointment_id != ALL(p_exclude)
     GROUP BY block.resource_id;
END
$function$
"""


def create_function(cr):
    cr.execute(SQL(FUNCTION_SQL))


def call_function(company_id, employee_id, templates, lang_uid, window, exclude):
    """The SQL that calls the function; ``window``: (start, stop) or None."""
    start, stop = window or (None, None)
    return SQL(
        "SELECT * FROM %s(%s, %s, %s::integer[], %s, %s::timestamp,"
        " %s::timestamp, %s::integer[])",
        SQL.identifier(FUNCTION),
        company_id,
        employee_id,
        list(templates),
        lang_uid,
        start,
        stop,
        list(exclude),
    )
