"""Managing categories (bidang), for the panel's page and the `kategori` command alike:
validated, audited, and removed by moving their reports to Umum."""

from dataclasses import dataclass, field

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from .. import audit
from ..extensions import db
from ..models import Bidang, BidangPetugas, Monitoring
from ..models.categories import UMUM, UMUM_ID
from ..reporting import categories, matching, staff
from .directory import Invalid

MAX_NAME = 50
MAX_KEYWORDS = 2000
FIELDS = ("nama", "kata", "petugas", "otomatis", "satu")


@dataclass
class CategoryData:
    nama: str
    kata: str = ""
    petugas: list = field(default_factory=list)  # id_admin or username, the lead first
    otomatis: bool = False
    satu: bool = False


def _folded(text):
    return " ".join(matching.words(text))


def find(nama):
    """The category of this name, without regard to case or accents, or None."""
    wanted = _folded(nama)
    for row in db.session.execute(select(Bidang)).scalars():
        if _folded(row.nama) == wanted:
            return row
    return None


def is_umum(nama):
    return _folded(nama) == _folded(UMUM)


def snapshot_data(row):
    """The category as it is stored, as CategoryData (the CLI changes only what it is given)."""
    return CategoryData(
        nama=row.nama,
        kata=row.kata,
        petugas=[admin.id_admin for admin in categories.members(row.id_bidang)],
        otomatis=bool(row.otomatis),
        satu=bool(row.satu),
    )


def mode_text(row):
    """How new reports of the category are assigned, in words."""
    who = "satu anggota dengan tugas terbuka paling sedikit" if row.satu else "seluruh tim"
    if row.otomatis:
        return f"otomatis ke {who}"
    return f"manual; {who} disarankan di formulir penugasan"


def team_text(id_bidang):
    """'Siswanto (siswanto, ketua), Adrasha (adrasha, tidak aktif)'."""
    parts = []
    for number, admin in enumerate(categories.members(id_bidang)):
        notes = [admin.username or admin.id_admin]
        if number == 0:
            notes.append("ketua")
        if not categories.may_serve(admin):
            notes.append("tidak aktif")
        parts.append(f"{admin.nama_admin} ({', '.join(notes)})")
    return ", ".join(parts)


def validate(data, existing_id=None):
    """Clean `data` in place and return the team as Admin rows; Invalid names each problem."""
    errors = {}
    data.nama = " ".join((data.nama or "").split())
    if not data.nama:
        errors["nama"] = "Nama kategori wajib diisi."
    elif len(data.nama) > MAX_NAME:
        errors["nama"] = f"Nama kategori paling banyak {MAX_NAME} karakter."
    elif is_umum(data.nama):
        errors["nama"] = (
            f"{UMUM} adalah kategori bawaan untuk laporan yang tidak cocok dengan kata kunci mana pun; "
            "pilih nama lain."
        )
    elif not matching.words(data.nama):
        errors["nama"] = "Nama kategori harus berisi huruf atau angka."
    else:
        same = find(data.nama)
        if same is not None and same.id_bidang != existing_id:
            errors["nama"] = f"Kategori {same.nama} sudah ada."
    keywords = matching.split_keywords(data.kata)
    data.kata = ", ".join(keywords)
    unreadable = matching.unreadable_keywords(keywords)
    if unreadable:
        errors["kata"] = f"Kata kunci tanpa huruf atau angka: {', '.join(unreadable)}."
    elif len(data.kata) > MAX_KEYWORDS:
        errors["kata"] = f"Kata kunci paling banyak {MAX_KEYWORDS} karakter."
    team, problems = _team(data.petugas, existing_id)
    if problems:
        errors["petugas"] = " ".join(problems)
    if errors:
        raise Invalid(errors)
    return team


def _team(keys, existing_id):
    """The Admin rows of `keys` in order, each once, and what is wrong with any of them.
    A member already in the team may stay while deactivated; a new one must be active."""
    current = {admin.id_admin for admin in categories.members(existing_id)} if existing_id else set()
    team, unknown, refused = [], [], []
    for key in keys:
        admin = staff.by_key(key)
        if admin is None:
            unknown.append(key.strip())
        elif admin.level not in staff.ASSIGNABLE_LEVELS:
            refused.append(f"{admin.nama_admin} ({admin.level}) bukan TBO atau Staf.")
        elif not categories.may_serve(admin) and admin.id_admin not in current:
            refused.append(f"{admin.nama_admin} tidak aktif.")
        elif admin not in team:
            team.append(admin)
    if unknown:
        refused.insert(0, f"Petugas tidak dikenal: {', '.join(unknown)}.")
    return team, refused


def _snapshot(row):
    data = snapshot_data(row)
    return {**vars(data), "petugas": ", ".join(data.petugas)}


def save(data, existing_id=None, actor=None):
    """Add a category, or change the one `existing_id`; returns its row."""
    team = validate(data, existing_id)
    if existing_id is None:
        row, before = Bidang(), None
        db.session.add(row)
    else:
        row = db.session.get(Bidang, existing_id)
        before = _snapshot(row)
    row.nama, row.kata, row.otomatis, row.satu = data.nama, data.kata, bool(data.otomatis), bool(data.satu)
    try:
        db.session.flush()
    except IntegrityError:
        # Another session stored the name (in another case or accent, which MariaDB's
        # collation calls the same) after validate() looked: the same answer it would give.
        raise Invalid({"nama": f"Kategori {data.nama} sudah ada."}) from None
    db.session.query(BidangPetugas).filter_by(id_bidang=row.id_bidang).delete()
    for order, admin in enumerate(team):
        db.session.add(BidangPetugas(id_bidang=row.id_bidang, id_admin=admin.id_admin, urutan=order))
    db.session.flush()
    audit.record(
        "tambah" if before is None else "ubah", "kategori", row.id_bidang, before, _snapshot(row), actor=actor
    )
    return row


def remove(row, actor=None):
    """Remove a category; its reports become Umum. Returns how many were moved."""
    before = _snapshot(row)
    moved = db.session.execute(
        update(Monitoring).where(Monitoring.id_bidang == row.id_bidang).values(id_bidang=UMUM_ID)
    ).rowcount
    db.session.query(BidangPetugas).filter_by(id_bidang=row.id_bidang).delete()
    db.session.delete(row)
    audit.record("hapus", "kategori", row.id_bidang, before, {"laporan_ke_umum": moved}, actor=actor)
    return moved


@dataclass(frozen=True)
class Listed:
    row: Bidang | None  # None: Umum
    nama: str
    members: list
    reports: int

    @property
    def unstaffed(self):
        """An automatic category without anyone active to take its reports."""
        return self.row is not None and self.row.otomatis and not any(map(categories.may_serve, self.members))


def listing():
    """Every category with its team and number of reports, Umum last."""
    counts = dict(
        db.session.execute(select(Monitoring.id_bidang, func.count()).group_by(Monitoring.id_bidang)).all()
    )
    rows = db.session.execute(select(Bidang).order_by(Bidang.nama)).scalars().all()
    listed = [
        Listed(row, row.nama, categories.members(row.id_bidang), counts.get(row.id_bidang, 0)) for row in rows
    ]
    return listed + [Listed(None, UMUM, [], counts.get(UMUM_ID, 0))]


def team_choices(current=()):
    """The people who may be picked for a team: active TBO and Staf, and anyone already
    in `current` (kept, marked, while deactivated)."""
    people = staff.assignable()
    known = {admin.id_admin for admin in people}
    people += [admin for admin in current if admin.id_admin not in known]
    return people
