"""Review of TBO reports (REVIEW_TBO_REPORTS): a TBO's #report and #finish wait in tb_kerja
as "Menunggu validasi" until a Staf or Administrator approves them, possibly with corrected
text, or sends them back with a note.

A waiting #finish leaves the report as it was (Proses): it is Selesai, and the reporter
asked to confirm, only once approved. While it waits, a second #finish on the report is
refused; #report and #start go on as usual (a #report waits too). Approving and sending
back claim the row with a conditional UPDATE on its state, so of two admins deciding at
once only one changes anything and nobody is told twice. Approval also works after the
setting was switched off: what waits stays until someone decides.
"""

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import func, select, update

from .. import clock
from ..database import latest_locked
from ..extensions import db
from ..messaging import outbox
from ..models import Admin, Kerja, Monitoring
from ..models.reports import VALIDASI_DIKEMBALIKAN, VALIDASI_DISETUJUI, VALIDASI_MENUNGGU
from . import lifecycle, photos, staff, texts

REPORT, FINISH = "report", "finish"
# tb_kerja.keterangan of the commands under review (technician.py writes them).
KETERANGAN = {REPORT: "Report", FINISH: "Finish"}
MAX_LIST = 500


def enabled():
    return bool(current_app.config.get("REVIEW_TBO_REPORTS"))


def kind_of(kerja):
    return FINISH if (kerja.keterangan or "").startswith(KETERANGAN[FINISH]) else REPORT


def waiting_count():
    """For the menu's badge on every page: one COUNT on an indexed column."""
    return db.session.execute(
        select(func.count()).select_from(Kerja).where(Kerja.validasi == VALIDASI_MENUNGGU)
    ).scalar_one()


def waiting():
    """[(kerja, report)] of everything waiting, oldest first."""
    return db.session.execute(
        select(Kerja, Monitoring)
        .join(Monitoring, Monitoring.id_track == Kerja.id_track)
        .where(Kerja.validasi == VALIDASI_MENUNGGU)
        .order_by(Kerja.idn)
        .limit(MAX_LIST)
    ).all()


def waiting_of(report):
    return (
        db.session.execute(
            select(Kerja)
            .where(Kerja.id_track == report.id_track, Kerja.validasi == VALIDASI_MENUNGGU)
            .order_by(Kerja.idn)
        )
        .scalars()
        .all()
    )


def finish_waits(report):
    """Whether a #finish of this report is waiting: it is "selesai menunggu validasi"."""
    return any(kind_of(kerja) == FINISH for kerja in waiting_of(report))


@dataclass(frozen=True)
class Decision:
    kerja: Kerja
    kind: str
    before: str  # the text proposed for the reporter
    after: str  # what the reporter got (approved) or the note (sent back)


def _item(report, idn):
    """The waiting tb_kerja row `idn` of this report; refused when it belongs to another
    report or was already decided."""
    kerja = db.session.get(Kerja, idn)
    if kerja is None or kerja.id_track != report.id_track or not kerja.validasi:
        raise lifecycle.LifecycleError("Laporan petugas tidak ditemukan pada laporan ini.")
    if kerja.validasi != VALIDASI_MENUNGGU:
        raise _already_decided(kerja)
    return kerja


def _already_decided(kerja):
    validator = db.session.get(Admin, kerja.id_admin) if kerja.id_admin else None
    by = f" oleh {validator.nama_admin}" if validator else ""
    return lifecycle.LifecycleError(f"Laporan petugas ini sudah {kerja.validasi.lower()}{by}.")


def _claim(kerja, state, validator, **values):
    """Move the row from waiting to `state`, only if it is still waiting (another admin, or
    another tab, may have decided meanwhile); returns the row as it now is."""
    claimed = db.session.execute(
        update(Kerja)
        .where(Kerja.idn == kerja.idn, Kerja.validasi == VALIDASI_MENUNGGU)
        .values(validasi=state, id_admin=validator, waktu_validasi=clock.utcnow(), **values)
        .execution_options(synchronize_session=False)
    ).rowcount
    # The photo may have been stored meanwhile.
    fresh = latest_locked(Kerja, kerja.idn)
    if not claimed:
        raise _already_decided(fresh)
    return fresh


def _petugas(kerja):
    return db.session.get(Admin, kerja.id_petugas) if kerja.id_petugas else None


def approve(report, idn, text, validator):
    """Pass the waiting message on to the reporter as `text` (the TBO's note, or the
    validator's correction), as its #report or #finish would have been, and tell the TBO."""
    kerja = _item(report, idn)
    kind = kind_of(kerja)
    text = (text or "").strip()
    if lifecycle.is_closed(report):
        raise lifecycle.LifecycleError(
            f"Laporan {report.id_track} sudah ditutup: kembalikan laporan petugas ini dengan catatan."
        )
    petugas = _petugas(kerja)
    if kind == REPORT and not text:
        raise lifecycle.LifecycleError("Teks untuk pelapor wajib diisi.")
    if kind == FINISH:
        if report.status == lifecycle.SELESAI:
            raise lifecycle.LifecycleError(f"Laporan {report.id_track} sudah selesai.")
        if petugas is None or not staff.is_assigned(report, petugas.id_admin):
            raise lifecycle.LifecycleError(
                "Petugas ini tidak lagi menjadi PJ laporan ini: kembalikan laporannya dengan catatan."
            )
    before = kerja.pesan_pelapor or ""
    kerja = _claim(kerja, VALIDASI_DISETUJUI, validator, pesan_pelapor=text)
    if kind == FINISH:
        lifecycle.finish(report, petugas, text)
    else:
        lifecycle.add_track(report, text)
    photos.forward_approved(kerja, report)
    _tell_petugas(
        kerja, petugas, texts.review_approved(_nama(petugas), report.id_track, kind, text != before)
    )
    return Decision(kerja, kind, before, text)


def send_back(report, idn, note, validator):
    """Keep the waiting message from the reporter; the TBO is told why."""
    note = (note or "").strip()
    if not note:
        raise lifecycle.LifecycleError("Catatan untuk petugas wajib diisi.")
    kerja = _item(report, idn)
    kind = kind_of(kerja)
    kerja = _claim(kerja, VALIDASI_DIKEMBALIKAN, validator, catatan_validasi=note)
    petugas = _petugas(kerja)
    _tell_petugas(kerja, petugas, texts.review_returned(_nama(petugas), report.id_track, kind, note))
    return Decision(kerja, kind, kerja.pesan_pelapor or "", note)


def _nama(petugas):
    return petugas.nama_admin if petugas else "Petugas"


def _tell_petugas(kerja, petugas, text):
    # The number it was sent from: the TBO reads the answer where they wrote.
    telepon = kerja.telepon or (petugas.telepon if petugas else "")
    if telepon:
        outbox.enqueue(telepon, text, id_track=kerja.id_track, sumber=f"tb_kerja:{kerja.idn}")
