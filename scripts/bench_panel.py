"""Benchmark: the admin panel's reports list, dashboard and Excel export at 100,000 reports.

Fills a database with N reports (default 100,000) and their tracks and assignments, then
times the pages server-side with Flask's test client in this process (logged in as the demo
Administrator), and the Excel export of every report in a child process whose peak memory
is read at its end. Prints, for example:

    backend: sqlite | reports: 100000 | repeat: 20
    code: de0bb5b
    fill: 100000 reports, 198275 tracks, 98275 assignments in 6.8 s
    /laporan first page            p50    11.5 ms  p95    12.9 ms  OK    (100000 laporan)
    ...
    /beranda                       p50   142.5 ms  p95   151.2 ms  OK
    export 100000 rows: 13.7 s, peak 179 MB  OK  (before the request 124 MB, file 10.5 MB)
    cpu during the pages: 1.22 of 2 cores busy: this benchmark 0.98, database server 0.00, others 0.24
    cpu during the export: 1.06 of 2 cores busy: this benchmark 1.00, database server 0.00, others 0.06

Targets: list pages and dashboard p50 <= 150 ms; export <= 20 s with peak RSS <= 500 MB.
"code:" names the commit (and any uncommitted change to app/) that was measured. The cpu
lines say whether something else shared the CPUs: with "others" well above 0 the figures
are pessimistic; run again when the machine is quiet.

Run from the project root:

    .venv/bin/python scripts/bench_panel.py
    .venv/bin/python scripts/bench_panel.py \\
        --database mysql+pymysql://root@127.0.0.1:3306/sarpras_bench_panel

SQLite runs on a fresh file in a temporary directory. A MariaDB/MySQL database is created
when missing and all its tables are dropped first, so never point it at real data.
--keep leaves the temporary directory (SQLite file, the exported .xlsx) in place.

The figures are for people to read: the exit code is 0 unless the benchmark itself broke.
"""

import argparse
import hashlib
import json
import logging
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import insert, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from scripts.bench_common import app_database_url, percentile, prepare_mysql  # noqa: E402

TARGET_PAGE_P50_MS = 150
TARGET_EXPORT_SECONDS = 20
TARGET_EXPORT_PEAK_MB = 500
WARMUP = 2
BATCH = 5000
SEED = 20240917
DAYS = 730  # about 24 months of history
REPORTERS = 3000
RARE_WORD = "genset"  # in every RARE_EVERY-th report only: the search that finds a few hundred
RARE_EVERY = 311
TECHNICIANS = {"ADM04": "Siswanto", "ADM05": "Adrasha"}  # the demo TBO (app.cli.DEMO_ADMIN)
# Categories (tb_bidang, ids 1..8); a report's is its idm modulo 9, 0 being Umum, so the
# random content stays the same as before categories existed.
CATEGORIES = ["Jaringan", "Listrik", "Air", "Pendingin", "Kebersihan", "Gedung", "Perabot", "Keamanan"]
ADMIN_USER, ADMIN_PASSWORD = "admin", "sarpras123"

# --- fake but plausible content -----------------------------------------------------

# One word list per line is easier to read here than one word per line.
# fmt: off
FIRST = ["Agus", "Budi", "Citra", "Dewi", "Eko", "Fajar", "Gita", "Hadi", "Indah", "Joko", "Kartika",
         "Lestari", "Made", "Nur", "Oki", "Putri", "Rina", "Sari", "Taufik", "Utami", "Wahyu", "Yulia",
         "Rizky", "Bayu", "Dimas", "Fitri", "Hendra", "Intan", "Lukman", "Maya"]
LAST = ["Santoso", "Wijaya", "Pratama", "Saputra", "Hidayat", "Nugroho", "Kurniawan", "Siregar", "Lubis",
        "Wibowo", "Setiawan", "Permana", "Hakim", "Rahman", "Susanto", "Purnomo", "Harahap",
        "Simanjuntak", "Gunawan", "Suryadi"]
