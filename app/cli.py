"""flask --app wsgi init-db | seed-demo | create-admin | worker | assign | setup-info | backup |
restore (and kategori, app/category_commands.py). All but restore safe to run again
(restore refuses a database that has data)."""

import functools
import signal
import sys
import threading
from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_migrate import upgrade
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError

from .backup.service import METHODS as BACKUP_METHODS
from .database import run_in_transaction
from .extensions import db
from .models import Admin, Pegawai
from .models.people import AKTIF, LEVELS
from .panel.directory import AdminData, Invalid, next_admin_id, validate_admin
from .phone import normalize_phone
from .startup_errors import check_app_database, exit_on_setup_error

DEMO_PEGAWAI = [
    ("PGW2402001", "R Marta Dinata", "6282111476069", "TIF", "IT"),
    ("PGW2402002", "She Min Ah", "6285825335908", "Rektorat", "SDM"),
    ("PGW2402003", "Febriansyah", "62281294403603", "Sarpras", "Humas"),
]
# (id, nama, level, status, telepon, username, deskripsi)
DEMO_ADMIN = [
    ("ADM01", "Dery Dehaelt", "Administrator", AKTIF, "6282111470068", "admin", "Kepala Biro"),
    ("ADM02", "John Bardeen", "Staf", "Tidak Aktif", "6281213930117", "john", "Staf Sarpras"),
    ("ADM03", "Nikolai Gordyer", "Staf", AKTIF, "6282111470069", "nikolai", "Staf Sarpras"),
    ("ADM04", "Siswanto", "TBO", AKTIF, "6282124603757", "siswanto", "Teknisi"),
    ("ADM05", "Adrasha", "TBO", AKTIF, "628998848947", "adrasha", "Teknisi IT"),
]
DEMO_PASSWORD = "sarpras123"


def register(app):
    app.cli.add_command(init_db)
    app.cli.add_command(seed_demo)
    app.cli.add_command(create_admin)
    app.cli.add_command(worker)
    app.cli.add_command(assign)
    app.cli.add_command(setup_info)
    app.cli.add_command(backup)
    app.cli.add_command(restore)
    from .category_commands import kategori

    app.cli.add_command(kategori)


def needs_database(command):
    """A command that cannot work without the database first checks that it can be used,
    and stops with one line (no traceback) when the settings or the server are wrong, as
    it does for the same mistakes met later on."""

    @functools.wraps(command)
    def checked(*args, **kwargs):
        from flask import current_app

        with exit_on_setup_error(current_app.config["SQLALCHEMY_DATABASE_URI"]):
            check_app_database(current_app)
            return command(*args, **kwargs)

    return checked


def upgrade_schema():
    from . import MIGRATIONS_DIR

    upgrade(directory=MIGRATIONS_DIR)


@click.command("init-db")
@click.option("--dry-run", is_flag=True, help="Only report what would change; write nothing.")
@with_appcontext
@needs_database
def init_db(dry_run):
    """Bring the database (SQLite or MySQL/MariaDB, new or brought over) to the latest
    schema, and the phone numbers of pegawai and petugas to the form WhatsApp uses."""
    from . import adoption

    if dry_run:
        click.echo(schema_state())
    else:
        upgrade_schema()
        click.echo("Skema basis data mutakhir.")
    for line in adoption.report_lines(adoption.normalise_phones(dry_run), dry_run):
        click.echo(line)


def schema_state():
    """One line: whether init-db would change the schema (for --dry-run)."""
    from alembic.config import Config
    from alembic.migration import MigrationContext
    from alembic.script import ScriptDirectory

    from . import MIGRATIONS_DIR

    config = Config()
    config.set_main_option("script_location", MIGRATIONS_DIR)
    head = ScriptDirectory.from_config(config).get_current_head()
    with db.engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    if current == head:
        return "Skema basis data mutakhir."
    if current is None:
        return "Skema basis data: belum dikelola aplikasi ini (basis data lama atau kosong); init-db akan melengkapinya."
    return f"Skema basis data: revisi {current}; init-db akan memutakhirkannya ke revisi {head}."


def seed_demo_people():
    """Add the demo people of SPEC that are not there yet; returns how many were added."""
    return run_in_transaction(_add_demo_people)


