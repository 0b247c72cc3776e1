#!/usr/bin/env bash
# Runs every beauty_crm test on a fresh database, browser tours included, then
# uninstalls the addon; ends with "N passed, N failed" and fails on any failed
# test, error or traceback in the log.
set -uo pipefail
cd "$(dirname "$0")/.."
python3 -c 'import odoo' 2>/dev/null || { echo "Odoo 18.0 is not importable as 'odoo' from python3" >&2; exit 2; }
python3 -m pip install --quiet --disable-pip-version-check -r requirements.txt >/dev/null 2>&1 ||
    { echo "pip could not install requirements.txt" >&2; exit 2; }
. tools/pg_env.sh
pg_up || exit 2
trap pg_down EXIT

db="beauty_test_$(date +%Y%m%d%H%M%S)"
mkdir -p .run
log=".run/$db.log"
opts=("${ODOO_DB_ARGS[@]}" --addons-path=. -d "$db" --http-interface=127.0.0.1
      --http-port="${BEAUTY_TEST_HTTP_PORT:-18069}" --max-cron-threads=0 --log-handler=werkzeug:WARNING)

echo "Installing beauty_crm with its tests into $db (log: $log)"
timeout -k 30 "${BEAUTY_TEST_TIMEOUT:-1500}" python3 -m odoo "${opts[@]}" -i beauty_crm,payment_demo --test-enable \
    --test-tags="${BEAUTY_TEST_TAGS:-/beauty_crm}" --stop-after-init >"$log" 2>&1
rc=$?
echo "Uninstalling beauty_crm"
timeout 600 python3 -m odoo shell "${opts[@]}" --no-http <tools/uninstall.py >>"$log" 2>&1 || rc=1
dropdb "$db" 2>/dev/null

python3 tools/test_summary.py "$log" "$rc"