PROFILES = ["TIF IT", "Rektorat SDM", "Sarpras Humas", "Sipil Akademik", "Elektro Lab", "Arsitektur TU"]
OBJECTS = ["lampu", "AC", "proyektor", "kran", "toilet", "pintu", "kunci", "wifi", "jaringan", "kursi",
           "meja", "plafon", "atap", "stopkontak", "printer", "jendela", "wastafel", "lift", "komputer",
           "speaker", "mikrofon", "CCTV", "pompa"]
PLACES = ["ruang kelas 301", "lab komputer", "ruang dosen", "aula utama", "perpustakaan",
          "gedung A lantai 2", "gedung B lantai 3", "kantin", "musholla", "ruang rapat rektorat",
          "parkiran motor", "lobi"]
PROBLEMS = ["mati", "rusak", "bocor", "tidak menyala", "berbunyi keras", "patah", "macet",
            "lambat sekali", "tidak bisa dibuka", "berkedip terus", "panas", "tersumbat"]
FILLER = ["mohon", "segera", "dicek", "karena", "dipakai", "kuliah", "pagi", "besok", "sudah", "sejak",
          "kemarin", "sore", "terima", "kasih", "atas", "bantuannya", "tolong", "dibantu", "perbaikan",
          "kondisinya", "cukup", "mengganggu", "mahasiswa", "dan", "dosen", "mengeluh", "dilaporkan",
          "ke", "bagian", "umum", "belum", "ada", "tindak", "lanjut"]
# fmt: on


@dataclass(frozen=True)
class Reporter:
    nama: str
    telepon: str
    profil: str


def make_reporters(rng):
    phones = rng.sample(range(10**8, 10**9), REPORTERS)
    return [
        Reporter(f"{rng.choice(FIRST)} {rng.choice(LAST)}", f"6281{phone}", rng.choice(PROFILES))
        for phone in phones
    ]


def make_pesan(rng, index):
    """30-200 characters; RARE_WORD in a known few hundred reports."""
    words = [rng.choice(OBJECTS), "di", rng.choice(PLACES), rng.choice(PROBLEMS)]
    if index % RARE_EVERY == 0:
        words[0] = f"{RARE_WORD} {words[0]}"
    target = rng.randint(30, 200)
    while len(" ".join(words)) < target:
        words.append(rng.choice(FILLER))
    return " ".join(words)[:200].strip()


def pick_status(rng, age_days):
    """Recent reports are mostly open; old ones mostly finished, as in a working unit."""
    if age_days < 14:
        weights = (30, 30, 15, 20, 5)
    elif age_days < 60:
        weights = (3, 8, 9, 40, 40)
    else:
        weights = (1, 2, 4, 28, 65)
    return rng.choices(("Baru", "Proses", "Pending", "Selesai", "Dikonfirmasi"), weights)[0]


def report_moments(rng, count, now):
    """`count` report times over the last DAYS days, busier in office hours, oldest first."""
    first_day = now.date() - timedelta(days=DAYS)
    moments = []
    for _ in range(count):
        day = first_day + timedelta(days=rng.randrange(DAYS + 1))
        seconds = int(rng.triangular(6, 22, 10) * 3600) + rng.randrange(60)
        moment = datetime.combine(day, datetime.min.time()) + timedelta(seconds=seconds)
        moments.append(min(moment, now - timedelta(seconds=rng.randrange(1, 3600))))
    moments.sort()
    return moments


# --- the rows -----------------------------------------------------------------------


@dataclass
class Rows:
    reports: list
    tracks: list
    assignments: list