def _add_demo_people():
    added = 0
    for id_pegawai, nama, telepon, jurusan, bagian in DEMO_PEGAWAI:
        if db.session.get(Pegawai, id_pegawai) is None:
            db.session.add(
                Pegawai(
                    id_pegawai=id_pegawai,
                    nama_pegawai=nama,
                    telepon=telepon,
                    jurusan=jurusan,
                    bagian=bagian,
                    status=AKTIF,
                )
            )
            added += 1
    for id_admin, nama, level, status, telepon, username, deskripsi in DEMO_ADMIN:
        if db.session.get(Admin, id_admin) is None:
            admin = Admin(
                id_admin=id_admin,
                nama_admin=nama,
                level=level,
                status=status,
                telepon=telepon,
                username=username,
                deskripsi=deskripsi,
            )
            admin.set_password(DEMO_PASSWORD)
            db.session.add(admin)
            added += 1
    return added


@click.command("seed-demo")
@with_appcontext
@needs_database
def seed_demo():
    """Add the demo pegawai and admins of the source document (existing rows are kept)."""
    added = seed_demo_people()
    click.echo(f"Data demo: {added} baris ditambahkan.")
    click.echo(f"Login demo Administrator: username 'admin', password '{DEMO_PASSWORD}'")


@click.command("setup-info")
@click.option("--url", "base_url", default="http://127.0.0.1:5000", show_default=True)
@click.option(
    "--production",
    is_flag=True,
    help="Juga pengaturan produksi yang belum ada dan Administrator pertama (install.sh)",
)
@with_appcontext
def setup_info(base_url, production):
    """Print the webhook URLs of the WhatsApp provider in use and what it still lacks."""
    from flask import current_app

    from . import setup_check

    config = current_app.config
    note = (
        " (balasan tidak dikirim: disimpan dan tampil di menu Outbox)"
        if config["WA_PROVIDER"] == "log"
        else ""
    )
    click.echo(f"  {'Provider WhatsApp':<26} {config['WA_PROVIDER']}{note}")
    for label, url in setup_check.webhook_lines(config, base_url.rstrip("/")):
        click.echo(f"  {label:<26} {url}")
    if not production:
        for warning in setup_check.warnings(config):
            click.echo(f"  PERINGATAN: {warning}")
        return
    env_file = Path(current_app.root_path).parent / ".env"
    for warning in setup_check.production_warnings(config, env_file.exists()):
        click.echo(f"  BELUM: {warning}")
    with exit_on_setup_error(config["SQLALCHEMY_DATABASE_URI"]):
        check_app_database(current_app)
        has_administrator = db.session.execute(
            select(Admin.id_admin).where(Admin.level == "Administrator", Admin.status == AKTIF).limit(1)
        ).first()
    if not has_administrator:
        click.echo(
            "  BELUM: Belum ada Administrator aktif. Buat yang pertama (kata sandi ditanyakan dua kali):"
        )
        click.echo('          .venv/bin/flask --app wsgi create-admin --username kepala --nama "Kepala Biro"')


