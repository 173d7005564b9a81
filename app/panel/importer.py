"""Importing pegawai from CSV or XLSX: read, check every row, show, then save the good ones."""

import io
import json
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path

import pandas as pd

from .. import clock
from ..database import run_in_transaction
from . import directory

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


def read_table(filename, content):
    """A DataFrame of strings from CSV or XLSX bytes."""
    try:
        if filename.lower().endswith(".xlsx"):
            frame = pd.read_excel(io.BytesIO(content), dtype=str, engine="openpyxl")
        else:
            text = content.decode("utf-8-sig", errors="replace")
            separator = ";" if text.split("\n", 1)[0].count(";") > text.split("\n", 1)[0].count(",") else ","
            frame = pd.read_csv(io.StringIO(text), dtype=str, sep=separator)
    except Exception as error:  # pandas raises many kinds; all mean "cannot read this file"
        raise ImportError_(f"Berkas tidak dapat dibaca: {error}") from None
    return frame.fillna("")


def _columns(frame):
    found = {}
    for column in frame.columns:
        name = str(column).strip().lower()
        for field, aliases in ALIASES.items():
            if name in aliases and field not in found:
                found[field] = column
    missing = [f for f in ("nama_pegawai", "telepon") if f not in found]
    if missing:
        raise ImportError_(
            "Kolom wajib tidak ada: " + ", ".join(missing) + ". Baris pertama harus judul kolom."
        )
    return found


def check(frame):
    """Every row with its normalised data and its errors; duplicates inside the file too."""
    if len(frame) > MAX_ROWS:
        raise ImportError_(f"Paling banyak {MAX_ROWS} baris sekali impor.")
    columns = _columns(frame)
    today = clock.local_now().date()
    next_number = int(directory.next_pegawai_id(today)[-3:])
    rows, seen_ids, seen_phones = [], set(), set()
    for index, record in enumerate(frame.to_dict("records"), start=2):
        values = {field: str(record.get(column, "")).strip() for field, column in columns.items()}
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
