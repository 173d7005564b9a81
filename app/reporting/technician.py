"""TBO commands over WhatsApp: #help2, #job, #start, #report, #finish.

The technician is known by phone (tb_admin). Every TBO message is kept in tb_kerja with the
answer it got; a refused command changes nothing else.
"""

from sqlalchemy import or_, select

from .. import clock
from ..extensions import db
from ..models import Kerja, Monitoring, Penugasan
from ..models.people import AKTIF
from ..models.reports import VALIDASI_MENUNGGU
from . import commands, lifecycle, review, service, staff, texts

OPEN_STATUSES = (lifecycle.BARU, lifecycle.PROSES, lifecycle.PENDING)


def handle(command, telepon, text, has_media):
    """Answer one TBO command; returns (reply, keterangan, id_track, tb_kerja row)."""
    petugas = staff.by_phone(telepon)
    reply, keterangan, held = _decide(command, petugas, has_media)
    tanggal, jam = lifecycle.stamp_now()
    kerja = Kerja(
        tanggal=tanggal,
        jam=jam,
        pesan=text,
        respon=reply,
        id_track=command.id_track,
        telepon=telepon,
        keterangan=keterangan,
        # id_admin is the validator's (review.approve), not the sender's.
        id_admin="",
        id_petugas=petugas.id_admin if petugas else "",
        validasi=VALIDASI_MENUNGGU if held is not None else "",
        pesan_pelapor=held or "",
    )
    db.session.add(kerja)
    db.session.flush()
    return reply, keterangan, command.id_track, kerja


def _decide(command, petugas, has_media):
    """(reply, keterangan, the note held for review or None)."""
    reply, keterangan, *held = _decide_command(command, petugas, has_media)
    return reply, keterangan, held[0] if held else None


def _decide_command(command, petugas, has_media):
    if petugas is None:
        return texts.petugas_refused("unknown_sender"), "Ditolak: bukan petugas"
    if petugas.status != AKTIF:
        return texts.petugas_refused("inactive"), "Ditolak: akun tidak aktif"
    if command.kind == commands.HELP2:
        return texts.menu_petugas(), "Menu petugas"
    if command.kind == commands.JOB:
        return job_list(petugas, clock.local_now().date()), "Daftar tugas"

    id_track = command.id_track
    report = service.find_report(id_track)
    if report is None:
        return texts.not_valid(id_track), "Ditolak: nomor tidak valid"
    if lifecycle.is_closed(report):
        return texts.petugas_refused("closed", id_track), "Ditolak: laporan sudah ditutup"
    if not staff.is_assigned(report, petugas.id_admin):
        return texts.petugas_refused("not_assigned", id_track), "Ditolak: bukan penugasannya"
    if report.status == lifecycle.SELESAI:
        return texts.petugas_refused("finished", id_track), "Ditolak: sudah selesai"

    if command.kind == commands.START:
        told = lifecycle.start(report, petugas, command.text)
        return texts.petugas_ack("start" if told else "start_joined", report), f"Start {id_track}"
    if command.kind == commands.REPORT:
        if not command.text and not has_media:
            return texts.petugas_refused("empty_report", id_track), "Ditolak: progres kosong"
        # The photo itself follows once fetched (photos.forward_to_reporter); saying
        # "(dengan foto)" here would promise one that may never come.
        note = command.text or "Foto progres pekerjaan"
        if review.enabled():
            return texts.petugas_ack("report_waiting", report), f"Report {id_track}", note
        lifecycle.progress(report, petugas, note)
        return texts.petugas_ack("report", report), f"Report {id_track}"
    # Also with review switched off: the waiting one is decided first.
    if review.finish_waits(report):
        return texts.petugas_refused("finish_waiting", id_track), "Ditolak: selesai menunggu validasi"
    if review.enabled():
        return texts.petugas_ack("finish_waiting", report), f"Finish {id_track}", command.text or ""
    lifecycle.finish(report, petugas, command.text)
    return texts.petugas_ack("finish", report), f"Finish {id_track}"


def open_jobs(petugas, today):
    """(report, penugasan) of the petugas's open work: today's assignments first, then oldest."""
    rows = db.session.execute(
        select(Monitoring, Penugasan)
        .join(
            Penugasan,
            or_(Penugasan.idm == Monitoring.idm, Penugasan.id_track == Monitoring.id_track),
        )
        .where(Penugasan.id_admin == petugas.id_admin, Monitoring.status.in_(OPEN_STATUSES))
        .order_by(Penugasan.idp)
    ).all()
    seen, jobs = set(), []
    for report, penugasan in rows:
        if staff.is_active_assignment(penugasan) and report.idm not in seen:
            seen.add(report.idm)
            jobs.append((report, penugasan))
    return sorted(jobs, key=lambda job: (job[1].tanggal != today, job[1].tanggal, job[1].idp))


def job_list(petugas, today):
    """The #job text: the petugas's open work, each with its team when it has one."""
    jobs = open_jobs(petugas, today)
    teams = staff.team_names([report.idm for report, _ in jobs])
    return texts.job_list(petugas.nama_admin, jobs, today, teams)
