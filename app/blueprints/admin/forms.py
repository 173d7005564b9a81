from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired, FileSize
from wtforms import BooleanField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional

from ...models.people import LEVELS
from ...panel.importer import MAX_BYTES as IMPORT_MAX_BYTES

STATUS_CHOICES = [("Aktif", "Aktif"), ("Tidak Aktif", "Tidak Aktif")]
REQUIRED = "Wajib diisi."


class LoginForm(FlaskForm):
    username = StringField("Username", validators=[DataRequired("Username wajib diisi"), Length(max=50)])
    password = PasswordField("Password", validators=[DataRequired("Password wajib diisi"), Length(max=200)])


class AssignForm(FlaskForm):
    # The service decides who may be PJ (and says why not), not the list of choices.
    petugas = SelectField(
        "Pilih PJ",
        validators=[DataRequired("Pilih petugas.")],
        choices=[],
        validate_choice=False,
        id="pj-petugas",
    )
    catatan = TextAreaField(
        "Catatan untuk petugas", validators=[Optional(), Length(max=1000)], id="pj-catatan"
    )


class NoteForm(FlaskForm):
    catatan = TextAreaField("Catatan", validators=[DataRequired(REQUIRED), Length(max=2000)])


class ProgressForm(FlaskForm):
    # Its own ids: the report page also holds the assignment form's "catatan".
    catatan = TextAreaField(
        "Catatan", validators=[DataRequired(REQUIRED), Length(max=2000)], id="progres-catatan"
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
    alasan = TextAreaField("Alasan", validators=[Optional(), Length(max=1000)])


class TestMessageForm(FlaskForm):
    tujuan = StringField("Nomor WhatsApp tujuan", validators=[DataRequired(REQUIRED), Length(max=30)])


class PegawaiForm(FlaskForm):
    id_pegawai = StringField("ID Pegawai", validators=[DataRequired(REQUIRED), Length(max=15)])
    nama_pegawai = StringField("Nama", validators=[DataRequired(REQUIRED), Length(max=100)])
    telepon = StringField("Telepon / WhatsApp", validators=[DataRequired(REQUIRED), Length(max=30)])
    email = StringField("Email", validators=[Optional(), Email("Email tidak valid."), Length(max=100)])
    jurusan = StringField("Jurusan", validators=[Optional(), Length(max=100)])
    bagian = StringField("Bagian", validators=[Optional(), Length(max=100)])
    status = SelectField("Status", choices=STATUS_CHOICES)
    keterangan = TextAreaField("Keterangan", validators=[Optional(), Length(max=1000)])


class AdminForm(FlaskForm):
    nama_admin = StringField("Nama", validators=[DataRequired(REQUIRED), Length(max=100)])
    level = SelectField("Level", choices=[(level, level) for level in LEVELS])
    telepon = StringField("Telepon / WhatsApp", validators=[Optional(), Length(max=30)])
    username = StringField("Username", validators=[Optional(), Length(max=50)])
    password = PasswordField(
        "Password (kosongkan bila tidak diubah)", validators=[Optional(), Length(max=200)]
    )
    email = StringField("Email", validators=[Optional(), Email("Email tidak valid."), Length(max=100)])
    deskripsi = TextAreaField("Deskripsi / wewenang", validators=[Optional(), Length(max=1000)])
    status = SelectField("Status", choices=STATUS_CHOICES)
    keterangan = TextAreaField("Keterangan", validators=[Optional(), Length(max=1000)])


class ImportForm(FlaskForm):
    berkas = FileField(
        "Berkas CSV atau XLSX",
        validators=[
            FileRequired("Pilih berkas."),
            FileAllowed(["csv", "xlsx"], "Hanya CSV atau XLSX."),
            FileSize(IMPORT_MAX_BYTES, message=f"Berkas lebih dari {IMPORT_MAX_BYTES // 2**20} MB."),
        ],
    )


class ConfirmForm(FlaskForm):
    """A button that changes something: only its CSRF token."""
