"""MariaDB/MySQL through the `mysqldump` client: the dump, its checksums, its replay.

The password reaches mysqldump in an option file only this user can read, never on its
command line (which `ps` shows to everyone). While the dump streams to its file, its
INSERT statements are read back into row checksums, so the manifest describes exactly the
snapshot mysqldump took. The replay runs the statements through our own connection: a
restore needs no client program.
"""

import contextlib
import decimal
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time

from .checksum import OTHER, TableSum, canonical

SANDBOX_LINE = "/*M!999999\\- enable the sandbox mode */"
OPTIONS = [
    # One consistent InnoDB snapshot, without locking the tables the app writes to.
    "--single-transaction",
    "--skip-lock-tables",
    # Row by row from the server rather than whole tables in memory.
    "--quick",
    "--hex-blob",
    # Column names in every INSERT, so the checksums do not depend on column order.
    "--complete-insert",
    "--default-character-set=utf8mb4",
    # Tablespaces need the PROCESS privilege, which the app's user does not have.
    "--no-tablespaces",
]
_CREATE = re.compile(r"^CREATE TABLE `((?:[^`]|``)+)` \(")
_INSERT = re.compile(r"^INSERT INTO `((?:[^`]|``)+)` \((.*?)\) VALUES ", re.S)
_NAME = re.compile(r"`((?:[^`]|``)*)`")
_STRING = re.compile(r"'((?:[^'\\]|\\.)*)'", re.S)
_ESCAPE = re.compile(r"\\(.)", re.S)
_UNESCAPED = {"0": "\0", "n": "\n", "r": "\r", "t": "\t", "b": "\b", "Z": "\x1a"}
_HEX = re.compile(r"0x([0-9A-Fa-f]*)")
_NUMBER = re.compile(r"[^,)]+")


def available():
    return shutil.which("mysqldump") is not None


def _option_value(value):
    """A value for an option file: quoted (a '#' would start a comment), with the escapes
    the client reads; None when it cannot be written there (then MYSQL_PWD carries it)."""
    if "\n" in value or "\r" in value:
        return None
    escaped = value.replace("\\", "\\\\")
    if '"' not in value:
        return f'"{escaped}"'
    if "'" not in value:
        return f"'{escaped}'"
    return None


