"""Benchmark: how long the pegawai import takes for hostile uploads and for the largest
good one (issue 10).

Builds each file of tests/hostile_tables.py in memory and times
app.panel.table_reader.read on it (the step a web request spends its time in), printing
the file's packed and unpacked size, the seconds, and what the reader answered. Then the
two requests of a real import of 5000 good rows, on a database: the preview (read and
check every row) and the save. Figures only, no targets checked; docs/PERFORMANCE.md
records a run. Run from the project root:

    .venv/bin/python scripts/bench_import.py
    .venv/bin/python scripts/bench_import.py --database mysql+pymysql://root@127.0.0.1:3306/sarpras_bench

A MariaDB/MySQL database is created when missing and its tables are dropped first.
"""

import argparse
import io
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from app.panel import importer, table_reader  # noqa: E402
from scripts.bench_common import app_database_url, prepare_mysql  # noqa: E402
from tests import hostile_tables as hostile  # noqa: E402
from tests.conftest import make_app, reset_database  # noqa: E402

FILES = [
    ("row of 3,000,000 cells", "lebar.xlsx", lambda: hostile.wide_row(3_000_000)),
    ("row of 1,000,000 cells", "lebar.xlsx", lambda: hostile.wide_row(1_000_000)),
    ("row of 700,000 cells (under the cap)", "lebar.xlsx", lambda: hostile.wide_row(700_000)),
    ("1,000,000 rows of a number", "baris.xlsx", lambda: hostile.crafted_xlsx(hostile.numbers(1_000_000))),
    (
        "450,000 rows of a number (under)",
        "baris.xlsx",
        lambda: hostile.crafted_xlsx(hostile.numbers(450_000)),
    ),
    ("1,000,000 empty rows", "kosong.xlsx", lambda: hostile.empty_rows(1_000_000)),
    ("1,000,000 shared strings", "sst.xlsx", lambda: hostile.many_shared_strings(1_000_000)),
    ("one 11 MB string in 150 rows", "panjang.xlsx", lambda: hostile.one_long_shared_string()),
    ("600,000 shared strings (under)", "sst.xlsx", lambda: hostile.many_shared_strings(600_000)),
    ("CSV row of 2,400,000 columns", "lebar.csv", lambda: hostile.wide_csv(2_400_000)),
    ("realistic 5000 rows x 8 columns", "pegawai.xlsx", lambda: hostile.realistic_xlsx(5000)),
]


def unpacked(name, content):
    if not name.endswith(".xlsx"):
        return len(content)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return sum(item.file_size for item in archive.infolist())


def good_import(database):
    """Seconds of the preview and of the save of 5000 good rows, as the two requests do."""
    folder = Path(tempfile.mkdtemp())
    if database.startswith("mysql"):
        prepare_mysql(database)
    app = make_app(database, folder)
    reset_database(app)
    content = hostile.realistic_xlsx(5000)
    with app.test_request_context():
        started = time.perf_counter()
        rows = importer.check(importer.read_table("pegawai.xlsx", io.BytesIO(content)))
        token = importer.keep(str(folder), rows, "ADM01")
        previewed = time.perf_counter()
        saved, skipped = importer.save(str(folder), token, "ADM01")
        done = time.perf_counter()
    backend = database.partition(":")[0]
    print(
        f"\n{backend}: 5000 good rows: preview {previewed - started:.2f} s, "
        f"save {done - previewed:.2f} s ({saved} saved, {skipped} skipped)"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", help="SQLAlchemy URL (default: a fresh SQLite file)")
    args = parser.parse_args()
    print(f"{'file':38} {'packed':>9} {'unpacked':>10} {'seconds':>8}  answer")
    for label, name, build in FILES:
        content = build()
        started = time.perf_counter()
        try:
            table = table_reader.read(name, io.BytesIO(content), importer.MAX_ROWS)
            answer = f"{len(table.records)} rows, {len(table.columns)} columns"
        except table_reader.Unreadable as error:
            answer = str(error)[:70]
        elapsed = time.perf_counter() - started
        print(
            f"{label:38} {len(content) / 1024:7.0f}kB {unpacked(name, content) / 2**20:8.1f}MB "
            f"{elapsed:8.2f}  {answer}"
        )
    database = (
        app_database_url(args.database)
        if args.database
        else f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.db'}"
    )
    good_import(database)


if __name__ == "__main__":
    main()
