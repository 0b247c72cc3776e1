# Sourced by the demo and test commands: find a PostgreSQL server for Odoo.
#
# A server named by the usual PG* variables (PGHOST, PGPORT, PGUSER, ...) or by
# an Odoo config file (ODOO_RC) is used as it is. Otherwise a throwaway cluster
# is started under .pg/ in this checkout (git-ignored), owned by the `postgres`
# OS user when run as root, since PostgreSQL refuses to run as root, with a
# database role of its own for Odoo (Odoo refuses the `postgres` role).

PG_OWN_CLUSTER=0
ODOO_DB_ARGS=()

pg_up() {
    if [ -n "${ODOO_RC:-}" ]; then
        ODOO_DB_ARGS=(--config "$ODOO_RC")
        return
    fi
    if [ -n "${PGHOST:-}${PGPORT:-}${PGUSER:-}" ]; then
        return
    fi
    local bin root data run
    bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    [ -x "$bin/pg_ctl" ] || { echo "PostgreSQL server programs not found (initdb, pg_ctl)" >&2; return 1; }
    root="$PWD/.pg"
    data="$root/data"
    run="$root/run"
    mkdir -p "$run"
    local as=()
    if [ "$(id -u)" = 0 ]; then
        as=(runuser -u postgres --)
        chown postgres "$root" "$run"
    fi
    if [ ! -f "$data/PG_VERSION" ]; then
        "${as[@]}" "$bin/initdb" -D "$data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
    fi
    export PGHOST="$run" PGPORT="${BEAUTY_PGPORT:-55432}" PGUSER=beauty_odoo
    if ! "${as[@]}" "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
        "${as[@]}" "$bin/pg_ctl" -D "$data" -l "$root/server.log" -w start \
            -o "-k $run -p $PGPORT -c listen_addresses=127.0.0.1 -c fsync=off" >/dev/null
        PG_OWN_CLUSTER=1
    fi
    psql -U postgres -d postgres -tAc "SELECT 1 FROM pg_roles WHERE rolname = 'beauty_odoo'" | grep -q 1 ||
        psql -U postgres -d postgres -qc "CREATE ROLE beauty_odoo LOGIN CREATEDB"
    PG_CTL=("${as[@]}" "$bin/pg_ctl" -D "$data")
}

pg_down() {
    if [ "$PG_OWN_CLUSTER" = 1 ]; then
        "${PG_CTL[@]}" stop -m fast >/dev/null
    fi
}
