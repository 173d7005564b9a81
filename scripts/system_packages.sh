# Sourced by test.sh and .ci/run: the Debian packages the tests need (Chromium for the
# browser tests, the MariaDB client for the backup tests), installed when missing and when
# we may (root with apt-get).
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Chromium for the browser tests..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
  else
    echo "Chromium is missing and cannot be installed here: browser tests will be skipped." >&2
  fi
fi
if ! command -v mysqldump >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing the MariaDB client (mysqldump) for the backup tests..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mariadb-client >/dev/null
  else
    echo "mysqldump is missing and cannot be installed here: the backup test of that method fails." >&2
  fi
fi
