"""Files of ours that go out with a message (a TBO's progress photo forwarded to the
reporter). The outbox keeps a reference, `berkas:<path under the instance folder>`, and the
provider uploads the bytes itself: our server need not be reachable from Fonnte or Meta.
"""

from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .http import TransportError
from .media import TYPES, sniff

LOCAL = "berkas:"
UPLOADS = "uploads"


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mime_type: str

    def as_upload(self):
        """The (name, bytes, type) a multipart `file` field takes, for every provider."""
        return (self.filename, self.content, self.mime_type)


def reference(relative_path):
    """The outbox's media_url for a file under instance/, e.g. what media.py stored."""
    return f"{LOCAL}{relative_path}"


def is_local(media_url):
    return bool(media_url) and media_url.startswith(LOCAL)


def upload_path(relative, instance_dir):
    """The file a stored path (`uploads/2024/11/<name>.jpg`) names, or None when the path
    could reach anything outside instance/uploads/ (the database, the secret key)."""
    if not relative or "\\" in relative or "\x00" in relative:
        return None
    parts = PurePosixPath(relative)
    if parts.is_absolute() or ".." in parts.parts or parts.parts[:1] != (UPLOADS,) or len(parts.parts) < 2:
        return None
    return Path(instance_dir) / parts


def read(media_url, config):
    """The file a `berkas:` reference names. Only files under instance/uploads/ can go
    out, so a reference can never send the database or the secret key."""
    relative = media_url.removeprefix(LOCAL)
    path = upload_path(relative, config["INSTANCE_DIR"])
    if path is None:
        raise TransportError(f"Lampiran tidak sah: {media_url}", permanent=True)
    try:
        content = path.read_bytes()
    except OSError:
        raise TransportError(f"Lampiran tidak ditemukan: {relative}", permanent=True) from None
    kind = sniff(content)
    if kind is None or kind not in TYPES:
        raise TransportError(f"Lampiran bukan gambar atau PDF: {relative}", permanent=True)
    return Attachment(path.name, content, kind)
