"""scripts/install.sh on a clean copy of the project: it brings the database to the
schema, says what is left (settings, the first Administrator), adds no demo data, starts
nothing, and can run again (an upgrade). The copy's .venv reuses this one's packages so
the test needs no network; setup_env.sh's stamps say they are installed."""

import hashlib
import os
import shutil
import subprocess
import sys
import sysconfig
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
SKIP = shutil.ignore_patterns(
    ".git", ".venv", "instance", "__pycache__", ".pytest_cache", ".ruff_cache", ".env"
)


def digest(paths):
    return hashlib.sha256(b"".join(path.read_bytes() for path in paths)).hexdigest()


@pytest.fixture
def clone(tmp_path):
    """The project as a fresh clone has it, with a .venv that sees this one's packages."""
    target = tmp_path / "sarpras"
    shutil.copytree(ROOT, target, ignore=SKIP)
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(target / ".venv")], check=True)
    site = next((target / ".venv" / "lib").glob("python*/site-packages"))
    (site / "shared.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    requirements = sorted(target.glob("requirements*.txt"))
    (target / ".venv" / ".installed-requirements.txt").write_text(digest(requirements) + "\n")
    vendor = target / "app" / "static" / "vendor"
    (vendor / ".installed").write_text(
        digest(
            [target / "package.json", target / "package-lock.json", target / "scripts" / "fetch_vendor.py"]
        )
        + "\n"
    )
    return target


@pytest.fixture
def fresh_database(database_url, tmp_path):
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'produksi.db'}"
        return
    url = make_url(database_url)
    name = f"{url.database}_install_{uuid.uuid4().hex[:6]}"
    server = create_engine(url.set(database=""))
    with server.begin() as conn:
        conn.execute(text(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci"))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with server.begin() as conn:
            conn.execute(text(f"DROP DATABASE `{name}`"))
        server.dispose()


def install(clone, *args):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "INSTANCE_PATH", "VIRTUAL_ENV")}
    return subprocess.run(
        ["bash", str(clone / "scripts" / "install.sh"), *args],
        cwd="/",
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )


def test_without_a_dot_env_it_stops_before_touching_anything(clone):
    result = install(clone)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"Galat: berkas .env belum ada di {clone}: tulis dulu DATABASE_URL dan pengaturan lain "
        "(README, bagian Production)."
    ]
    assert not (clone / "instance").exists()


def test_a_dry_run_sets_up_the_tools_and_writes_nothing_to_the_database(clone, fresh_database):
    """What an office on the PHP system runs first: there is no .venv yet for a plain
    `init-db --dry-run`, and the install itself would already adopt the database."""
    (clone / ".env").write_text(f"DATABASE_URL={fresh_database}\nEMBEDDED_WORKER=off\n")

    result = install(clone, "--dry-run")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "Uji coba (--dry-run): tidak ada yang ditulis." in result.stdout
    assert "create-admin" not in result.stdout
    engine = create_engine(fresh_database)
    with engine.connect() as conn:
        assert inspect(conn).get_table_names() == []
    engine.dispose()


def test_it_installs_reports_what_is_left_and_upgrades_on_a_second_run(clone, fresh_database):
    (clone / ".env").write_text(
        f"DATABASE_URL={fresh_database}\nWA_PROVIDER=fonnte\nFONNTE_TOKEN=token-perangkat\n"
        "WEBHOOK_TOKEN=rahasia-webhook\nEMBEDDED_WORKER=off\nSESSION_COOKIE_SECURE=on\nPROXY_COUNT=1\n"
    )

    first = install(clone, "https://sarpras.example.ac.id")

    assert first.returncode == 0, first.stdout + first.stderr
    assert "Skema basis data mutakhir." in first.stdout
    assert "https://sarpras.example.ac.id/webhook/fonnte?token=rahasia-webhook" in first.stdout
    # Only the first Administrator is missing, and the report says how to make one.
    sqlite = ["BELUM: Basis data SQLite "] if fresh_database.startswith("sqlite") else []
    assert [line.strip()[:25] for line in first.stdout.splitlines() if line.strip().startswith("BELUM:")] == [
        *sqlite,
        "BELUM: Belum ada Administ",
    ]
    assert "create-admin --username" in first.stdout
    engine = create_engine(fresh_database)
    with engine.connect() as conn:
        assert "tb_outbox" in inspect(conn).get_table_names()
        assert conn.execute(text("SELECT COUNT(*) FROM tb_admin")).scalar() == 0
        assert conn.execute(text("SELECT COUNT(*) FROM tb_pegawai")).scalar() == 0
        head = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    engine.dispose()

    made = subprocess.run(
        [str(clone / ".venv" / "bin" / "python"), "-m", "flask", "--app", "wsgi", "create-admin"]
        + ["--username", "kepala", "--nama", "Kepala Biro", "--password-stdin"],
        cwd=clone,
        input="kata-sandi-kepala\n",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert made.returncode == 0, made.stdout + made.stderr

    again = install(clone, "https://sarpras.example.ac.id")

    assert again.returncode == 0, again.stdout + again.stderr
    assert "Skema basis data mutakhir." in again.stdout
    assert [
        line.strip()[:25] for line in again.stdout.splitlines() if line.strip().startswith("BELUM:")
    ] == sqlite
    engine = create_engine(fresh_database)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == head
        assert conn.execute(text("SELECT COUNT(*) FROM tb_admin")).scalar() == 1
    engine.dispose()
