# Sourced by run.sh, test.sh and install.sh: a virtual environment in .venv with the given
# requirements, and the front-end files from the npm registry in app/static/vendor (fetched
# and checked by scripts/fetch_vendor.py: no Node needed).
# Each step runs only when its inputs changed since the last time.
set -euo pipefail
PYTHON="${PYTHON:-python3}"
requirements="$1"
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "Python 3.11 or later is needed ($PYTHON is $("$PYTHON" --version 2>&1 || echo missing)); set PYTHON=/path/to/python3.11." >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
stamp=".venv/.installed-$(basename "$requirements")"
digest="$(cat requirements*.txt | sha256sum | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$digest" ]; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$requirements"
  echo "$digest" > "$stamp"
fi
vendor_digest="$(cat package.json package-lock.json scripts/fetch_vendor.py | sha256sum | cut -d' ' -f1)"
if [ ! -f app/static/vendor/.installed ] || [ "$(cat app/static/vendor/.installed)" != "$vendor_digest" ]; then
  .venv/bin/python scripts/fetch_vendor.py
  echo "$vendor_digest" > app/static/vendor/.installed
fi