def report_row(rng, idm, id_track, moment, reporter, now):
    status = pick_status(rng, (now - moment).days)
    finished = status in ("Selesai", "Dikonfirmasi")
    durasi = rng.randint(1800, 7 * 86400) if finished else 0
    return {
        "idm": idm,
        "tanggal": moment.date(),
        "jam": moment.time(),
        "kategori": "Request",
        "pesan": make_pesan(rng, idm),
        "respon": "",
        "telepon": reporter.telepon,
        "id_pegawai": "",
        "id_track": id_track,
        "gambar": "",
        "status": status,
        # Unread: most new reports, a few older ones nobody opened.
        "tag": 0 if (status == "Baru" and rng.random() < 0.7) or rng.random() < 0.02 else 1,
        "keterangan": "",
        "nama_pelapor": reporter.nama,
        "profil_pelapor": reporter.profil,
        "durasi": durasi,
        "waktu_selesai": min(moment + timedelta(seconds=durasi), now) if finished else None,
        "nilai": rng.randint(3, 5) if status == "Dikonfirmasi" else 0,
        "komentar": "",
        "id_bidang": idm % (len(CATEGORIES) + 1),
    }


def track_row(idm, id_track, moment, catatan):
    return {
        "idm": idm,
        "id_track": id_track,
        "tanggal": moment.date(),
        "jam": moment.time(),
        "catatan": catatan,
    }


def assignment_row(rng, report, moment):
    status = {"Proses": "Proses", "Pending": rng.choice(("Penugasan", "Proses"))}.get(
        report["status"], "Selesai"
    )
    return {
        "id_admin": rng.choice(tuple(TECHNICIANS)),
        "tanggal": moment.date(),
        "jam": moment.time(),
        "idm": report["idm"],
        "id_track": report["id_track"],
        "catatan": "",
        "status": status,
        "pemberi": "ADM01",
    }


def rows_for(rng, idm, id_track, moment, reporter, now):
    """One report with its tracks (1-2) and its assignment (none while Baru)."""
    report = report_row(rng, idm, id_track, moment, reporter, now)
    tracks = [track_row(idm, id_track, moment, "Laporan diterima, menunggu penugasan.")]
    assignments = []
    if report["status"] != "Baru":
        later = min(moment + timedelta(minutes=rng.randint(5, 600)), now)
        assignment = assignment_row(rng, report, later)
        assignments.append(assignment)
        if report["status"] in ("Selesai", "Dikonfirmasi"):
            tracks.append(track_row(idm, id_track, report["waktu_selesai"], "Pekerjaan selesai."))
        else:
            name = TECHNICIANS[assignment["id_admin"]]
            tracks.append(track_row(idm, id_track, later, f"Ditugaskan kepada {name}."))
    return report, tracks, assignments


def generate(count, now, prefix):
    """Rows in batches of BATCH reports; tracking numbers count per month from 001.

    idm is given, not left to the database, so tracks and assignments can refer to it
    without reading anything back."""
    rng = random.Random(SEED)
    reporters = make_reporters(rng)
    per_month = Counter()
    batch = Rows([], [], [])
    for idm, moment in enumerate(report_moments(rng, count, now), start=1):
        month = (moment.year % 100, moment.month)
        per_month[month] += 1
        id_track = f"{prefix}{month[0]:02d}{month[1]:02d}{per_month[month]:03d}"
        report, tracks, assignments = rows_for(rng, idm, id_track, moment, rng.choice(reporters), now)
        batch.reports.append(report)
        batch.tracks.extend(tracks)
        batch.assignments.extend(assignments)
        if len(batch.reports) == BATCH:
            yield batch
            batch = Rows([], [], [])
    if batch.reports:
        yield batch


def fill(engine, count, now, prefix):
    """Bulk insert, one transaction per batch; returns (reports, tracks, assignments)."""
    from app.models import Bidang, Monitoring, Penugasan, Track

    totals = Counter()
    with engine.begin() as conn:
        conn.execute(
            insert(Bidang.__table__),
            [{"id_bidang": n, "nama": nama, "kata": nama.lower()} for n, nama in enumerate(CATEGORIES, 1)],
        )
    for batch in generate(count, now, prefix):
        with engine.begin() as conn:
            conn.execute(insert(Monitoring.__table__), batch.reports)
            conn.execute(insert(Track.__table__), batch.tracks)
            conn.execute(insert(Penugasan.__table__), batch.assignments)
        totals.update(
            reports=len(batch.reports), tracks=len(batch.tracks), assignments=len(batch.assignments)
        )
    if engine.dialect.name != "sqlite":
        # InnoDB recalculates a table's statistics in the background once a tenth of its
        # rows changed; doing it now keeps the timings from depending on when that happens.
        with engine.begin() as conn:
            for table in ("tb_monitoring", "tb_track", "tb_penugasan"):
                conn.exec_driver_sql(f"ANALYZE TABLE {table}").all()
    return totals["reports"], totals["tracks"], totals["assignments"]


