"""Benchmark: how long the pegawai import's reader takes for hostile uploads (issue 10).

Builds each file of tests/hostile_tables.py in memory and times
app.panel.table_reader.read on it (the step a web request spends its time in), printing
the file's packed and unpacked size, the seconds, and what the reader answered. Figures
only, no targets checked; docs/PERFORMANCE.md records a run. Run from the project root:

    .venv/bin/python scripts/bench_import.py
"""

import io
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from app.panel import importer, table_reader  # noqa: E402
from tests import hostile_tables as hostile  # noqa: E402

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
    ("600,000 shared strings (under)", "sst.xlsx", lambda: hostile.many_shared_strings(600_000)),
    ("CSV row of 2,400,000 columns", "lebar.csv", lambda: hostile.wide_csv(2_400_000)),
    ("realistic 5000 rows x 8 columns", "pegawai.xlsx", lambda: hostile.realistic_xlsx(5000)),
]


def unpacked(name, content):
    if not name.endswith(".xlsx"):
        return len(content)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return sum(item.file_size for item in archive.infolist())


def main():
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


if __name__ == "__main__":
    main()
