"""flask --app wsgi kategori add | list | remove: the categories (bidang) of reports."""

import click
from flask.cli import with_appcontext

from .cli import needs_database
from .database import run_in_transaction
from .models.categories import UMUM
from .panel import categories as manage
from .panel.directory import Invalid

ACTOR = "cli"


@click.group("kategori")
def kategori():
    """Categories of reports: keywords, team, automatic assignment."""


def _split(text):
    return [part.strip() for part in (text or "").split(",") if part.strip()]


@kategori.command("add")
@with_appcontext
@needs_database
@click.argument("nama")
@click.option("--kata", help='Kata kunci dipisah koma, misalnya "wifi,internet,ac bocor"')
@click.option("--petugas", help="Tim: username atau id_admin dipisah koma, ketua dahulu")
@click.option(
    "--otomatis/--manual",
    default=None,
    help="Laporan baru langsung ditugaskan ke tim (--manual: tim hanya disarankan)",
)
@click.option(
    "--satu/--tim",
    default=None,
    help="Tugaskan satu anggota dengan tugas terbuka paling sedikit (--tim: seluruh tim)",
)
def add(nama, kata, petugas, otomatis, satu):
    """Add category NAMA, or change it when it exists (its name, in any case, is found):
    what is given replaces what it had, the rest stays."""

    def work():
        row = manage.find(nama)
        current = manage.snapshot_data(row) if row else manage.CategoryData(nama=nama)
        data = manage.CategoryData(
            nama=current.nama,
            kata=current.kata if kata is None else kata,
            petugas=current.petugas if petugas is None else _split(petugas),
            otomatis=current.otomatis if otomatis is None else otomatis,
            satu=current.satu if satu is None else satu,
        )
        saved = manage.save(data, existing_id=row.id_bidang if row else None, actor=ACTOR)
        return row is None, _describe(saved)

    try:
        added, lines = run_in_transaction(work)
    except Invalid as invalid:
        raise click.ClickException(" ".join(invalid.errors.values())) from None
    click.echo(f"Kategori {'ditambahkan' if added else 'diperbarui'}: {lines[0]}")
    for line in lines[1:]:
        click.echo(line)


@kategori.command("list")
@with_appcontext
@needs_database
def list_():
    """Every category with its keywords, team and mode."""
    for listed in manage.listing():
        if listed.row is None:
            click.echo(
                f"{UMUM} (bawaan): laporan yang tidak cocok dengan kata kunci mana pun; {listed.reports} laporan"
            )
            continue
        lines = _describe(listed.row)
        click.echo(f"{lines[0]}; {listed.reports} laporan")
        for line in lines[1:]:
            click.echo(line)


@kategori.command("remove")
@with_appcontext
@needs_database
@click.argument("nama")
def remove(nama):
    """Remove category NAMA; its reports become Umum."""

    def work():
        row = manage.find(nama)
        if row is None:
            raise click.ClickException(_unknown(nama))
        found = row.nama
        return found, manage.remove(row, actor=ACTOR)

    found, moved = run_in_transaction(work)
    click.echo(f"Kategori {found} dihapus; {moved} laporan dipindah ke {UMUM}.")


def _unknown(nama):
    if manage.is_umum(nama):
        return f"{UMUM} adalah kategori bawaan dan tidak dapat dihapus."
    return f"Kategori {nama} tidak ada (lihat: flask --app wsgi kategori list)."


def _describe(row):
    """The category in a few lines of text."""
    team = manage.team_text(row.id_bidang)
    return [
        row.nama,
        f"  kata kunci: {row.kata or '(tidak ada: hanya dipilih manual di panel)'}",
        f"  tim: {team or '(kosong)'}",
        f"  penugasan: {manage.mode_text(row)}",
    ]
