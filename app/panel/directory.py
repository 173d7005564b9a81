"""Pegawai and admin accounts: validated changes with one phone number per person.

Nobody with history is deleted: a person is deactivated, so old reports keep their names.
"""

from dataclasses import dataclass

from sqlalchemy import func, or_, select

from .. import audit
from ..extensions import db
from ..models import Admin, Monitoring, Pegawai, Penugasan
from ..models.people import AKTIF, EVERY_REPORT, LEVELS, REPORT_NOTICES
from ..phone import normalize_phone, phone_problem, typed_number
from . import paging

STATUSES = (AKTIF, "Tidak Aktif")
PEGAWAI_FIELDS = ("nama_pegawai", "email", "telepon", "jurusan", "bagian", "status", "keterangan")
NOTICE_UNKNOWN = "Pilih salah satu cara notifikasi laporan baru."
ADMIN_FIELDS = (
    "nama_admin",
    "level",
    "deskripsi",
    "email",
    "telepon",
    "username",
    "status",
    "keterangan",
    "notifikasi_laporan",
)


class Invalid(ValueError):
    def __init__(self, errors):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors  # field -> message (Indonesian)


@dataclass
class PegawaiData:
    id_pegawai: str
    nama_pegawai: str
    telepon: str
    email: str = ""
    jurusan: str = ""
    bagian: str = ""
    status: str = AKTIF
    keterangan: str = ""


def _phone_owner(telepon, model, key, own_id):
    column = model.telepon
    row = db.session.execute(
        select(model).where(column == telepon, key != own_id).limit(1)
    ).scalar_one_or_none()
    return row


class KnownPegawai:
    """The ids and numbers already in tb_pegawai, read once: an import of 5000 rows checks
    each new row against them (and against the rows before it) without two queries a row,
    which on MariaDB kept a web worker busy for most of gunicorn's timeout."""

    def __init__(self):
        rows = db.session.execute(select(Pegawai.id_pegawai, Pegawai.telepon, Pegawai.nama_pegawai))
        self.ids, self.phones = set(), {}
        for id_pegawai, telepon, nama in rows:
            self._add(id_pegawai, telepon, nama)

    def _add(self, id_pegawai, telepon, nama):
        # Upper case: MariaDB compares ids without case, as db.session.get() there does.
        self.ids.add(id_pegawai.upper())
        if telepon:
            # A number an adopted database still holds as typed (0812-…) is taken too.
            self.phones.setdefault(normalize_phone(telepon) or telepon, (nama, id_pegawai))

    def add(self, data):
        self._add(data.id_pegawai, data.telepon, data.nama_pegawai)

    def id_taken(self, id_pegawai):
        return id_pegawai.upper() in self.ids

    def phone_owner(self, telepon, own_id):
        owner = self.phones.get(telepon)
        return Pegawai(nama_pegawai=owner[0], id_pegawai=owner[1]) if owner and owner[1] != own_id else None


class _AskTheDatabase:
    def id_taken(self, id_pegawai):
        return db.session.get(Pegawai, id_pegawai) is not None

    def phone_owner(self, telepon, own_id):
        return _phone_owner(telepon, Pegawai, Pegawai.id_pegawai, own_id)


def validate_pegawai(data, existing_id=None, known=None):
    """Normalised copy of `data`, or Invalid with a message per field. `known`: a
    KnownPegawai for checking many new rows at once."""
    known = known or _AskTheDatabase()
    errors = {}
    data.id_pegawai = (data.id_pegawai or "").strip().upper()
    data.nama_pegawai = " ".join((data.nama_pegawai or "").split())
    if not data.id_pegawai:
        errors["id_pegawai"] = "ID pegawai wajib diisi."
    elif len(data.id_pegawai) > 15:
        errors["id_pegawai"] = "ID pegawai paling panjang 15 karakter."
    elif existing_id is None and known.id_taken(data.id_pegawai):
        errors["id_pegawai"] = f"ID {data.id_pegawai} sudah dipakai."
    if not data.nama_pegawai:
        errors["nama_pegawai"] = "Nama wajib diisi."
    phone = normalize_phone(data.telepon)
    if phone is None:
        errors["telepon"] = "Nomor telepon tidak valid."
    else:
        data.telepon = phone
        owner = known.phone_owner(phone, existing_id or data.id_pegawai)
        if owner is not None:
            errors["telepon"] = f"Nomor {phone} sudah dipakai {owner.nama_pegawai} ({owner.id_pegawai})."
    if data.status not in STATUSES:
        errors["status"] = "Status harus Aktif atau Tidak Aktif."
    for name, limit in (("email", 100), ("jurusan", 100), ("bagian", 100)):
        value = (getattr(data, name) or "").strip()
        setattr(data, name, value)
        if len(value) > limit:
            errors[name] = f"Paling panjang {limit} karakter."
    if errors:
        raise Invalid(errors)
    return data


