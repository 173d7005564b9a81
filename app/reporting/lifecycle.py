"""A report's life after it is created: assignment, progress, finish, confirmation.

Every step that the reporter should see is a tb_track line, and the WhatsApp messages that
follow from a step are queued in the same transaction. Callers check who may do what;
these functions only refuse what makes no sense for the report itself.
"""

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from .. import clock
from ..extensions import db
from ..messaging import outbox
from ..models import Admin, Monitoring, Penugasan, Track
from . import staff, texts

BARU, PROSES, PENDING, SELESAI, DIKONFIRMASI = "Baru", "Proses", "Pending", "Selesai", "Dikonfirmasi"
STATUSES = (BARU, PROSES, PENDING, SELESAI, DIKONFIRMASI)


class LifecycleError(ValueError):
    """A step that cannot be taken; the message is for people (Indonesian)."""


def is_closed(report):
    return report.status == DIKONFIRMASI


def assignment_is_open(report, penugasan):
    """Whether an assignment may still be changed: it has not ended and its report is not
    closed (a closed report's assignments are history, whatever status they were left in)."""
    return not is_closed(report) and staff.is_active_assignment(penugasan)


def addressee(report):
    return texts.Addressee(
        nama=report.nama_pelapor or report.telepon,
        telepon=report.telepon,
        profil=report.profil_pelapor or "-",
    )


def stamp_now():
    now = clock.local_now()
    return now.date(), now.time().replace(microsecond=0, tzinfo=None)


def add_track(report, catatan, *, notify=True, notice=None):
    """A progress line the reporter sees in #cek/#track; by default also sent to them
    (when they have a number: a report the network monitor opened has none)."""
    tanggal, jam = stamp_now()
    line = Track(idm=report.idm, id_track=report.id_track, tanggal=tanggal, jam=jam, catatan=catatan)
    db.session.add(line)
    db.session.flush()
    if notify and report.telepon:
        text = notice or texts.progress_notice(addressee(report), report, line)
        outbox.enqueue(report.telepon, text, id_track=report.id_track, sumber=f"tb_track:{line.id}")
    return line


@dataclass(frozen=True)
class TeamAssignment:
    """What one assignment action did: who joined (in order), who was already on the team,
    and the team as it now stands, its lead first."""

    id_track: str
    added: list  # [(Admin, Penugasan)]
    skipped: list  # [Admin] already on the team
    team: list  # [Admin], the lead first

    def summary(self):
        """For the admin who did it (panel, CLI)."""
        return texts.assignment_done(
            self.id_track,
            [petugas.nama_admin for petugas, _ in self.added],
            [petugas.nama_admin for petugas in self.skipped],
            [petugas.nama_admin for petugas in self.team],
        )


def _refuse_unassignable(members):
    for petugas in members:
        if petugas is None or not petugas.is_active or petugas.level not in staff.ASSIGNABLE_LEVELS:
            name = f"{petugas.nama_admin} ({petugas.id_admin}): " if petugas is not None else ""
            raise LifecycleError(f"{name}Petugas harus TBO atau Staf yang aktif.")


def assign_team(report, members, catatan="", oleh=""):
    """Put `members` (active TBO or Staf) on the report's team, each with their own
    assignment. The team's lead is its earliest active assignment, so the first of
    `members` leads when the report has no PJ yet. Members already on the team are
    skipped; when nobody is new the whole action is refused. Earlier PJ stay.

    Every member is checked before anything is stored. Each new member gets the WhatsApp
    assignment; the reporter gets one progress line naming everyone added."""
    if is_closed(report):
        raise LifecycleError(f"Laporan {report.id_track} sudah ditutup.")
    members = list(members)
    if not members:
        raise LifecycleError("Pilih sedikitnya satu petugas.")
    _refuse_unassignable(members)
    on_team = {p.id_admin for p in staff.active_assignments(report)}
    unique = list({m.id_admin: m for m in members}.values())
    skipped = [m for m in unique if m.id_admin in on_team]
    new = [m for m in unique if m.id_admin not in on_team]
    if not new:
        raise LifecycleError(
            f"{texts.names_list([m.nama_admin for m in skipped])} sudah menjadi PJ laporan ini."
        )
    tanggal, jam = stamp_now()
    added = []
    for petugas in new:
        penugasan = Penugasan(
            id_admin=petugas.id_admin,
            tanggal=tanggal,
            jam=jam,
            idm=report.idm,
            id_track=report.id_track,
            catatan=catatan or "",
            status=staff.DITUGASKAN,
            pemberi=oleh or "",
        )
        db.session.add(penugasan)
        added.append((petugas, penugasan))
    db.session.flush()
    if report.status in (BARU, PENDING, SELESAI):
        report.status = PROSES
        report.waktu_selesai = None
    team = staff.team_of(report)
    add_track(report, texts.assigned_line([petugas.nama_admin for petugas, _ in added]))
    team_names = [member.nama_admin for member in team]
    for petugas, penugasan in added:
        if petugas.telepon:
            outbox.enqueue(
                petugas.telepon,
                texts.assignment_for_petugas(petugas.nama_admin, report, catatan, team_names),
                id_track=report.id_track,
                sumber=f"tb_penugasan:{penugasan.idp}",
            )
    return TeamAssignment(id_track=report.id_track, added=added, skipped=skipped, team=team)


