"""What happens to an incoming WhatsApp message: stored in tb_in, answered, replied to.

All of it runs in one transaction: the tb_in row, the report or progress it makes, and the
queued replies are stored together or not at all.
"""

from dataclasses import dataclass

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from .. import clock
from ..database import core_execute, locks_at_begin, run_in_transaction
from ..extensions import db
from ..messaging import media, outbox
from ..models import PesanMasuk
from ..models.sizes import fit_values
from . import commands, lifecycle, office, routing, service, technician, texts

ATTACHMENT_ONLY = "[foto/berkas tanpa keterangan]"
STORED = "stored"
DUPLICATE = "duplicate"


@dataclass(frozen=True)
class Outcome:
    status: str
    keterangan: str = ""
    id_track: str = ""


def handle(message):
    command = commands.parse(message.text)
    wants_reporter = not (
        message.is_group
        or message.from_self
        or message.ignored
        or message.unsupported
        or command.kind in commands.TBO_COMMANDS
    )
    reporter = None
    if wants_reporter and locks_at_begin():
        # SQLite's write transaction holds the one write lock from BEGIN: find who wrote
        # before it. InnoDB locks only the rows written, so there the lookup shares the
        # write transaction and its connection.
        reporter = service.identify(message.sender, message.name)

    def work():
        found = reporter
        if wants_reporter and found is None:
            found = service.identify(message.sender, message.name)
        return _handle(message, command, found)

    try:
        return run_in_transaction(work)
    except IntegrityError:
        # The same delivery arriving twice: the unique id_pesan lets only one of them in.
        db.session.rollback()
        if message.delivery_id and _seen(message.delivery_id):
            return Outcome(DUPLICATE)
        raise


def _seen(delivery_id):
    return (
        db.session.execute(select(PesanMasuk.idn).where(PesanMasuk.id_pesan == delivery_id)).first()
        is not None
    )


# Built once: building the statement with .values() on every call costs more CPU than
# the round trip to the database.
_INSERT_IN = insert(PesanMasuk.__table__)


def _store(message, respon="", keterangan="", id_track=""):
    """The tb_in row (a plain INSERT, for the same reason as outbox.enqueue)."""
    now = clock.local_now()
    return core_execute(
        _INSERT_IN,
        fit_values(
            PesanMasuk.__table__,
            dict(
                tanggal=now.date(),
                jam=now.time().replace(microsecond=0, tzinfo=None),
                # A photo without a caption would otherwise show as an empty message in the panel.
                pesan=message.text or (ATTACHMENT_ONLY if message.media_url else ""),
                respon=respon,
                id_track=id_track,
                telepon=message.sender,
                keterangan=keterangan,
                id_pesan=message.delivery_id,
            ),
        ),
    ).inserted_primary_key[0]


def _handle(message, command, reporter):
    if message.is_group or message.from_self:
        keterangan = (
            f"Pesan grup {message.group} (tidak dibalas)"
            if message.is_group
            else "Pesan perangkat sendiri (tidak dibalas)"
        )
        _store(message, keterangan=keterangan)
        return Outcome(STORED, keterangan)
    if message.ignored:
        _store(message, keterangan=message.ignored)
        return Outcome(STORED, message.ignored)

    report = None
    if message.unsupported:
        reply, id_track = texts.unsupported_kind(message.unsupported), ""
        keterangan = f"Jenis pesan tidak didukung ({message.unsupported})"
    elif command.kind in commands.TBO_COMMANDS:
        reply, keterangan, id_track, kerja = technician.handle(
            command, message.sender, message.text, bool(message.media_url)
        )
        if message.media_url and kerja.keterangan.startswith("Report"):
            media.queue(message.media_url, message.media_filename, "tb_kerja", kerja.idn)
    else:
        reply, keterangan, id_track, report = _answer(command, reporter)
        if message.media_url and report is not None:
            media.queue(message.media_url, message.media_filename, "tb_monitoring", report.idm)
    idn = _store(message, reply, keterangan, id_track)
    outbox.enqueue(message.sender, reply, id_track=id_track, sumber=f"tb_in:{idn}")
    if report is not None:
        # After the reply: the reporter reads the tracking number before who was assigned.
        routing.route(report)
    return Outcome(STORED, keterangan, id_track)


def _answer(command, reporter):
    """(reply text, tb_in.keterangan, id_track, new report or None) for a reporter's command."""
    to = reporter.addressee
    kind = command.kind
    if kind == commands.MENU:
        return texts.menu(), "Menu", "", None
    if kind == commands.REQUEST:
        if not service.may_report(reporter):
            return texts.guest_refused(to), "Request ditolak (nomor tidak terdaftar)", "", None
        report = service.create_report(reporter, command.text)
        office.tell_new_report(report, reporter, command.text, report.bidang.nama)
        return report.respon, "Request New", report.id_track, report
    if kind == commands.CEK_LIST:
        return texts.cek_list(to, service.recent_reports(reporter.telepon)), "Cek daftar", "", None
    if kind == commands.INVALID:
        return texts.pattern(command.text), f"Pola {command.text} salah", "", None
    if kind not in (commands.CEK, commands.TRACK, commands.SELESAI):
        return texts.pattern(commands.REQUEST), "Pola salah", "", None

    label = kind.capitalize()
    report = service.find_report(command.id_track)
    if report is None:
        return (
            texts.not_found(to, command.id_track, label),
            f"{label} tidak ditemukan",
            command.id_track,
            None,
        )
    if kind == commands.CEK:
        reply = texts.cek(to, report, service.last_track_of(report), clock.local_now())
    elif kind == commands.TRACK:
        reply = texts.track(to, report, service.tracks_of(report))
    elif report.telepon != reporter.telepon:
        return texts.not_reporter(report.id_track), "Selesai ditolak: bukan pelapor", report.id_track, None
    elif lifecycle.is_closed(report):
        return texts.already_closed(report.id_track), "Selesai: sudah ditutup", report.id_track, None
    else:
        reply = lifecycle.confirm(report, command.rating, command.text)
    return reply, f"{label} {report.id_track}", report.id_track, None
