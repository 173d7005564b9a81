"""Which stored files the panel shows: only a file that a tb_media row records as
fetched. The path asked for is looked up, never joined onto the instance folder as
given, so nothing else there (the SQLite file, the secret key) can be reached."""

from sqlalchemy import select

from ..extensions import db
from ..messaging.attachments import upload_path
from ..models import Media


def stored_file(relative, instance_dir):
    """The absolute path of the photo or PDF stored as `relative`, or None."""
    path = upload_path(relative, instance_dir)
    if path is None:
        return None
    recorded = db.session.execute(
        select(Media.id).where(Media.berkas == relative, Media.status == "selesai").limit(1)
    ).first()
    return path if recorded is not None and path.is_file() else None
