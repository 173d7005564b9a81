"""The backup file: a .tar.gz with the database, uploads/ and manifest.json (written last,
once every member's size and SHA-256 are known), and the retention of old ones."""

import contextlib
import gzip
import hashlib
import json
import os
import shutil
import tarfile
import tempfile
import time
import zlib
from pathlib import Path

FORMAT = 1
MANIFEST = "manifest.json"
PREFIX = "sarpras-backup-"
SUFFIX = ".tar.gz"
_CHUNK = 1024 * 1024


class ArchiveError(Exception):
    """The file is not a backup this version can restore, or it is damaged."""


def default_name(now):
    return f"{PREFIX}{now:%Y%m%d-%H%M%S}{SUFFIX}"


class _Hashing:
    """A file object that hashes what tarfile reads from it."""

    def __init__(self, handle):
        self.handle = handle
        self.digest = hashlib.sha256()
        self.size = 0

    def read(self, size=-1):
        data = self.handle.read(size)
        self.digest.update(data)
        self.size += len(data)
        return data


class Writer:
    """Members go into a hidden temporary file beside `path`, renamed to `path` only when
    complete: a failed backup never leaves a file under the name asked for."""

    def __init__(self, path):
        self.path = Path(path)
        self.files = {}
        descriptor, self.temporary = tempfile.mkstemp(prefix=f".{self.path.name}.", dir=self.path.parent)
        # The archive holds personal data (names, numbers, messages): owner only.
        os.fchmod(descriptor, 0o600)
        self.raw = os.fdopen(descriptor, "wb")
        self.tar = tarfile.open(fileobj=self.raw, mode="w:gz", format=tarfile.PAX_FORMAT)  # noqa: SIM115

    def add_file(self, name, source):
        with open(source, "rb") as handle:
            info = tarfile.TarInfo(name)
            info.size = os.fstat(handle.fileno()).st_size
            info.mtime = int(time.time())
            info.mode = 0o600
            reader = _Hashing(handle)
            self.tar.addfile(info, reader)
        if reader.size != info.size:
            raise ArchiveError(f"{name} berubah ukuran selama dicadangkan")
        self.files[name] = {"size": info.size, "sha256": reader.digest.hexdigest()}

    def add_bytes(self, name, data):
        info = tarfile.TarInfo(name)
        info.size = len(data)
        info.mtime = int(time.time())
        info.mode = 0o600
        self.tar.addfile(info, _BytesReader(data))
        self.files[name] = {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}

    def finish(self, manifest):
        manifest = {**manifest, "files": self.files}
        data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
        info = tarfile.TarInfo(MANIFEST)
        info.size = len(data)
        info.mtime = int(time.time())
        info.mode = 0o600
        self.tar.addfile(info, _BytesReader(data))
        self.tar.close()
        self.raw.flush()
        os.fsync(self.raw.fileno())
        self.raw.close()
        os.replace(self.temporary, self.path)
        return manifest

    def abandon(self):
        for closing in (self.tar.close, self.raw.close):
            # Whatever state they are in, the file is removed.
            with contextlib.suppress(Exception):
                closing()
        Path(self.temporary).unlink(missing_ok=True)


class _BytesReader:
    def __init__(self, data):
        self.data = data
        self.offset = 0

    def read(self, size=-1):
        end = len(self.data) if size < 0 else self.offset + size
        chunk = self.data[self.offset : end]
        self.offset += len(chunk)
        return chunk


def unpack(path, into):
    """Extract the archive into the directory `into` and check every member against the
    manifest; returns the manifest. Raises ArchiveError for anything else than a complete,
    undamaged backup of a known format."""
    try:
        with gzip.open(path) as stream, tarfile.open(fileobj=stream, mode="r:") as tar:
            for member in tar:
                _extract(tar, member, Path(into))
            # tarfile stops quietly at a damaged header: read on to the end, where gzip
            # checks its CRC and length of the whole stream.
            while stream.read(_CHUNK):
                pass
    except (tarfile.TarError, EOFError, OSError, zlib.error, gzip.BadGzipFile) as error:
        if isinstance(error, FileNotFoundError):
            raise ArchiveError(f"berkas {path} tidak ada") from None
        raise ArchiveError(f"arsip rusak atau terpotong ({error.__class__.__name__}: {error})") from None
    manifest_path = Path(into) / MANIFEST
    if not manifest_path.exists():
        raise ArchiveError(
            "arsip tidak lengkap: manifest.json tidak ada (terpotong, atau bukan cadangan Sarpras)"
        )
    try:
        manifest = json.loads(manifest_path.read_text())
    except ValueError:
        raise ArchiveError("manifest.json rusak") from None
    if manifest.get("format") != FORMAT:
        raise ArchiveError(
            f"format arsip {manifest.get('format')!r} tidak dikenal (versi ini membaca {FORMAT})"
        )
    _check_files(manifest, Path(into))
    return manifest


def _extract(tar, member, into):
    name = member.name
    parts = Path(name).parts
    if not member.isfile() or Path(name).is_absolute() or ".." in parts or not parts:
        raise ArchiveError(f"isi arsip tidak diharapkan: {name!r}")
    # The size in the header is known before a byte is unpacked: a member larger than the
    # free space (a crafted or foreign archive) is refused before it fills the disk.
    free = shutil.disk_usage(into).free
    if member.size > free:
        raise ArchiveError(
            f"{name} di arsip berukuran {member.size // 2**20} MB, lebih dari ruang kosong ({free // 2**20} MB)"
        )
    target = into / name
    target.parent.mkdir(parents=True, exist_ok=True)
    source = tar.extractfile(member)
    with open(target, "xb") as out:
        shutil.copyfileobj(source, out, _CHUNK)


def _check_files(manifest, into):
    expected = manifest.get("files", {})
    present = {
        str(path.relative_to(into)) for path in into.rglob("*") if path.is_file() and path.name != MANIFEST
    }
    missing = sorted(set(expected) - present)
    extra = sorted(present - set(expected))
    if missing or extra:
        raise ArchiveError(f"isi arsip tidak sesuai manifest (hilang: {missing[:3]}, lebih: {extra[:3]})")
    for name, facts in expected.items():
        if sha256_of(into / name) != facts["sha256"]:
            raise ArchiveError(f"checksum {name} tidak cocok: arsip rusak")


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def prune(directory, keep, protect):
    """Delete the oldest backups (by the time in their names) beyond the newest `keep`
    in `directory`; never `protect`, the one just written. Returns the deleted paths."""
    backups = sorted(
        (path for path in Path(directory).glob(f"{PREFIX}*{SUFFIX}") if path.is_file()),
        key=lambda path: path.name,
        reverse=True,
    )
    deleted = []
    for path in backups[keep:]:
        if path.resolve() != Path(protect).resolve():
            path.unlink()
            deleted.append(path)
    return deleted
