#!/usr/bin/env bash
# Serves beauty_crm with its demo salon on http://127.0.0.1:8069. Arguments are
# passed to Odoo, e.g. --smtp-server=127.0.0.1 --smtp-port=1025 for a local
# mail catcher (the demo has no outgoing mail server of its own).
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -c 'import odoo' 2>/dev/null || { echo "Odoo 18.0 is not importable as 'odoo' from python3" >&2; exit 2; }
python3 -m pip install --quiet --disable-pip-version-check -r requirements.txt >/dev/null 2>&1 ||
    { echo "pip could not install requirements.txt" >&2; exit 2; }
. tools/pg_env.sh
pg_up
trap pg_down EXIT

db="${BEAUTY_DEMO_DB:-beauty_demo}"
odoo=(python3 -m odoo "${ODOO_DB_ARGS[@]}" --addons-path=. -d "$db" --db-filter="^$db\$"
      --http-interface=127.0.0.1 --http-port="${BEAUTY_DEMO_PORT:-8069}")
if ! psql -d "$db" -tAc "SELECT 1 FROM ir_module_module WHERE name = 'beauty_crm' AND state = 'installed'" 2>/dev/null | grep -q 1; then
    echo "Creating database $db with beauty_crm and its demo salon (a few minutes)..."
    "${odoo[@]}" -i beauty_crm --load-language=en_US,ru_RU,zh_CN --stop-after-init --log-level=warn
    python3 -m odoo shell "${ODOO_DB_ARGS[@]}" --addons-path=. -d "$db" --no-http --log-level=warn \
        <tools/demo_setup.py >/dev/null
fi
cat <<MSG

beauty_crm demo, Салон красоты «Лаванда» (Moscow, RUB) and its Shanghai salon (CNY):
  journal:      http://127.0.0.1:${BEAUTY_DEMO_PORT:-8069}/odoo/action-beauty_crm.beauty_appointment_line_action_journal
  booking page: http://127.0.0.1:${BEAUTY_DEMO_PORT:-8069}/booking
  manager:      admin / admin (both salons)
  receptionist: reception / reception
  specialists:  anna / anna, irina / irina, maria / maria, olga / olga, alina / alina
  Shanghai:     wangli / wangli (manager), chenjing / chenjing, liuyang / liuyang
  client:       ekaterina / ekaterina (portal: http://127.0.0.1:${BEAUTY_DEMO_PORT:-8069}/my)
SMS are not sent: each one (one-time codes of the booking page included) is
written to this log as "SMS test mode, not sent" (Settings > Salon > SMS gateway).
Stop with Ctrl+C.
MSG
"${odoo[@]}" --log-level=warn "$@"
