"""Telling a sender that the photo of their message could not be fetched: otherwise the
reporter believes the admins see it, and the TBO believes the progress is documented."""

import re

from ..extensions import db
from ..messaging import outbox
from ..models import Kerja, Monitoring
from . import texts

TARGETS = {"tb_monitoring": (Monitoring, False), "tb_kerja": (Kerja, True)}
# Our own refusals name the cause in words a sender understands; a transport error's text
# (a URL, a Graph API code) would not.
PLAIN_CAUSES = ("Berkas ",)
GENERIC_CAUSE = "berkas tidak dapat diunduh dari WhatsApp"


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
