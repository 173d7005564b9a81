"""Photos and documents that come with a message.

The provider keeps a file only a short while (Fonnte: 30 minutes), so each is queued when
the message is stored and fetched by the worker at once, retried a few times, and kept
under instance/uploads/ with a generated name. The text of the message never waits for it.
"""

import logging
import uuid
from datetime import timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import select, update

from .. import clock
from ..database import run_in_transaction
from ..extensions import db
from ..models import Kerja, Media, Monitoring
from .http import TransportError, download_from_anywhere

log = logging.getLogger("sarpras.media")

MAX_BYTES = 10 * 1024 * 1024
MAX_ATTEMPTS = 6
RETRY_SECONDS = 10
TYPES = {
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/webp": ".webp",
    "image/gif": ".gif",
    "application/pdf": ".pdf",
}
TARGETS = {"tb_monitoring": Monitoring, "tb_kerja": Kerja}
# A file that came through Meta's Cloud API is known by its media id, not by a URL: the
# download URL is asked for when fetching, since it lives only five minutes.
CLOUD_MEDIA = "whatsapp-media:"


def queue(url, filename, tabel, id_baris):
    """Queue a file for fetching (in the caller's transaction)."""
    now = clock.utcnow()
    db.session.add(
        Media(
            url=url[:1000],
            nama_asli=(filename or "")[:255],
            tabel=tabel,
            id_baris=id_baris,
            status="antri",
            percobaan=0,
            coba_setelah=now,
            dibuat=now,
        )
    )


def sniff(content):
    """The file type from its first bytes: what the sender claims is not trusted."""
    if content.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "image/webp"
    if content[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if content.startswith(b"%PDF-"):
        return "application/pdf"
    return None


def upload_dir():
    return Path(current_app.instance_path) / "uploads"


def _store(content, kind):
    now = clock.local_now()
    relative = Path("uploads") / f"{now:%Y}" / f"{now:%m}" / f"{uuid.uuid4().hex}{TYPES[kind]}"
    path = Path(current_app.instance_path) / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return relative.as_posix()


def _claim():
    def work():
        now = clock.utcnow()
        ids = (
            db.session.execute(
                select(Media.id).where(Media.status == "antri", Media.coba_setelah <= now).limit(10)
            )
            .scalars()
            .all()
        )
        claimed = []
        for media_id in ids:
            if db.session.execute(
                update(Media).where(Media.id == media_id, Media.status == "antri").values(status="proses")
            ).rowcount:
                row = db.session.get(Media, media_id)
                claimed.append((row.id, row.url))
        return claimed

    return run_in_transaction(work)


def _fetch(url, config):
    if url.startswith(CLOUD_MEDIA):
        from .providers.cloud import fetch_media

        content = fetch_media(url.removeprefix(CLOUD_MEDIA), config, MAX_BYTES).content
    else:
        content = download_from_anywhere(
            url,
            timeout=config["HTTP_TIMEOUT_SECONDS"],
            max_bytes=MAX_BYTES,
            allow_private=config.get("MEDIA_ALLOW_PRIVATE", False),
        )
    kind = sniff(content)
    if kind is None:
        raise TransportError("Berkas bukan gambar (JPEG/PNG/WebP/GIF) atau PDF", permanent=True)
    return _store(content, kind)


def _record(media_id, berkas, error, on_fetched, on_gave_up):
    def work():
        row = db.session.get(Media, media_id)
        row.percobaan += 1
        if error is None:
            row.status, row.berkas, row.galat = "selesai", berkas, ""
            target = db.session.get(TARGETS[row.tabel], row.id_baris)
            if target is not None:
                target.gambar = berkas
            if on_fetched is not None:
                on_fetched(row)
            return
        row.galat = str(error)[:2000]
        if error.permanent or row.percobaan >= MAX_ATTEMPTS:
            row.status = "gagal"
            if on_gave_up is not None:
                on_gave_up(row, error)
        else:
            row.status = "antri"
            row.coba_setelah = clock.utcnow() + timedelta(seconds=RETRY_SECONDS * 2 ** (row.percobaan - 1))

    run_in_transaction(work)


def fetch_due(config, on_fetched=None, on_gave_up=None):
    """Worker job: fetch every queued file that is due; returns how many were handled.

    on_fetched(media_row) and on_gave_up(media_row, error) run in the transaction that
    records the outcome, so what follows from it (telling someone) is stored with it."""
    handled = 0
    for media_id, url in _claim():
        try:
            berkas, error = _fetch(url, config), None
        except TransportError as failure:
            berkas, error = "", failure
            log.warning("unduh %s gagal: %s", url, failure)
        _record(media_id, berkas, error, on_fetched, on_gave_up)
        handled += 1
    return handled
