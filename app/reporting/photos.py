"""What follows a photo that came with a message: a TBO's progress photo goes on to the
reporter; a photo that could not be fetched is told to whoever sent it (otherwise the
reporter believes the admins see it, and the TBO that the progress is documented)."""

import re
from pathlib import PurePosixPath

from sqlalchemy import select

from ..database import latest_locked
from ..extensions import db
from ..messaging import attachments, media, outbox
from ..models import Admin, Kerja, Media, Monitoring
from . import service, texts

TARGETS = {"tb_monitoring": (Monitoring, False), "tb_kerja": (Kerja, True)}
# Our own refusals name the cause in words a sender understands; a transport error's text
# (a URL, a Graph API code) would not.
PLAIN_CAUSES = ("Berkas ",)
GENERIC_CAUSE = "berkas tidak dapat diunduh dari WhatsApp"


def fetch_due(config):
    """The worker's job: media.fetch_due with what follows each outcome."""
    return media.fetch_due(config, on_fetched=forward_to_reporter, on_gave_up=tell_sender_it_failed)


def forward_to_reporter(media_row):
    """A TBO's #report photo, once stored, goes to the reporter of that report; one whose
    #report waits for validation goes with the approval (review.approve) instead."""
    if media_row.tabel != "tb_kerja":
        return
    # The latest committed row, so an approval committed meanwhile is seen here or sees
    # this photo itself (review._claim), never neither.
    kerja = latest_locked(Kerja, media_row.id_baris)
    if kerja is None or not kerja.id_track or not kerja.reaches_reporter:
        return
    _send(service.find_report(kerja.id_track), kerja, media_row)


def forward_approved(kerja, report):
    """The photos stored while the message waited, sent with its approval."""
    rows = db.session.execute(
        select(Media)
        .where(Media.tabel == "tb_kerja", Media.id_baris == kerja.idn, Media.status == "selesai")
        .order_by(Media.id)
        .with_for_update()
    ).scalars()
    for media_row in rows:
        _send(report, kerja, media_row)


def _send(report, kerja, media_row):
    if report is None or not report.telepon:
        return
    petugas = db.session.get(Admin, kerja.id_petugas) if kerja.id_petugas else None
    outbox.enqueue(
        report.telepon,
        texts.progress_photo(report.id_track, petugas.nama_admin if petugas else ""),
        id_track=report.id_track,
        sumber=f"tb_media:{media_row.id}",
        media_url=attachments.reference(media_row.berkas),
        media_nama=media_row.nama_asli or PurePosixPath(media_row.berkas).name,
    )


def reason_for_sender(error):
    # Without its parenthesised detail ("HTTP 404", the list of types): the reply puts the
    # reason in parentheses itself.
    text = re.sub(r"\s*\([^)]*\)", "", str(error)).strip()
    if text.startswith(PLAIN_CAUSES):
        return text[0].lower() + text[1:]
    return GENERIC_CAUSE


def tell_sender_it_failed(media_row, error):
    model, for_petugas = TARGETS.get(media_row.tabel, (None, False))
    target = db.session.get(model, media_row.id_baris) if model is not None else None
    if target is None or not target.telepon or not target.id_track:
        return
    text = texts.photo_failed(target.id_track, reason_for_sender(error), for_petugas)
    outbox.enqueue(target.telepon, text, id_track=target.id_track, sumber=f"tb_media:{media_row.id}")