@click.command("create-admin")
@with_appcontext
@needs_database
@click.option("--username", prompt="Username")
@click.option("--nama", prompt="Nama lengkap")
@click.option("--level", type=click.Choice(LEVELS), default="Administrator", show_default=True)
@click.option("--telepon", default="", help="Nomor WhatsApp (wajib untuk TBO)")
@click.option("--password", help="Kata sandi (lebih aman: ditanyakan, atau --password-stdin)")
@click.option("--password-stdin", is_flag=True, help="Baca kata sandi dari baris pertama stdin")
def create_admin(username, nama, level, telepon, password, password_stdin):
    """Create an admin account, or reset the password of an existing username. The password
    is asked (twice, hidden) unless --password-stdin reads it from a pipe (scripts)."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    elif password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    admin = db.session.execute(select(Admin).where(Admin.username == username)).scalar_one_or_none()
    # The panel's own checks: a readable number in the 62… form, required for a TBO and
    # nobody else's, and a password of 8 characters or more.
    kept = admin.telepon if admin and normalize_phone(admin.telepon) else ""
    data = AdminData(
        nama_admin=nama,
        level=level,
        telepon=telepon or kept,
        username=username,
        password=password,
        status=admin.status if admin else AKTIF,
    )
    try:
        validate_admin(data, existing_id=admin.id_admin if admin else None)
    except Invalid as invalid:
        raise click.ClickException(" ".join(invalid.errors.values())) from None
    if admin is None:
        admin = Admin(id_admin=next_admin_id(), username=username, status=AKTIF)
        db.session.add(admin)
        verb = "dibuat"
    else:
        verb = "diperbarui"
    admin.nama_admin = data.nama_admin
    admin.level = level
    if data.telepon:
        admin.telepon = data.telepon
    admin.set_password(password)
    db.session.commit()
    click.echo(f"Akun {admin.id_admin} ({username}, {level}) {verb}.")


@click.command("worker")
@with_appcontext
@needs_database
def worker():
    """Run the background jobs: sending queued messages and the scheduled jobs."""
    from flask import current_app

    from .models import Kunci
    from .worker import Worker

    # Its threads would log the same failure every few seconds: a schema not made yet
    # (init-db not run) stops the start here, told in one line by needs_database.
    db.session.execute(select(Kunci).limit(1))
    db.session.rollback()
    app = current_app._get_current_object()
    running = Worker(app).start()
    done = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: done.set())
    click.echo(f"Worker berjalan ({running.owner}). Ctrl+C untuk berhenti.")
    done.wait()
    running.stop()
    click.echo("Worker berhenti.")


@click.command("assign")
@with_appcontext
@needs_database
@click.argument("id_track")
@click.argument("petugas", nargs=-1, required=True)
@click.option("--catatan", default="", help="Catatan untuk petugas")
@click.option("--oleh", default="", help="ID admin yang menugaskan")
def assign(id_track, petugas, catatan, oleh):
    """Assign report ID_TRACK to one or more PETUGAS (id_admin or username of an active
    TBO/Staf); the first leads a report that has no PJ yet."""
    from .reporting import lifecycle, service, staff

    def work():
        report = service.find_report(id_track)
        if report is None:
            raise click.ClickException(f"Laporan {id_track} tidak ditemukan.")
        members = []
        for key in petugas:
            admin = staff.by_key(key)
            if admin is None:
                raise click.ClickException(f"Petugas {key} tidak ditemukan (id_admin atau username).")
            members.append(admin)
        try:
            return lifecycle.assign_team(report, members, catatan, oleh).summary()
        except lifecycle.LifecycleError as error:
            raise click.ClickException(str(error)) from None

    click.echo(run_in_transaction(work))


@click.command("backup")
@with_appcontext
@click.option(
    "--output",
    required=True,
    help="Berkas .tar.gz tujuan, atau folder (nama berkas: sarpras-backup-<waktu UTC>.tar.gz)",
)
@click.option(
    "--method",
    type=click.Choice(BACKUP_METHODS),
    default="auto",
    show_default=True,
    help="auto: API backup SQLite, mysqldump bila ada, selain itu sql (lewat SQLAlchemy)",
)
@click.option(
    "--keep",
    type=click.IntRange(min=1),
    help="Simpan N cadangan terbaru di folder itu, hapus yang lebih lama",
)
@click.option(
    "--with-secret-key", is_flag=True, help="Sertakan kunci rahasia (password router tetap terbaca)"
)
def backup(output, method, keep, with_secret_key):
    """Write the database and instance/uploads to one .tar.gz."""
    from .backup import service

    # systemd stops a unit with SIGTERM: taken as an exit, so the unfinished archive, the
    # staging folder and mysqldump go on the way out (kill -9 leaves hidden files only).
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    try:
        path, manifest, pruned = service.backup(output, method, keep, with_secret_key)
    except service.BackupError as error:
        raise click.ClickException(str(error)) from None
    except DBAPIError as error:
        raise click.ClickException(f"Basis data tidak dapat dibaca: {error.orig}") from None
    rows = sum(facts["rows"] for facts in manifest["tables"].values())
    uploads = sum(1 for name in manifest["files"] if name.startswith("uploads/"))
    click.echo(
        f"Cadangan {path}: {len(manifest['tables'])} tabel, {rows} baris, {uploads} berkas unggahan "
        f"({manifest['database']['method']})."
    )
    if manifest.get("skipped_tables"):
        click.echo(f"  Tidak ikut (di luar skema aplikasi): {', '.join(manifest['skipped_tables'])}")
    for old in pruned:
        click.echo(f"  Dihapus (lebih dari {keep} cadangan): {old.name}")


def _exit_on_sigterm(signum, frame):
    raise SystemExit(128 + signum)


@click.command("restore")
@with_appcontext
@click.argument("archive", type=click.Path(dir_okay=False))
@click.option("--force", is_flag=True, help="Timpa basis data yang sudah berisi data")
def restore(archive, force):
    """Restore a backup made by `backup` into an empty database."""
    from .backup import service

    try:
        done = service.restore(archive, force)
    except service.BackupError as error:
        raise click.ClickException(str(error)) from None
    except DBAPIError as error:
        raise click.ClickException(f"Basis data tujuan tidak dapat ditulis: {error.orig}") from None
    click.echo(
        f"Dipulihkan dari cadangan {done['created']}: {done['tables']} tabel, {done['rows']} baris "
        f"(checksum cocok), {done['files']} berkas unggahan."
    )
    if done["upgraded"]:
        click.echo(f"  Skema dimutakhirkan dari {done['revision']} ke {done['upgraded']}.")
    if done["secret"]:
        click.echo(f"  {done['secret']}")
