# Sourced by run.sh and test.sh: a virtual environment in .venv with the given requirements.
# Installs only when the requirements changed since the last install.
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
