"""What an admin does to a report from its page, through the lifecycle services, audited."""

from sqlalchemy import select

from .. import audit
from ..extensions import db
from ..models import Admin, Kerja, Penugasan, Track
from ..models.reports import VALIDASI_DIKEMBALIKAN, VALIDASI_DISETUJUI, VALIDASI_MENUNGGU
from ..reporting import categories, lifecycle, review, staff


def mark_read(report):
    if report.tag != 1:
        report.tag = 1
        audit.record("baca", "laporan", report.id_track, {"tag": 0}, {"tag": 1})


def assign(report, id_admins, catatan):
    """Put the chosen people (id_admin, the lead of a new team first) on the report's team."""
    members = [db.session.get(Admin, id_admin) for id_admin in id_admins]
    done = lifecycle.assign_team(report, members, catatan, oleh=_actor())
    audit.record(
        "tugaskan",
        "laporan",
        report.id_track,
        None,
        {"pj": [petugas.id_admin for petugas, _ in done.added], "catatan": catatan},
    )
    return done


def edit_assignment(report, idp, catatan):
    penugasan = _assignment(report, idp)
    before = {"catatan": penugasan.catatan}
    penugasan.catatan = catatan
    audit.record("ubah penugasan", "laporan", report.id_track, before, {"catatan": catatan})


def remove_assignment(report, idp):
    penugasan = _assignment(report, idp)
    lifecycle.unassign(penugasan, report)
    audit.record(
        "hapus penugasan",
        "laporan",
        report.id_track,
        {"pj": penugasan.id_admin},
        {"status": penugasan.status},
    )


def _assignment(report, idp):
    """The report's assignment `idp`, refused unless it may still be changed."""
    penugasan = db.session.get(Penugasan, idp)
    if penugasan is None or penugasan not in staff.assignments_of(report):
        raise lifecycle.LifecycleError("Penugasan tidak ditemukan pada laporan ini.")
    if lifecycle.is_closed(report):
        raise lifecycle.LifecycleError(
            f"Laporan {report.id_track} sudah ditutup: penugasannya tidak dapat diubah atau dihapus."
        )
    if not lifecycle.assignment_is_open(report, penugasan):
        raise lifecycle.LifecycleError("Penugasan ini sudah tidak berlaku.")
    return penugasan


def set_category(report, id_bidang):
    """File the report under another category (its assignments stay as they are)."""
    if not categories.exists(id_bidang):
        raise lifecycle.LifecycleError("Kategori tidak ditemukan (mungkin baru saja dihapus).")
    before = categories.name_of(report.id_bidang)
    report.id_bidang = id_bidang
    audit.record(
        "ubah kategori",
        "laporan",
        report.id_track,
        {"kategori": before},
        {"kategori": categories.name_of(id_bidang)},
    )


def add_progress(report, catatan, notify):
    line = lifecycle.add_track(report, catatan, notify=notify)
    audit.record("tambah progres", "laporan", report.id_track, None, {"catatan": catatan, "dikirim": notify})
    return line


def _track(report, track_id):
    line = db.session.get(Track, track_id)
    if line is None or line.idm != report.idm:
        raise lifecycle.LifecycleError("Catatan progres tidak ditemukan pada laporan ini.")
    return line


def edit_progress(report, track_id, catatan):
    line = _track(report, track_id)
    before = {"catatan": line.catatan}
    line.catatan = catatan
    audit.record("ubah progres", "laporan", report.id_track, before, {"catatan": catatan})


def delete_progress(report, track_id):
    line = _track(report, track_id)
    audit.record("hapus progres", "laporan", report.id_track, {"catatan": line.catatan}, None)
    db.session.delete(line)


def set_status(report, action, reason):
    before = {"status": report.status}
    if action == "pending":
        lifecycle.set_pending(report, reason)
    elif action == "lanjut":
        lifecycle.resume(report)
    elif action == "tutup":
        lifecycle.close(report, reason)
    else:
        raise lifecycle.LifecycleError("Tindakan tidak dikenal.")
    audit.record(
        f"status {action}", "laporan", report.id_track, before, {"status": report.status, "alasan": reason}
    )


def approve_review(report, idn, text):
    """Pass a TBO's waiting #report/#finish on to the reporter, possibly corrected."""
    done = review.approve(report, idn, text, _actor())
    audit.record(
        "validasi setujui",
        "laporan",
        report.id_track,
        {"validasi": VALIDASI_MENUNGGU, "pesan_pelapor": done.before},
        {"tb_kerja": idn, "validasi": VALIDASI_DISETUJUI, "pesan_pelapor": done.after},
    )
    return done


def send_back_review(report, idn, note):
    done = review.send_back(report, idn, note, _actor())
    audit.record(
        "validasi kembalikan",
        "laporan",
        report.id_track,
        {"validasi": VALIDASI_MENUNGGU},
        {"tb_kerja": idn, "validasi": VALIDASI_DIKEMBALIKAN, "catatan": note},
    )
    return done


def technician_messages(report):
    """What the TBO sent about this report (tb_kerja), with their photos."""
    return (
        db.session.execute(select(Kerja).where(Kerja.id_track == report.id_track).order_by(Kerja.idn))
        .scalars()
        .all()
    )


def _actor():
    from flask_login import current_user

    return current_user.id_admin if current_user and current_user.is_authenticated else ""