def unassign(penugasan, report):
    """Withdraw an assignment; a report left without a PJ goes back to Baru."""
    if not staff.is_active_assignment(penugasan):
        raise LifecycleError("Penugasan ini sudah tidak berlaku.")
    penugasan.status = staff.DIBATALKAN
    _tell_one(report, penugasan, lambda p: texts.assignment_withdrawn(p.nama_admin, report))
    db.session.flush()
    if report.status == PROSES and not staff.active_assignments(report):
        report.status = BARU


def _own_assignment(report, petugas):
    return next(p for p in staff.active_assignments(report) if p.id_admin == petugas.id_admin)


def start(report, petugas, note=""):
    """The petugas starts their part. The first start of the team moves the report on and
    tells the reporter (returns the progress line); a teammate's later start only marks
    their own assignment (returns None)."""
    own = _own_assignment(report, petugas)
    team_started = any(
        (p.status or "").lower() == staff.DIKERJAKAN.lower() for p in staff.active_assignments(report)
    )
    own.status = staff.DIKERJAKAN
    report.status = PROSES
    if team_started:
        return None
    return add_track(report, texts.started_line(petugas.nama_admin, note))


def progress(report, petugas, note):
    _own_assignment(report, petugas)
    return add_track(report, note)


def reported_at(report):
    """When the report came in, as an aware local datetime."""
    return clock.local_at(report.tanggal, report.jam)


def _mark_finished(report):
    report.status = SELESAI
    report.waktu_selesai = clock.utcnow()
    report.durasi = max(0, int((clock.local_now() - reported_at(report)).total_seconds()))


def finish(report, petugas, note=""):
    """One member's finish finishes the report: every other open assignment of the team
    ends as finished too, and those members are told a teammate finished it."""
    own = _own_assignment(report, petugas)
    own.status = staff.SELESAI
    return _finish(
        report,
        texts.finished_line(petugas.nama_admin, note),
        lambda p: texts.finished_by_teammate(p.nama_admin, report, petugas.nama_admin),
    )


def finish_unattended(report, catatan):
    """What the report was about ended by itself (a network outage that is over): the
    report is finished with `catatan` as its line, without a petugas's #finish; every open
    assignment of its team ends finished and its member is told why."""
    return _finish(
        report, catatan, lambda p: texts.finished_unattended_for_petugas(p.nama_admin, report, catatan)
    )


def _finish(report, line_text, tell):
    for penugasan in staff.active_assignments(report):
        if (penugasan.status or "").lower() == staff.SELESAI.lower():
            continue
        penugasan.status = staff.SELESAI
        _tell_one(report, penugasan, tell)
    _mark_finished(report)
    days = current_app.config["AUTO_CLOSE_DAYS"]
    return add_track(
        report, line_text, notice=texts.finish_notice(addressee(report), report, line_text, days)
    )


def _tell_one(report, penugasan, build):
    petugas = db.session.get(Admin, penugasan.id_admin)
    if petugas is not None and petugas.telepon:
        outbox.enqueue(
            petugas.telepon, build(petugas), id_track=report.id_track, sumber=f"tb_penugasan:{penugasan.idp}"
        )


def _tell_petugas(report, build):
    for penugasan in staff.active_assignments(report):
        _tell_one(report, penugasan, build)


def confirm(report, rating=None, comment=""):
    """The reporter confirms the work is done: the report is closed."""
    if report.status != SELESAI:
        _mark_finished(report)
    report.status = DIKONFIRMASI
    report.nilai = rating or 0
    report.komentar = comment or ""
    now = clock.local_now()
    add_track(report, texts.confirmed_line(rating, comment), notify=False)
    _tell_petugas(report, lambda p: texts.confirmed_for_petugas(p.nama_admin, report))
    return texts.confirmation(report, now)


def auto_close_due():
    """Close reports left Selesai without confirmation for AUTO_CLOSE_DAYS; returns how many."""
    days = current_app.config["AUTO_CLOSE_DAYS"]
    limit = clock.utcnow() - timedelta(days=days)
    due = (
        db.session.execute(
            select(Monitoring)
            .where(Monitoring.status == SELESAI, Monitoring.waktu_selesai < limit)
            .limit(500)
        )
        .scalars()
        .all()
    )
    for report in due:
        report.status = DIKONFIRMASI
        report.keterangan = texts.auto_closed_note(days)
        add_track(
            report, texts.auto_closed_note(days), notice=texts.auto_closed(addressee(report), report, days)
        )
    return len(due)


def set_pending(report, reason):
    """An admin puts the report on hold; the reporter is told why."""
    if is_closed(report):
        raise LifecycleError(f"Laporan {report.id_track} sudah ditutup.")
    report.status = PENDING
    return add_track(report, texts.pending_line(reason))


def resume(report):
    """Back from Pending: Proses when someone is assigned, else Baru."""
    if report.status != PENDING:
        raise LifecycleError("Laporan tidak sedang Pending.")
    report.status = PROSES if staff.active_assignments(report) else BARU
    return add_track(report, texts.resumed_line())


def close(report, reason):
    """An admin closes the report without the reporter's confirmation."""
    if is_closed(report):
        raise LifecycleError(f"Laporan {report.id_track} sudah ditutup.")
    if report.status != SELESAI:
        _mark_finished(report)
    report.status = DIKONFIRMASI
    report.keterangan = reason
    line = add_track(report, texts.closed_line(reason))
    _tell_petugas(report, lambda p: texts.closed_for_petugas(p.nama_admin, report, reason))
    return line
