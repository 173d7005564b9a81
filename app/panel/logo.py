"""The letterhead's logo: a PNG or JPEG checked by its bytes (never by the name or type
the browser sent), stored under instance/uploads/kop/ with a name of ours, and found again
only through its tb_pengaturan row, never through a path from a request."""

import re
import struct
import uuid
import zlib
from pathlib import Path

from .. import audit
from ..database import run_in_transaction
from ..extensions import db
from ..models import Pengaturan
from .letterhead import LOGO, put

MAX_BYTES = 1024 * 1024
MAX_SIDE = 8000
FOLDER = "uploads/kop"
# Only a name this module gave can be served, whatever the row says.
STORED = re.compile(rf"^{FOLDER}/[0-9a-f]{{32}}\.(png|jpg)$")
MIME = {"png": "image/png", "jpg": "image/jpeg"}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_END = b"\x00\x00\x00\x00IEND\xaeB`\x82"
# JPEG frame headers (SOF0-SOF15 without DHT, JPG and DAC), which carry the size.
JPEG_FRAMES = set(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
JPEG_STANDALONE = {0x01, *range(0xD0, 0xD8)}


class Invalid(ValueError):
    """Why the file is refused, in Indonesian for the form."""


def check(content):
    """The stored file's extension ("png" or "jpg") for a real image, else Invalid."""
    if not content:
        raise Invalid("Berkas logo kosong.")
    if len(content) > MAX_BYTES:
        raise Invalid(f"Logo paling besar {MAX_BYTES // 2**20} MB.")
    if content.startswith(PNG_SIGNATURE):
        size, kind = _png_size(content), "png"
    elif content.startswith(b"\xff\xd8\xff"):
        size, kind = _jpeg_size(content), "jpg"
    else:
        raise Invalid("Logo harus berupa gambar PNG atau JPEG.")
    if size is None:
        raise Invalid("Berkas logo rusak atau bukan gambar PNG/JPEG yang utuh.")
    if not all(0 < side <= MAX_SIDE for side in size):
        raise Invalid(f"Ukuran logo paling besar {MAX_SIDE}×{MAX_SIDE} piksel.")
    return kind


def _png_size(content):
    """(width, height) from a PNG whose header chunk is intact and which ends as a PNG
    ends, else None."""
    header = content[8:33]
    if len(header) < 25 or header[:8] != b"\x00\x00\x00\x0dIHDR" or not content.endswith(PNG_END):
        return None
    if zlib.crc32(header[4:21]) != struct.unpack(">I", header[21:25])[0]:
        return None
    return struct.unpack(">II", header[8:16])


def _jpeg_size(content):
    """(width, height) from the frame header found by walking a JPEG's segments up to
    its scan, for a file that ends as a JPEG ends; else None."""
    if not content.rstrip(b"\x00").endswith(b"\xff\xd9"):
        return None
    position, size = 2, None
    while position + 4 <= len(content):
        if content[position] != 0xFF:
            return None
        marker = content[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        if marker in JPEG_STANDALONE:
            position += 2
            continue
        (length,) = struct.unpack(">H", content[position + 2 : position + 4])
        if length < 2:
            return None
        if marker in JPEG_FRAMES and length >= 7 and position + 9 <= len(content):
            height, width = struct.unpack(">HH", content[position + 5 : position + 9])
            size = (width, height)
        if marker == 0xDA:  # start of scan: the header is over
            return size
        position += 2 + length
    return None


def path_of(relative, instance_dir):
    """The file a stored value names, or None for anything this module did not name."""
    if not relative or not STORED.match(relative):
        return None
    return Path(instance_dir) / relative


def current_file(instance_dir):
    """(path, mime type) of the logo in use, or None."""
    row = db.session.get(Pengaturan, LOGO)
    path = path_of(row.nilai if row else "", instance_dir)
    if path is None or not path.is_file():
        return None
    return path, MIME[path.suffix.lstrip(".")]


def replace(content, instance_dir):
    """Check and store a new logo, then remove the one it replaces."""
    kind = check(content)
    relative = f"{FOLDER}/{uuid.uuid4().hex}.{kind}"
    path = Path(instance_dir) / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    try:
        old = run_in_transaction(lambda: _use(relative, "ganti logo"))
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    _discard(old, instance_dir)


def remove(instance_dir):
    """No logo any more; False when there was none."""
    old = run_in_transaction(lambda: _use("", "hapus logo"))
    _discard(old, instance_dir)
    return bool(old)


def _use(relative, action):
    row = db.session.get(Pengaturan, LOGO)
    old = row.nilai if row else ""
    if old or relative:
        put(LOGO, relative)
        audit.record(action, "pengaturan", "logo", {"logo": old}, {"logo": relative})
    return old


def _discard(relative, instance_dir):
    path = path_of(relative, instance_dir)
    if path is not None:
        path.unlink(missing_ok=True)
