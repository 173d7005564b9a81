from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired, FileSize
from wtforms import (
    BooleanField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ...models.people import EVERY_REPORT, LEVELS, REPORT_NOTICES
from ...panel import letterhead
from ...panel.importer import MAX_BYTES as IMPORT_MAX_BYTES

STATUS_CHOICES = [("Aktif", "Aktif"), ("Tidak Aktif", "Tidak Aktif")]
NOTICE_CHOICES = list(REPORT_NOTICES.items())
NOTICE_LABEL = "Notifikasi laporan baru lewat WhatsApp"
REQUIRED = "Wajib diisi."
# WTForms would say it in English.
TOO_LONG = "Paling banyak %(max)d karakter."


class LoginForm(FlaskForm):
    username = StringField(
        "Username", validators=[DataRequired("Username wajib diisi"), Length(max=50, message=TOO_LONG)]
    )
    password = PasswordField(
        "Password", validators=[DataRequired("Password wajib diisi"), Length(max=200, message=TOO_LONG)]
    )


# The most people one form may name: a team, never the whole staff. A forged form naming
# thousands would otherwise have each one looked up and the page drawn with them all.
MAX_PEOPLE = 50


def at_most_people(form, field):
    if len([key for key in field.data or [] if key]) > MAX_PEOPLE:
        raise ValidationError(f"Paling banyak {MAX_PEOPLE} petugas sekaligus.")


class AssignForm(FlaskForm):
    # The service decides who may be PJ (and says why not), not the lists of choices.
    # Checkboxes, not a <select multiple>: they work by touch on a phone.
    petugas = SelectMultipleField(
        "Pilih PJ / tim",
        choices=[],
        validate_choice=False,
        validators=[at_most_people],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        id="pj-petugas",
    )
    # Who leads a new team; empty: the first one ticked.
    ketua = SelectField("Ketua tim", choices=[], validate_choice=False, id="pj-ketua")
    catatan = TextAreaField(
        "Catatan untuk petugas", validators=[Optional(), Length(max=1000, message=TOO_LONG)], id="pj-catatan"
    )

    def members(self):
        """The chosen id_admin, the lead first."""
        chosen = [self.ketua.data] if self.ketua.data else []
        return list(dict.fromkeys(chosen + [i for i in self.petugas.data or [] if i]))


class NoteForm(FlaskForm):
    catatan = TextAreaField(
        "Catatan", validators=[DataRequired(REQUIRED), Length(max=2000, message=TOO_LONG)]
    )


class ProgressForm(FlaskForm):
    # Its own ids: the report page also holds the assignment form's "catatan".
    catatan = TextAreaField(
        "Catatan",
        validators=[DataRequired(REQUIRED), Length(max=2000, message=TOO_LONG)],
        id="progres-catatan",
    )
    kirim = BooleanField("Kirim ke pelapor lewat WhatsApp", default=True, id="progres-kirim")


class StatusForm(FlaskForm):
    # Nothing chosen until the admin chooses: a preselected "Tunda" was saved by mistake.
    aksi = SelectField(
        "Tindakan",
        choices=[
            ("", "-- Pilih tindakan --"),
            ("pending", "Tunda (Pending)"),
            ("lanjut", "Lanjutkan"),
            ("tutup", "Tutup laporan"),
        ],
        validators=[DataRequired("Pilih tindakan.")],
        render_kw={"required": True},
    )
    alasan = TextAreaField("Alasan", validators=[Optional(), Length(max=1000, message=TOO_LONG)])


class TestMessageForm(FlaskForm):
    tujuan = StringField(
        "Nomor WhatsApp tujuan", validators=[DataRequired(REQUIRED), Length(max=30, message=TOO_LONG)]
    )


class PegawaiForm(FlaskForm):
    id_pegawai = StringField(
        "ID Pegawai", validators=[DataRequired(REQUIRED), Length(max=15, message=TOO_LONG)]
    )
    nama_pegawai = StringField("Nama", validators=[DataRequired(REQUIRED), Length(max=100, message=TOO_LONG)])
    telepon = StringField(
        "Telepon / WhatsApp", validators=[DataRequired(REQUIRED), Length(max=30, message=TOO_LONG)]
    )
    email = StringField(
        "Email", validators=[Optional(), Email("Email tidak valid."), Length(max=100, message=TOO_LONG)]
    )
    jurusan = StringField("Jurusan", validators=[Optional(), Length(max=100, message=TOO_LONG)])
    bagian = StringField("Bagian", validators=[Optional(), Length(max=100, message=TOO_LONG)])
    status = SelectField("Status", choices=STATUS_CHOICES)
    keterangan = TextAreaField("Keterangan", validators=[Optional(), Length(max=1000, message=TOO_LONG)])


class AdminForm(FlaskForm):
    nama_admin = StringField("Nama", validators=[DataRequired(REQUIRED), Length(max=100, message=TOO_LONG)])
    level = SelectField("Level", choices=[(level, level) for level in LEVELS])
    telepon = StringField("Telepon / WhatsApp", validators=[Optional(), Length(max=30, message=TOO_LONG)])
    username = StringField("Username", validators=[Optional(), Length(max=50, message=TOO_LONG)])
    password = PasswordField(
        "Password (kosongkan bila tidak diubah)", validators=[Optional(), Length(max=200, message=TOO_LONG)]
    )
    email = StringField(
        "Email", validators=[Optional(), Email("Email tidak valid."), Length(max=100, message=TOO_LONG)]
    )
    deskripsi = TextAreaField(
        "Deskripsi / wewenang", validators=[Optional(), Length(max=1000, message=TOO_LONG)]
    )
    status = SelectField("Status", choices=STATUS_CHOICES)
    notifikasi_laporan = SelectField(
        f"{NOTICE_LABEL} (Administrator/Staf)",
        choices=NOTICE_CHOICES,
        default=EVERY_REPORT,
        validate_choice=False,  # the service says what is wrong, in Indonesian
    )
    keterangan = TextAreaField("Keterangan", validators=[Optional(), Length(max=1000, message=TOO_LONG)])


class NoticeForm(FlaskForm):
    """The one thing a Staf or Administrator changes in their own account."""

    notifikasi_laporan = SelectField(NOTICE_LABEL, choices=NOTICE_CHOICES, validate_choice=False)


class ImportForm(FlaskForm):
    berkas = FileField(
        "Berkas CSV atau XLSX",
        validators=[
            FileRequired("Pilih berkas."),
            FileAllowed(["csv", "xlsx"], "Hanya CSV atau XLSX."),
            FileSize(IMPORT_MAX_BYTES, message=f"Berkas lebih dari {IMPORT_MAX_BYTES // 2**20} MB."),
        ],
    )


class LetterheadForm(FlaskForm):
    """One field per letterhead setting; their lengths are the service's to check."""


for _field in letterhead.FIELDS:
    setattr(
        LetterheadForm,
        _field.key,
        (TextAreaField if _field.lines else StringField)(_field.label, validators=[Optional()]),
    )


class LogoForm(FlaskForm):
    # Whether it is an image is decided by its bytes (panel/logo.py), not by its name.
    logo = FileField("Logo (PNG atau JPEG)", validators=[FileRequired("Pilih berkas logo.")])


class ConfirmForm(FlaskForm):
    """A button that changes something: only its CSRF token."""


class CategoryForm(FlaskForm):
    nama = StringField("Nama kategori", validators=[DataRequired(REQUIRED), Length(max=50, message=TOO_LONG)])
    kata = TextAreaField(
        "Kata kunci (pisahkan dengan koma)",
        validators=[Optional(), Length(max=2000, message=TOO_LONG)],
        description="Kata utuh, huruf besar/kecil dan aksen tidak berpengaruh; boleh beberapa kata, "
        "misalnya: wifi, internet, ac bocor.",
    )
    # One select per place in the team (the page shows them in order, the lead first);
    # the service says who may not be in it.
    petugas = SelectMultipleField("Tim", choices=[], validate_choice=False, validators=[at_most_people])
    otomatis = BooleanField("Tugaskan laporan baru langsung ke tim (otomatis)")
    satu = BooleanField("Hanya satu anggota: yang tugas terbukanya paling sedikit")


class ReportCategoryForm(FlaskForm):
    # The service refuses a category that does not exist (removed meanwhile).
    bidang = SelectField("Kategori", coerce=int, choices=[], validate_choice=False, id="kategori-laporan")


class ReviewForm(FlaskForm):
    """Approve a TBO's waiting message (pesan: the text for the reporter) or send it back
    (catatan: the note for the TBO, required there). kembali: the page to go back to."""

    pesan = TextAreaField("Teks untuk pelapor", validators=[Optional(), Length(max=2000, message=TOO_LONG)])
    catatan = TextAreaField(
        "Catatan untuk petugas", validators=[Optional(), Length(max=1000, message=TOO_LONG)]
    )
    kembali = SelectField(choices=[("laporan", "laporan"), ("daftar", "daftar")], validate_choice=False)
