"""Reports: who is writing, creating a report, and reading it back. No HTTP here."""

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import bindparam, insert, select

from .. import clock
from ..database import core_execute
from ..extensions import db
from ..models import Monitoring, Pegawai, Track
from ..models.people import AKTIF
from ..models.sizes import fit_values
from . import categories, texts
from .tracking import next_tracking_number

GUEST_PROFILE = "Tamu"


@dataclass(frozen=True)
class Reporter:
    telepon: str
    nama: str
    profil: str
    id_pegawai: str = ""

    @property
    def is_guest(self):
        return not self.id_pegawai

    @property
    def addressee(self):
        return texts.Addressee(nama=self.nama, telepon=self.telepon, profil=self.profil)


# Built once: every incoming message runs it (see inbound._INSERT_IN).
_BY_PHONE = (
    select(Pegawai.id_pegawai, Pegawai.nama_pegawai, Pegawai.jurusan, Pegawai.bagian)
    .where(Pegawai.telepon == bindparam("telepon"))
    .order_by(Pegawai.status != AKTIF, Pegawai.id_pegawai)
    .limit(1)
)


def identify(telepon, profile_name):
    """The pegawai with this (canonical) number, or a guest named by the WhatsApp profile."""
    pegawai = core_execute(_BY_PHONE, {"telepon": telepon}).first()
    if pegawai is not None:
        return Reporter(
            telepon=telepon,
            nama=pegawai.nama_pegawai,
            profil=Pegawai.profile_of(pegawai.jurusan, pegawai.bagian) or "-",
            id_pegawai=pegawai.id_pegawai,
        )
    name = " ".join((profile_name or "").split())[:100] or telepon
    return Reporter(telepon=telepon, nama=name, profil=GUEST_PROFILE)


def may_report(reporter):
    return not reporter.is_guest or current_app.config["ALLOW_GUESTS"]


@dataclass(frozen=True)
class NewReport:
    idm: int
    id_track: str
    respon: str
    bidang: categories.Choice = categories.UMUM_CHOICE


# Built once (see inbound._INSERT_IN).
_INSERT_REPORT = insert(Monitoring.__table__)


def create_report(reporter, complaint, gambar="", bidang=None):
    """Store a new report (status Baru, unread) with its category (chosen from the text
    unless given), tracking number and reply text.

    A plain INSERT, not an ORM object: it runs while the tracking-number counter is locked,
    and every report waits for the one before it (so the category is chosen before).
    """
    bidang = bidang or categories.choose(complaint)
    now = clock.local_now()
    id_track = next_tracking_number(current_app.config["TRACK_PREFIX"], now)
    respon = texts.new_report(reporter.addressee, id_track)
    idm = core_execute(
        _INSERT_REPORT,
        fit_values(
            Monitoring.__table__,
            dict(
                tanggal=now.date(),
                jam=now.time().replace(microsecond=0, tzinfo=None),
                kategori="Request",
                pesan=complaint,
                respon=respon,
                telepon=reporter.telepon,
                id_pegawai=reporter.id_pegawai,
                id_track=id_track,
                gambar=gambar,
                status="Baru",
                tag=0,
                keterangan="",
                nama_pelapor=reporter.nama,
                profil_pelapor=reporter.profil,
                durasi=0,
                nilai=0,
                komentar="",
                id_bidang=bidang.id_bidang,
            ),
        ),
    ).inserted_primary_key[0]
    return NewReport(idm=idm, id_track=id_track, respon=respon, bidang=bidang)


def find_report(id_track):
    return db.session.execute(
        select(Monitoring).where(Monitoring.id_track == id_track.upper())
    ).scalar_one_or_none()


def tracks_of(report):
    return db.session.execute(select(Track).where(Track.idm == report.idm).order_by(Track.id)).scalars().all()


def last_track_of(report):
    return db.session.execute(
        select(Track).where(Track.idm == report.idm).order_by(Track.id.desc()).limit(1)
    ).scalar_one_or_none()


def recent_reports(telepon, limit=texts.CEK_LIST_LIMIT):
    return (
        db.session.execute(
            select(Monitoring)
            .where(Monitoring.telepon == telepon)
            .order_by(Monitoring.idm.desc())
            .limit(limit)
        )
        .scalars()
        .all()
    )
