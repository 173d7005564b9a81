"""Importing pegawai from CSV or XLSX: read, check every row, show, then save the good ones."""

import json
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
            directory.validate_pegawai(data)
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


def keep(instance_path, rows):
    """Keep the checked rows until the admin confirms; returns a token."""
    token = uuid.uuid4().hex
    payload = [asdict(row) for row in rows]
    (_store_dir(instance_path) / f"{token}.json").write_text(json.dumps(payload, ensure_ascii=False))
    return token


def load(instance_path, token):
    if not token.isalnum():
        raise ImportError_("Pratinjau tidak ditemukan.")
    path = _store_dir(instance_path) / f"{token}.json"
    if not path.exists():
        raise ImportError_("Pratinjau tidak ditemukan atau sudah dipakai. Unggah ulang berkasnya.")
    return [Row(**item) for item in json.loads(path.read_text())], path


def save(instance_path, token):
    """Save the good rows of a preview (checked again: the table may have changed)."""
    rows, path = load(instance_path, token)

    def work():
        saved, skipped = 0, 0
        for row in rows:
            if not row.ok:
                skipped += 1
                continue
            try:
                directory.save_pegawai(directory.PegawaiData(**row.data))
                saved += 1
            except directory.Invalid:
                skipped += 1
        return saved, skipped

    result = run_in_transaction(work)
    path.unlink(missing_ok=True)
    return result
