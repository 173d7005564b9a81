# Sourced by test.sh and .ci/run: the Debian packages the tests need (Chromium for the
# browser tests, nginx for `nginx -t` on deploy/nginx-sarpras.conf, the MariaDB client's
# mysqldump for the backup tests), installed when missing and when we may (root with
# apt-get). Tests that need a missing one are skipped.
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium fonts-dejavu-core)
[ -x /usr/sbin/nginx ] || command -v nginx >/dev/null 2>&1 || missing+=(nginx)
command -v mysqldump >/dev/null 2>&1 || missing+=(mariadb-client)
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing ${missing[*]} for the tests..."
    apt-get update -qq
    # The tests only run `nginx -t` on a configuration of their own; whether the package
    # starts its default site on port 80 here does not matter to them.
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "Missing ${missing[*]}, which cannot be installed here: the tests needing them will be skipped." >&2
  fi
fi