@contextlib.contextmanager
def client_options(url):
    """(path of an option file with the connection settings, extra environment)."""
    lines = ["[client]"]
    environment = {}
    if url.username:
        lines.append(f"user={_option_value(url.username) or url.username}")
    if url.password:
        value = _option_value(url.password)
        if value is None:
            # Visible in /proc/<pid>/environ to this user and root only, unlike argv.
            environment["MYSQL_PWD"] = url.password
        else:
            lines.append(f"password={value}")
    if url.query.get("unix_socket"):
        lines.append(f"socket={url.query['unix_socket']}")
    else:
        lines.append(f"host={url.host or 'localhost'}")
        lines.append(f"port={url.port or 3306}")
    descriptor, path = tempfile.mkstemp(prefix="sarpras-backup-", suffix=".cnf")
    try:
        os.fchmod(descriptor, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write("\n".join(lines) + "\n")
        yield path, environment
    finally:
        os.unlink(path)


def command(options_path, database):
    # --defaults-extra-file must come first, or mysqldump ignores it.
    return ["mysqldump", f"--defaults-extra-file={options_path}", *OPTIONS, database]


def dump(url, path, kinds, stall_seconds=0):
    """Run mysqldump into `path`; returns {table: TableSum} of the rows it wrote.
    kinds: {table: {column: checksum kind}} of the live database. mysqldump has no read
    timeout of its own: when it writes nothing for `stall_seconds` (0: no limit) the
    server is taken as hung and mysqldump is stopped."""
    sums = {}
    with client_options(url) as (options_path, environment), tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(
            command(options_path, url.database),
            stdout=subprocess.PIPE,
            stderr=errors,
            env={**os.environ, **environment},
        )
        progress = _Progress(process, stall_seconds)
        cut = None
        try:
            with open(path, "wb") as out:
                try:
                    for statement in _statements(_lines(process.stdout, out, progress)):
                        _add_to_sums(statement, sums, kinds)
                except ValueError as error:
                    cut = error  # a dump that stopped mid-statement: why comes below
            status = process.wait()
        finally:
            # Whatever stopped us (an error, SIGTERM), no mysqldump is left holding the
            # snapshot open.
            progress.stop()
            if process.poll() is None:
                process.kill()
                process.wait()
        if progress.stalled:
            raise RuntimeError(
                f"mysqldump gagal: server basis data tidak mengirim apa pun selama {stall_seconds:g} detik "
                "(macet?); cadangan dibatalkan"
            )
        if status != 0:
            errors.seek(0)
            message = errors.read().decode("utf-8", "replace").strip().splitlines()
            raise RuntimeError(f"mysqldump gagal ({status}): {message[-1] if message else 'tanpa pesan'}")
        if cut:
            raise RuntimeError(f"mysqldump gagal: {cut}")
    return sums


class _Progress:
    """Stops the process when no output came for `seconds` (0: never)."""

    def __init__(self, process, seconds):
        self.process = process
        self.seconds = seconds
        self.last = time.monotonic()
        self.stalled = False
        self.done = threading.Event()
        if seconds:
            threading.Thread(target=self._watch, daemon=True).start()

    def moved(self):
        self.last = time.monotonic()

    def stop(self):
        self.done.set()

    def _watch(self):
        while not self.done.wait(min(1.0, self.seconds / 4)):
            if time.monotonic() - self.last > self.seconds and self.process.poll() is None:
                self.stalled = True
                self.process.kill()
                return


def _lines(stream, copy_to, progress):
    for raw in stream:
        progress.moved()
        copy_to.write(raw)
        yield raw.decode("utf-8", "surrogateescape")


def read_statements(path):
    """The statements of a dump file, one at a time (for replay)."""
    with open(path, encoding="utf-8", errors="surrogateescape") as handle:
        yield from _statements(handle)


def _statements(lines):
    """Statements of mysqldump's output. It escapes line breaks inside strings, so a
    statement ends at the first line ending with the delimiter."""
    delimiter = ";"
    buffer = []
    for line in lines:
        stripped = line.rstrip("\r\n")
        if not buffer:
            if not stripped.strip() or stripped.startswith("--") or stripped.strip() == SANDBOX_LINE:
                continue
            if stripped.startswith("DELIMITER "):
                delimiter = stripped.split(None, 1)[1].strip()
                continue
        buffer.append(stripped)
        if stripped.rstrip().endswith(delimiter):
            statement = "\n".join(buffer).rstrip()
            buffer = []
            yield statement[: -len(delimiter)]
    if buffer:
        raise ValueError("dump terpotong: pernyataan terakhir tidak lengkap")


def replay(dbapi_connection, path):
    """Run every statement of a dump on one DB-API connection (its session settings, such
    as FOREIGN_KEY_CHECKS=0, hold for the whole replay)."""
    cursor = dbapi_connection.cursor()
    try:
        for statement in read_statements(path):
            cursor.execute(statement)
        dbapi_connection.commit()
    finally:
        cursor.close()


def _add_to_sums(statement, sums, kinds):
    created = _CREATE.match(statement)
    if created:
        sums.setdefault(_unquote(created.group(1)), TableSum())
        return
    inserted = _INSERT.match(statement)
    if not inserted:
        return
    table = _unquote(inserted.group(1))
    columns = [_unquote(name) for name in _NAME.findall(inserted.group(2))]
    kind_of = kinds.get(table, {})
    total = sums.setdefault(table, TableSum())
    for row in parse_values(statement, inserted.end()):
        total.add(
            {
                name: canonical(value, kind_of.get(name, OTHER))
                for name, value in zip(columns, row, strict=True)
            }
        )


def _unquote(name):
    return name.replace("``", "`")


def parse_values(text, position=0):
    """The rows of `(…),(…)` as mysqldump writes them (text from `position` on)."""
    rows = []
    while True:
        position = _skip_space(text, position)
        if text[position] != "(":
            raise ValueError(f"dump tidak terbaca di posisi {position}")
        position += 1
        row = []
        while True:
            value, position = _value(text, position)
            row.append(value)
            if text[position] == ",":
                position += 1
                continue
            if text[position] == ")":
                position += 1
                break
            raise ValueError(f"dump tidak terbaca di posisi {position}")
        rows.append(row)
        position = _skip_space(text, position)
        if position >= len(text) or text[position] == ";":
            return rows
        if text[position] != ",":
            raise ValueError(f"dump tidak terbaca di posisi {position}")
        position += 1


def _skip_space(text, position):
    while position < len(text) and text[position] in " \n\r\t":
        position += 1
    return position


def _value(text, position):
    if text[position] == "'":
        match = _STRING.match(text, position)
        unescaped = _ESCAPE.sub(lambda m: _UNESCAPED.get(m.group(1), m.group(1)), match.group(1))
        return unescaped, match.end()
    if text.startswith("NULL", position):
        return None, position + 4
    hexadecimal = _HEX.match(text, position)
    if hexadecimal:
        return bytes.fromhex(hexadecimal.group(1)), hexadecimal.end()
    token = _NUMBER.match(text, position)
    word = token.group(0).strip()
    number = int(word) if re.fullmatch(r"-?\d+", word) else decimal.Decimal(word)
    return number, token.end()
