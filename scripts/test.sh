#!/usr/bin/env bash
# Set up and run the whole test suite: lint, then pytest on SQLite and, when
# TEST_DATABASE_URL is set, on that database too.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup_env.sh requirements-dev.txt
source scripts/system_packages.sh
.venv/bin/ruff check .
.venv/bin/ruff format --check .
exec .venv/bin/python -m pytest "$@"
