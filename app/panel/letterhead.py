"""The letterhead (kop surat) and signature block of every printed page and the title
rows of every Excel export: set by an Administrator, kept in tb_pengaturan, each value
falling back to what INSTITUTION and UNIT_NAME give until it is set."""

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from .. import audit, clock
from ..extensions import db
from ..models import Pengaturan
from ..reporting.dates import tanggal_panjang
from .directory import Invalid


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    limit: int
    lines: bool = False  # several lines (the address)


# The settings page's fields, in its order.
FIELDS = (
    Field("kop_institusi", "Nama institusi", 150),
    Field("kop_unit", "Unit", 150),
    Field("kop_alamat", "Alamat (boleh beberapa baris)", 500, lines=True),
    Field("kop_kontak", "Kontak (telepon, surel, situs)", 200),
    Field("ttd_kota", "Kota (baris tanggal)", 60),
    Field("ttd_jabatan", "Jabatan penanda tangan", 150),
    Field("ttd_nama", "Nama penanda tangan", 100),
    Field("ttd_nip", "NIP penanda tangan", 40),
)


def defaults():
    """What each field is until an Administrator sets it: what the pages showed before."""
    config = current_app.config
    unit, institution = config["UNIT_NAME"], config["INSTITUTION"]
    return {
        "kop_institusi": institution,
        "kop_unit": f"Layanan {unit} {institution}",
        "ttd_kota": "Jakarta",
        "ttd_jabatan": f"Kepala {unit}",
    }


LOGO = "kop_logo"


@dataclass(frozen=True)
class Letterhead:
    institution: str
    unit: str
    address: str
    contact: str
    city: str
    position: str
    name: str
    nip: str
    logo: str  # the stored file under instance/, "" for none
    printed: object  # the office's local time now: the date line and the footer

    @property
    def zone(self):
        """'Wib' after the footer's hour: TIMEZONE, as the source's texts write it."""
        return clock.zone_word(self.printed)

    @property
    def address_lines(self):
        return [line for line in self.address.splitlines() if line.strip()]

    @property
    def place_and_date(self):
        """ "Jakarta, 30 November 2026": the line above the signature."""
        day = tanggal_panjang(self.printed)
        return f"{self.city}, {day}" if self.city else day

    @property
    def title_lines(self):
        """The institution and the unit, the first rows of an Excel export."""
        return [line for line in (self.institution, self.unit) if line]


def stored():
    """key -> value of every setting that has a row."""
    return dict(db.session.execute(select(Pengaturan.kunci, Pengaturan.nilai)).all())


def values(rows=None):
    """key -> value shown on the settings page: the stored one, else the default."""
    rows = stored() if rows is None else rows
    default = defaults()
    return {f.key: rows.get(f.key, default.get(f.key, "")) for f in FIELDS}


def current():
    rows = stored()
    shown = values(rows)
    return Letterhead(
        institution=shown["kop_institusi"],
        unit=shown["kop_unit"],
        address=shown["kop_alamat"],
        contact=shown["kop_kontak"],
        city=shown["ttd_kota"],
        position=shown["ttd_jabatan"],
        name=shown["ttd_nama"],
        nip=shown["ttd_nip"],
        logo=rows.get(LOGO, ""),
        printed=clock.local_now(),
    )


def save(new_values):
    """Store the page's values (in the caller's transaction), audited; a value too long
    is refused with the field's message, nothing stored."""
    by_key = {f.key: f for f in FIELDS}
    cleaned = {key: _cleaned(new_values.get(key) or "", field.lines) for key, field in by_key.items()}
    errors = {
        key: f"Paling banyak {by_key[key].limit} karakter."
        for key, value in cleaned.items()
        if len(value) > by_key[key].limit
    }
    if errors:
        raise Invalid(errors)
    before = values()
    for key, value in cleaned.items():
        put(key, value)
    audit.record("ubah", "pengaturan", "kop surat", before, cleaned)


def _cleaned(value, lines):
    """A field of one line keeps one line (a forged form may send more: the Excel title
    row and the printed letterhead have one for it)."""
    if not lines:
        return " ".join(value.split())
    return value.strip().replace("\r\n", "\n")


def put(key, value):
    row = db.session.get(Pengaturan, key)
    if row is None:
        row = Pengaturan(kunci=key)
        db.session.add(row)
    row.nilai, row.diubah = value, clock.utcnow()
