# Sourced by run.sh and test.sh: a virtual environment in .venv with the given requirements,
# and the front-end libraries from the npm registry copied into app/static/vendor.
# Each step runs only when its inputs changed since the last time.
set -euo pipefail
PYTHON="${PYTHON:-python3}"
requirements="$1"
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
stamp=".venv/.installed-$(basename "$requirements")"
digest="$(cat requirements*.txt | sha256sum | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$digest" ]; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$requirements"
  echo "$digest" > "$stamp"
fi
vendor_digest="$(cat package.json package-lock.json | sha256sum | cut -d' ' -f1)"
if [ ! -f app/static/vendor/.installed ] || [ "$(cat app/static/vendor/.installed)" != "$vendor_digest" ]; then
  npm ci --no-audit --no-fund --loglevel=error
  mkdir -p app/static/vendor
  cp node_modules/chart.js/dist/chart.umd.min.js app/static/vendor/chart.umd.js
  echo "$vendor_digest" > app/static/vendor/.installed
fi