def save_pegawai(data, existing_id=None):
    """Create (existing_id None) or update a pegawai, with an audit entry (caller commits)."""
    validate_pegawai(data, existing_id)
    if existing_id is None:
        row = _add_pegawai(data)
        db.session.flush()
        return row
    row = db.session.get(Pegawai, existing_id)
    before = audit.snapshot(row, PEGAWAI_FIELDS)
    for name in PEGAWAI_FIELDS:
        setattr(row, name, getattr(data, name) or "")
    db.session.flush()
    audit.record("ubah", "pegawai", row.id_pegawai, before, audit.snapshot(row, PEGAWAI_FIELDS))
    return row


def _add_pegawai(data):
    """A new, validated pegawai and its audit entry, added to the session."""
    row = Pegawai(id_pegawai=data.id_pegawai, **{name: getattr(data, name) or "" for name in PEGAWAI_FIELDS})
    db.session.add(row)
    audit.record("tambah", "pegawai", row.id_pegawai, None, audit.snapshot(row, PEGAWAI_FIELDS))
    return row


def add_pegawai_many(datas):
    """Create new pegawai in one go (an import), each validated against the table and the
    rows before it, with an audit entry each (caller commits). Returns (saved, skipped)."""
    known = KnownPegawai()
    saved = skipped = 0
    for data in datas:
        try:
            validate_pegawai(data, known=known)
        except Invalid:
            skipped += 1
            continue
        _add_pegawai(data)
        known.add(data)
        saved += 1
    return saved, skipped


def toggle_status(row, objek):
    """Deactivate an active pegawai or admin account, or activate an inactive one."""
    key = row.id_pegawai if objek == "pegawai" else row.id_admin
    before = {"status": row.status}
    row.status = "Tidak Aktif" if row.status == AKTIF else AKTIF
    audit.record(
        "aktifkan" if row.status == AKTIF else "nonaktifkan", objek, key, before, {"status": row.status}
    )
    return row.status


def has_history_pegawai(row):
    return (
        db.session.execute(
            select(Monitoring.idm).where(Monitoring.id_pegawai == row.id_pegawai).limit(1)
        ).first()
        is not None
    )


def _phone_matches(column, q, like):
    """A number typed in any form also finds the canonical one stored."""
    canonical = typed_number(q)
    return [column.like(like)] + ([column == canonical] if canonical else [])


def search_pegawai(q, number, per_page):
    """One page of pegawai (newest id first) matching the search."""
    where = []
    if q:
        like = f"%{q}%"
        where.append(
            or_(
                Pegawai.nama_pegawai.like(like),
                *_phone_matches(Pegawai.telepon, q, like),
                Pegawai.id_pegawai.like(like),
                Pegawai.jurusan.like(like),
                Pegawai.bagian.like(like),
            )
        )
    return _page_of(Pegawai, Pegawai.id_pegawai, where, number, per_page)


def _page_of(model, key, where, number, per_page):
    return paging.of_query(
        select(model).where(*where).order_by(key.desc()),
        select(func.count()).select_from(model).where(*where),
        number,
        per_page,
    )


SHARED = "ganda"


def _shared_numbers(model):
    return set(
        db.session.execute(
            select(model.telepon).where(model.telepon != "").group_by(model.telepon).having(func.count() > 1)
        ).scalars()
    )


def pegawai_phone_problems(rows):
    """id_pegawai -> why messages from that person's number would not find them (or
    None): what a PHP installation's data or a hand edit in the database can leave."""
    shared = _shared_numbers(Pegawai)
    return {p.id_pegawai: phone_problem(p.telepon) or (SHARED if p.telepon in shared else None) for p in rows}


def admin_phone_problems(rows):
    """id_admin -> the same, where only a TBO must have a number."""
    shared = _shared_numbers(Admin)
    return {
        a.id_admin: phone_problem(a.telepon, required=a.level == "TBO")
        or (SHARED if a.telepon in shared else None)
        for a in rows
    }


def next_pegawai_id(today):
    """PGW + YYMM + NNN, as the source's IDs (PGW2402001)."""
    prefix = f"PGW{today:%y%m}"
    highest = db.session.execute(
        select(func.max(Pegawai.id_pegawai)).where(Pegawai.id_pegawai.like(f"{prefix}%"))
    ).scalar()
    number = int(highest[len(prefix) :]) + 1 if highest and highest[len(prefix) :].isdigit() else 1
    return f"{prefix}{number:03d}"


# --- admin accounts --------------------------------------------------------------------


