"""Importing pegawai from CSV or XLSX: read, check every row, show, then save the good ones."""

import hashlib
import json
import re
import time
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path

from .. import clock
from ..database import run_in_transaction
from . import directory, table_reader

ALIASES = {
    "id_pegawai": ("id_pegawai", "id", "idpgw", "id pegawai"),
    "nama_pegawai": ("nama_pegawai", "nama", "nama pegawai"),
    "telepon": ("telepon", "telp", "hp", "no hp", "whatsapp", "wa", "nomor"),
    "email": ("email", "e-mail"),
    "jurusan": ("jurusan", "prodi", "divisi"),
    "bagian": ("bagian", "biro", "unit"),
    "status": ("status",),
    "keterangan": ("keterangan", "catatan"),
}
MAX_ROWS = 5000
MAX_BYTES = 5 * 1024 * 1024
# A preview waits on disk for its confirmation; one never confirmed must not stay forever
# (a Staf uploading in a loop would fill the disk).
PREVIEW_MAX_AGE_SECONDS = 3600
MAX_PREVIEWS_PER_USER = 5  # a user's sixth replaces their oldest
MAX_PREVIEWS = 50  # all users together; beyond it a new preview is refused
# Previews are named by uuid4().hex only: a token from a URL is never a path.
_TOKEN = re.compile(r"[0-9a-f]{32}")


class ImportError_(ValueError):
    pass


@dataclass
class Row:
    baris: int
    data: dict
    errors: dict

    @property
    def ok(self):
        return not self.errors


def read_table(filename, stream):
    """The uploaded table, read only as far as MAX_ROWS allows."""
    try:
        return table_reader.read(filename, stream, MAX_ROWS)
    except table_reader.Unreadable as error:
        raise ImportError_(str(error)) from None


def _columns(table):
    found = {}
    for column in table.columns:
        name = column.strip().lower()
        for field, aliases in ALIASES.items():
            if name in aliases and field not in found:
                found[field] = column
    missing = [f for f in ("nama_pegawai", "telepon") if f not in found]
    if missing:
        raise ImportError_(
            "Kolom wajib tidak ada: " + ", ".join(missing) + ". Baris pertama harus judul kolom."
        )
    return found


def check(table):
    """Every row with its normalised data and its errors; duplicates inside the file too."""
    columns = _columns(table)
    today = clock.local_now().date()
    next_number = int(directory.next_pegawai_id(today)[-3:])
    known = directory.KnownPegawai()
    rows, seen_ids, seen_phones = [], set(), set()
    for index, record in table.records:
        values = {field: record.get(column, "") for field, column in columns.items()}
        if not values.get("id_pegawai"):
            values["id_pegawai"] = f"PGW{today:%y%m}{next_number:03d}"
            next_number += 1
        values.setdefault("status", "")
        values["status"] = values["status"] or "Aktif"
        data = directory.PegawaiData(
            **{k: values.get(k, "") for k in directory.PegawaiData.__dataclass_fields__}
        )
        errors = {}
        try:
            directory.validate_pegawai(data, known=known)
        except directory.Invalid as invalid:
            errors = dict(invalid.errors)
        if data.id_pegawai in seen_ids:
            errors["id_pegawai"] = "ID ganda di dalam berkas."
        if data.telepon in seen_phones:
            errors["telepon"] = "Nomor ganda di dalam berkas."
        seen_ids.add(data.id_pegawai)
        seen_phones.add(data.telepon)
        rows.append(Row(baris=index, data=asdict(data), errors=errors))
    return rows


def _store_dir(instance_path):
    path = Path(instance_path) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _owner_dir(instance_path, owner):
    # A hash, not the account's id: an id is typed by an Administrator and is no file name.
    return _store_dir(instance_path) / hashlib.sha256(str(owner).encode()).hexdigest()[:32]


def _previews(instance_path):
    return list(_store_dir(instance_path).glob("*/*.json"))


def purge_previews(instance_path, now=None):
    """Delete previews older than PREVIEW_MAX_AGE_SECONDS; how many were deleted."""
    cutoff = (now or time.time()) - PREVIEW_MAX_AGE_SECONDS
    removed = 0
    for path in _previews(instance_path):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
        except FileNotFoundError:  # confirmed or purged meanwhile by another process
            pass
    return removed


def keep(instance_path, rows, owner):
    """Keep the checked rows until `owner` confirms; returns a token."""
    purge_previews(instance_path)
    folder = _owner_dir(instance_path, owner)
    mine = sorted(folder.glob("*.json"), key=lambda path: path.stat().st_mtime) if folder.exists() else []
    for path in mine[: max(0, len(mine) - MAX_PREVIEWS_PER_USER + 1)]:
        path.unlink(missing_ok=True)
    if len(_previews(instance_path)) >= MAX_PREVIEWS:
        raise ImportError_(
            "Terlalu banyak pratinjau impor yang belum disimpan. Simpan atau tunggu satu jam, lalu coba lagi."
        )
    folder.mkdir(exist_ok=True)
    token = uuid.uuid4().hex
    payload = [asdict(row) for row in rows]
    (folder / f"{token}.json").write_text(json.dumps(payload, ensure_ascii=False))
    return token


def load(instance_path, token, owner):
    if not _TOKEN.fullmatch(token):
        raise ImportError_("Pratinjau tidak ditemukan.")
    path = _owner_dir(instance_path, owner) / f"{token}.json"
    if not path.exists():
        raise ImportError_("Pratinjau tidak ditemukan atau sudah dipakai. Unggah ulang berkasnya.")
    return [Row(**item) for item in json.loads(path.read_text())], path


def save(instance_path, token, owner):
    """Save the good rows of `owner`'s preview (checked again: the table may have changed)."""
    rows, path = load(instance_path, token, owner)

    def work():
        good = [directory.PegawaiData(**row.data) for row in rows if row.ok]
        saved, skipped = directory.add_pegawai_many(good)
        return saved, skipped + len(rows) - len(good)

    result = run_in_transaction(work)
    path.unlink(missing_ok=True)
    return result
