#!/usr/bin/env bash
# Install or upgrade for production, from the folder of a clone (as the user that runs the
# app): .venv from requirements.txt, the front-end files, the database schema (init-db runs
# every migration not yet applied). Never adds demo data, never starts a server. Run it
# again after `git pull` to upgrade, then restart the two services.
#
#   bash scripts/install.sh [https://public-address-of-the-server]
#   bash scripts/install.sh --dry-run   (.venv and the front-end files, then only what
#                                        init-db would do; the database is not touched)
set -euo pipefail
cd "$(dirname "$0")/.."
dry_run=""
if [ "${1:-}" = "--dry-run" ]; then
  dry_run=1
  shift
fi
if [ ! -f .env ] && [ -z "${DATABASE_URL:-}" ]; then
  echo "Galat: berkas .env belum ada di $(pwd): tulis dulu DATABASE_URL dan pengaturan lain (README, bagian Production)." >&2
  exit 1
fi
source scripts/setup_env.sh requirements.txt
if [ -n "$dry_run" ]; then
  # A PHP system's database is looked at before anything is written to it (README,
  # Moving from the PHP system).
  exec .venv/bin/python -m flask --app wsgi init-db --dry-run
fi
.venv/bin/python -m flask --app wsgi init-db
echo
echo "Yang masih perlu dilakukan (baris BELUM; tanpa baris itu semuanya siap):"
.venv/bin/python -m flask --app wsgi setup-info --production --url "${1:-https://ALAMAT-SERVER}"
cat <<INFO

  Layanan (contoh di deploy/): sudo systemctl restart sarpras-web sarpras-worker
INFO