# --- database and app ---------------------------------------------------------------


def backend_label(engine):
    if engine.dialect.name == "sqlite":
        return "sqlite"
    with engine.connect() as conn:
        version = conn.execute(text("SELECT VERSION()")).scalar()
    name = "mariadb" if "mariadb" in version.lower() else "mysql"
    return f"{name} {version.split('-')[0]}"


def code_version():
    """The commit measured, and whether app/ or migrations/ had uncommitted changes:
    results of two runs only compare when this line is the same."""

    def git(*args):
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
        return done.stdout.strip() if done.returncode == 0 else ""

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    changed = git("status", "--porcelain", "--", "app", "migrations", "config.py")
    if not changed:
        return commit
    digest = git("diff", "HEAD", "--", "app", "migrations", "config.py")
    short = hashlib.sha1(digest.encode()).hexdigest()[:8]
    return f"{commit} + uncommitted changes to {len(changed.splitlines())} files (diff {short})"


def set_environment(database, instance_dir):
    """config.py reads the environment when imported: this must run before `import app`."""
    os.environ.update(
        DATABASE_URL=database,
        INSTANCE_PATH=str(instance_dir),
        EMBEDDED_WORKER="off",
        SECRET_KEY="bench",
        WA_PROVIDER="log",
    )


def make_app():
    from app import create_app

    app = create_app()
    # Alembic's INFO lines and the app's own would bury the figures.
    logging.getLogger().setLevel(logging.WARNING)
    return app


def login(client):
    """Log in through the real form (CSRF token included), as a browser would."""
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    if token is None:
        raise RuntimeError("no csrf_token on /login")
    response = client.post(
        "/login", data={"csrf_token": token.group(1), "username": ADMIN_USER, "password": ADMIN_PASSWORD}
    )
    if response.status_code != 302 or "/login" in response.headers.get("Location", ""):
        raise RuntimeError(f"login failed: {response.status_code}")


# --- timing the pages ---------------------------------------------------------------


@dataclass
class Timing:
    label: str
    url: str
    ms: list
    statuses: Counter
    total: str  # "N laporan" as the page says it, when it does


def time_page(client, label, url, repeat):
    for _ in range(WARMUP):
        client.get(url)
    ms, statuses, body = [], Counter(), ""
    for _ in range(repeat):
        t0 = time.perf_counter()
        response = client.get(url)
        ms.append((time.perf_counter() - t0) * 1000)
        statuses[response.status_code] += 1
        body = response.get_data(as_text=True)
    found = re.search(r"(\d+) laporan · halaman", body)
    return Timing(label, url, ms, statuses, f"{found.group(1)} laporan" if found else "")


def pages_to_time(engine, now):
    """(label, url): the list's first page, searches, filters, a deep page, the dashboard."""
    with engine.connect() as conn:
        middle = conn.execute(text("SELECT MAX(idm) / 2 FROM tb_monitoring")).scalar()
        id_track = conn.execute(
            text("SELECT id_track FROM tb_monitoring WHERE idm >= :idm ORDER BY idm LIMIT 1"), {"idm": middle}
        ).scalar()
    month_index = now.year * 12 + now.month - 1 - 6  # a full month, half a year ago
    first = date(month_index // 12, month_index % 12 + 1, 1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return [
        ("/laporan first page", "/laporan"),
        (f"/laporan?q={RARE_WORD}", f"/laporan?q={RARE_WORD}"),
        ("/laporan?q=<tracking no>", f"/laporan?q={id_track}"),
        ("/laporan?status=Pending", "/laporan?status=Pending"),
        ("/laporan?dari..sampai (1 mo)", f"/laporan?dari={first.isoformat()}&sampai={last.isoformat()}"),
        ("/laporan?petugas=ADM04", "/laporan?petugas=ADM04"),
        ("/laporan?bidang=3", "/laporan?bidang=3"),
        ("/laporan?page=2000", "/laporan?page=2000"),
        ("/beranda", "/beranda"),
    ]