@dataclass
class AdminData:
    nama_admin: str
    level: str
    telepon: str
    username: str
    email: str = ""
    deskripsi: str = ""
    status: str = AKTIF
    keterangan: str = ""
    password: str = ""
    notifikasi_laporan: str = EVERY_REPORT


def validate_admin(data, existing_id=None):
    errors = {}
    data.nama_admin = " ".join((data.nama_admin or "").split())
    data.username = (data.username or "").strip()
    if not data.nama_admin:
        errors["nama_admin"] = "Nama wajib diisi."
    if data.level not in LEVELS:
        errors["level"] = "Level harus Administrator, Staf atau TBO."
    if data.status not in STATUSES:
        errors["status"] = "Status harus Aktif atau Tidak Aktif."
    if data.notifikasi_laporan not in REPORT_NOTICES:
        errors["notifikasi_laporan"] = NOTICE_UNKNOWN
    if data.telepon or data.level == "TBO":
        phone = normalize_phone(data.telepon)
        if phone is None:
            errors["telepon"] = "Nomor telepon tidak valid (wajib untuk TBO)."
        else:
            data.telepon = phone
            owner = _phone_owner(phone, Admin, Admin.id_admin, existing_id or "")
            if owner is not None:
                errors["telepon"] = f"Nomor {phone} sudah dipakai {owner.nama_admin} ({owner.id_admin})."
    if data.username:
        taken = db.session.execute(
            select(Admin).where(Admin.username == data.username, Admin.id_admin != (existing_id or ""))
        ).first()
        if taken:
            errors["username"] = f"Username {data.username} sudah dipakai."
    elif data.level != "TBO":
        errors["username"] = "Username wajib untuk Administrator dan Staf."
    if data.password and len(data.password) < 8:
        errors["password"] = "Password minimal 8 karakter."
    if existing_id is None and data.username and not data.password:
        errors["password"] = "Password wajib untuk akun baru yang dapat login."
    if errors:
        raise Invalid(errors)
    return data


def next_admin_id():
    ids = db.session.execute(select(Admin.id_admin)).scalars().all()
    numbers = [int(i[3:]) for i in ids if i.startswith("ADM") and i[3:].isdigit()]
    return f"ADM{max(numbers, default=0) + 1:02d}"


def save_admin(data, existing_id=None):
    validate_admin(data, existing_id)
    if existing_id is None:
        row = Admin(id_admin=next_admin_id())
        db.session.add(row)
        before = None
    else:
        row = db.session.get(Admin, existing_id)
        before = audit.snapshot(row, ADMIN_FIELDS)
    for name in ADMIN_FIELDS:
        setattr(row, name, getattr(data, name) or "")
    if data.password:
        row.set_password(data.password)
    db.session.flush()
    after = audit.snapshot(row, ADMIN_FIELDS)
    if data.password:
        after["password"] = "(diubah)"
    audit.record("tambah" if before is None else "ubah", "admin", row.id_admin, before, after)
    return row


def set_report_notice(id_admin, choice):
    """An Administrator or Staf's own choice of how they hear of new reports."""
    if choice not in REPORT_NOTICES:
        raise Invalid({"notifikasi_laporan": NOTICE_UNKNOWN})
    row = db.session.get(Admin, id_admin)
    before = audit.snapshot(row, ("notifikasi_laporan",))
    row.notifikasi_laporan = choice
    audit.record("ubah", "admin", id_admin, before, {"notifikasi_laporan": choice})
    return row


def search_admins(q, number, per_page):
    """One page of accounts (newest id first) matching the search."""
    where = []
    if q:
        like = f"%{q}%"
        where.append(
            or_(
                Admin.nama_admin.like(like),
                *_phone_matches(Admin.telepon, q, like),
                Admin.id_admin.like(like),
                Admin.username.like(like),
                Admin.level.like(like),
            )
        )
    return _page_of(Admin, Admin.id_admin, where, number, per_page)


def has_history_admin(row):
    return (
        db.session.execute(select(Penugasan.idp).where(Penugasan.id_admin == row.id_admin).limit(1)).first()
        is not None
    )


def delete_without_history(row, objek):
    """Remove a person who never reported or was never assigned; others are deactivated."""
    has_history = has_history_pegawai(row) if objek == "pegawai" else has_history_admin(row)
    key = row.id_pegawai if objek == "pegawai" else row.id_admin
    if has_history:
        raise Invalid(
            {"status": f"{key} memiliki riwayat laporan/penugasan: nonaktifkan saja, jangan dihapus."}
        )
    audit.record(
        "hapus", objek, key, audit.snapshot(row, PEGAWAI_FIELDS if objek == "pegawai" else ADMIN_FIELDS)
    )
    db.session.delete(row)
