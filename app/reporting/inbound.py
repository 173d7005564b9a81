"""What happens to an incoming WhatsApp message: stored in tb_in, answered, replied to.

All of it runs in one transaction: the tb_in row, the report, and the queued reply are
stored together or not at all.
"""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from .. import clock
from ..database import run_in_transaction
from ..extensions import db
from ..messaging import outbox
from ..models import PesanMasuk
from . import commands, service, texts

STORED = "stored"
DUPLICATE = "duplicate"


@dataclass(frozen=True)
class Outcome:
    status: str
    keterangan: str = ""
    id_track: str = ""


def handle(message):
    try:
        return run_in_transaction(lambda: _handle(message))
    except IntegrityError:
        # The same delivery arriving twice at the same instant: the unique id_pesan
        # lets only one of them in.
        db.session.rollback()
        if message.delivery_id and _seen(message.delivery_id):
            return Outcome(DUPLICATE)
        raise


def _seen(delivery_id):
    return (
        db.session.execute(select(PesanMasuk.idn).where(PesanMasuk.id_pesan == delivery_id)).first()
        is not None
    )


def _handle(message):
    if message.delivery_id and _seen(message.delivery_id):
        return Outcome(DUPLICATE)
    now = clock.local_now()
    row = PesanMasuk(
        tanggal=now.date(),
        jam=now.time().replace(microsecond=0, tzinfo=None),
        pesan=message.text,
        telepon=message.sender,
        id_pesan=message.delivery_id,
    )
    db.session.add(row)
    db.session.flush()

    if message.is_group:
        row.keterangan = f"Pesan grup {message.group} (tidak dibalas)"
        return Outcome(STORED, row.keterangan)
    if message.from_self:
        row.keterangan = "Pesan perangkat sendiri (tidak dibalas)"
        return Outcome(STORED, row.keterangan)

    reporter = service.identify(message.sender, message.name)
    reply, keterangan, id_track = _answer(commands.parse(message.text), reporter)
    row.respon = reply
    row.keterangan = keterangan
    row.id_track = id_track
    outbox.enqueue(message.sender, reply, id_track=id_track, sumber=f"tb_in:{row.idn}")
    return Outcome(STORED, keterangan, id_track)


def _answer(command, reporter):
    """(reply text, tb_in.keterangan, id_track) for one parsed command."""
    to = reporter.addressee
    kind = command.kind
    if kind == commands.MENU:
        return texts.menu(), "Menu", ""
    if kind == commands.REQUEST:
        if not service.may_report(reporter):
            return texts.guest_refused(to), "Request ditolak (nomor tidak terdaftar)", ""
        report = service.create_report(reporter, command.text)
        return report.respon, "Request New", report.id_track
    if kind == commands.CEK_LIST:
        return texts.cek_list(to, service.recent_reports(reporter.telepon)), "Cek daftar", ""
    if kind in (commands.CEK, commands.TRACK):
        pattern = "Cek" if kind == commands.CEK else "Track"
        report = service.find_report(command.id_track)
        if report is None:
            return (
                texts.not_found(to, command.id_track, pattern),
                f"{pattern} tidak ditemukan",
                command.id_track,
            )
        if kind == commands.CEK:
            reply = texts.cek(to, report, service.last_track_of(report), clock.local_now())
        else:
            reply = texts.track(to, report, service.tracks_of(report))
        return reply, f"{pattern} {report.id_track}", report.id_track
    if kind == commands.CEK_INVALID:
        return texts.pattern_cek(), "Pola cek salah", ""
    if kind == commands.TRACK_INVALID:
        return texts.pattern_track(), "Pola track salah", ""
    return texts.pattern_request(), "Pola salah", ""
