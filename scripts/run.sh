#!/usr/bin/env bash
# Set up and start the app on its embedded defaults: SQLite in instance/, WhatsApp provider
# "log", the demo people, the background worker inside the web process.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup_env.sh requirements.txt
HOST="${HOST:-127.0.0.1}"
PORT="${PORT:-5000}"
# A taken port is told now, not after the database was set up and seeded.
.venv/bin/python scripts/check_port.py "$HOST" "$PORT"
.venv/bin/flask --app wsgi init-db
.venv/bin/flask --app wsgi seed-demo
cat <<INFO

  Sarpras berjalan di        http://$HOST:$PORT/
  Login demo                 username: admin   password: sarpras123
INFO
.venv/bin/flask --app wsgi setup-info --url "http://$HOST:$PORT"
echo
exec .venv/bin/flask --app wsgi run --host "$HOST" --port "$PORT" --no-reload