# --- how busy the machine was ---------------------------------------------------------


@dataclass(frozen=True)
class CpuSample:
    wall: float
    machine: float  # CPU seconds all processes have used since boot
    mine: float  # CPU seconds of this process and its finished children
    server: float  # CPU seconds of a local mariadbd/mysqld (0 when there is none)


def _ticks_to_seconds(ticks):
    return ticks / os.sysconf("SC_CLK_TCK")


def database_server_cpu():
    """utime+stime of the local MariaDB/MySQL server, which serves us (and maybe others)."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            content = stat.read_text()
        except OSError:
            continue
        name = content[content.index("(") + 1 : content.rindex(")")]
        rest = content[content.rindex(")") + 2 :].split()
        if name in ("mariadbd", "mysqld"):
            total += int(rest[11]) + int(rest[12])  # fields 14 and 15: utime, stime
    return _ticks_to_seconds(total)


def cpu_sample(with_server):
    ticks = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    busy = sum(ticks) - ticks[3] - ticks[4]  # all but idle and iowait
    own = sum(
        usage.ru_utime + usage.ru_stime
        for usage in (resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN))
    )
    server = database_server_cpu() if with_server else 0.0
    return CpuSample(time.monotonic(), _ticks_to_seconds(busy), own, server)


def cpu_line(label, start, end):
    """Cores busy while timing: the figures mean little when other work shared the CPUs."""
    wall = max(end.wall - start.wall, 1e-9)

    def cores(field):
        return (getattr(end, field) - getattr(start, field)) / wall

    machine, mine, server = cores("machine"), cores("mine"), cores("server")
    return (
        f"cpu during {label}: {machine:.2f} of {os.cpu_count()} cores busy: this benchmark {mine:.2f}, "
        f"database server {server:.2f}, others {machine - mine - server:.2f}"
    )


# --- the export, in a child process -------------------------------------------------


def rss_mb(field="VmRSS"):
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def export_only(args):
    """Child: log in, export everything once, write the file, print figures as JSON.

    A process of its own so that its peak RSS is the export's (plus the app's own
    baseline, which a server process has too), not the filler's or the page timings'.
    """
    app = make_app()
    client = app.test_client()
    login(client)
    before = rss_mb()
    t0 = time.perf_counter()
    response = client.get("/laporan/export.xlsx")
    seconds = time.perf_counter() - t0
    data = response.get_data()
    # ru_maxrss is in KiB on Linux: the highest RSS this process ever had.
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    Path(args.out).write_bytes(data)
    print(
        json.dumps({"status": response.status_code, "seconds": seconds, "peak_mb": peak, "before_mb": before})
    )


def run_export_child(database, instance_dir, out):
    done = subprocess.run(
        [sys.executable, __file__, "--export-only", "--database", database, "--out", str(out)],
        cwd=ROOT,
        env=dict(os.environ, INSTANCE_PATH=str(instance_dir)),
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise RuntimeError(f"export child failed:\n{done.stdout}{done.stderr}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    # The app logs an error's traceback; shown when the export did not answer 200.
    result["log"] = "\n".join(done.stderr.strip().splitlines()[-20:])
    return result


def count_xlsx_rows(path):
    """Data rows (numbered) on the 'Laporan' sheet, read the way a big file should be: read_only."""
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True)
    try:
        sheet = book["Laporan"]
        # The letterhead's title rows come first; the data rows follow the "No" header,
        # each numbered.
        rows = sum(
            1 for (value,) in sheet.iter_rows(max_col=1, values_only=True) if isinstance(value, int | float)
        )
    finally:
        book.close()
    return rows


# --- result -------------------------------------------------------------------------


def mark(good):
    return "OK" if good else "MISS"


def print_page(timing):
    p50, p95 = percentile(timing.ms, 0.50), percentile(timing.ms, 0.95)
    bad = {code: n for code, n in timing.statuses.items() if code != 200}
    verdict = f"FAIL (HTTP {bad})" if bad else mark(p50 <= TARGET_PAGE_P50_MS)
    extra = f"({timing.total})" if timing.total else ""
    print(f"{timing.label:<30} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  {verdict:<5} {extra}".rstrip())


def print_export(result, rows, expected, size_mb):
    if result["status"] != 200:
        print(f"export: FAIL (HTTP {result['status']})\n{result['log']}")
        return
    good = result["seconds"] <= TARGET_EXPORT_SECONDS and result["peak_mb"] <= TARGET_EXPORT_PEAK_MB
    verdict = mark(good) if rows == expected else f"FAIL ({rows} data rows in the file, expected {expected})"
    print(
        f"export {rows} rows: {result['seconds']:.1f} s, peak {result['peak_mb']:.0f} MB  {verdict}"
        f"  (before the request {result['before_mb']:.0f} MB, file {size_mb:.1f} MB)"
    )


# --- main ---------------------------------------------------------------------------


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=100_000, help="reports to fill (default 100000)")
    parser.add_argument("--database", help="SQLAlchemy URL (default: a fresh SQLite file)")
    parser.add_argument("--repeat", type=int, default=20, help="timed requests per page (default 20)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument("--export-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def bench(args, workdir):
    database = app_database_url(args.database or f"sqlite:///{workdir / 'bench.db'}")
    if make_url(database).get_backend_name() != "sqlite":
        prepare_mysql(database)
    instance_dir = workdir / "instance"
    set_environment(database, instance_dir)
    code = code_version()  # now, as the app is imported: the tree may change while we run

    from app.cli import seed_demo_people, upgrade_schema
    from app.extensions import db

    app = make_app()
    with app.app_context():
        # migrations/env.py sets up Alembic's own logging at INFO; its lines say nothing here.
        logging.disable(logging.INFO)
        upgrade_schema()
        logging.disable(logging.NOTSET)
        seed_demo_people()
        now = datetime.now(ZoneInfo(app.config["TIMEZONE"])).replace(tzinfo=None)
        t0 = time.perf_counter()
        reports, tracks, assignments = fill(db.engine, args.reports, now, app.config["TRACK_PREFIX"])
        fill_seconds = time.perf_counter() - t0
        backend = backend_label(db.engine)
        pages = pages_to_time(db.engine, now)
    print(f"  filled in {fill_seconds:.1f} s", file=sys.stderr)

    client = app.test_client()
    login(client)
    timings = []
    local_server = backend != "sqlite"
    pages_start = cpu_sample(local_server)
    for label, url in pages:
        timings.append(time_page(client, label, url, args.repeat))
        print(f"  timed {url}", file=sys.stderr)
    pages_end = cpu_sample(local_server)
    with app.app_context():
        db.engine.dispose()  # the child gets the database to itself

    out = workdir / "export.xlsx"
    result = run_export_child(database, instance_dir, out)
    export_end = cpu_sample(local_server)
    rows = count_xlsx_rows(out) if result["status"] == 200 else 0

    print()
    print(f"backend: {backend} | reports: {reports} | repeat: {args.repeat}")
    print(f"code: {code}")
    print(f"fill: {reports} reports, {tracks} tracks, {assignments} assignments in {fill_seconds:.1f} s")
    for timing in timings:
        print_page(timing)
    print_export(result, rows, reports, out.stat().st_size / 2**20)
    print(cpu_line("the pages", pages_start, pages_end))
    print(cpu_line("the export", pages_end, export_end))


def main(argv=None):
    args = parse_args(argv)
    if args.export_only:
        export_only(args)
        return 0
    workdir = Path(tempfile.mkdtemp(prefix="bench-panel-"))
    try:
        bench(args, workdir)
    finally:
        if args.keep:
            print(f"data kept in {workdir}", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
