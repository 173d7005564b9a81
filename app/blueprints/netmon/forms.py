from flask_wtf import FlaskForm
from wtforms import BooleanField, DateTimeLocalField, IntegerField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp, ValidationError

from ...netmon.passwords import MASK
from ..admin.forms import TOO_LONG

HOSTNAME = Regexp(r"^[A-Za-z0-9.:_-]+$", message="Hanya huruf, angka, titik, titik dua, - dan _")


def _in_indonesian(field_class, message):
    """The field, saying what it could not read in Indonesian (WTForms has no Indonesian)."""

    class Field(field_class):
        def process_formdata(self, valuelist):
            try:
                super().process_formdata(valuelist)
            except ValueError:
                raise ValueError(message) from None

    return Field


WholeNumber = _in_indonesian(IntegerField, "Harus bilangan bulat.")
LocalTime = _in_indonesian(DateTimeLocalField, "Tanggal dan jam tidak valid.")


class RouterForm(FlaskForm):
    nama = StringField(
        "Nama",
        validators=[
            DataRequired("Nama wajib diisi"),
            Length(max=50, message=TOO_LONG),
            Regexp(r"^\S+$", message="Tanpa spasi"),
        ],
    )
    host = StringField(
        "Alamat (IP atau nama host)",
        validators=[DataRequired("Alamat wajib diisi"), Length(max=255, message=TOO_LONG), HOSTNAME],
    )
    port = WholeNumber("Port API", default=8728, validators=[NumberRange(1, 65535, "Port 1-65535")])
    username = StringField(
        "User", validators=[DataRequired("User wajib diisi"), Length(max=100, message=TOO_LONG)]
    )
    # Shown masked; posting the mask back keeps the stored password.
    password = PasswordField("Password", validators=[Length(max=200, message=TOO_LONG)])
    tls = BooleanField("TLS (api-ssl, port 8729)")
    aktif = BooleanField("Aktif", default=True)

    def new_password(self):
        """The password typed, or None when the mask came back unchanged."""
        value = self.password.data or ""
        return None if value == MASK else value


class HostForm(FlaskForm):
    komentar = StringField("Komentar (nama cabang)", validators=[Length(max=255, message=TOO_LONG)])
    id_induk = SelectField("Induk", coerce=int, default=0)
    pemeliharaan_mulai = LocalTime("Pemeliharaan mulai", format="%Y-%m-%dT%H:%M", validators=[Optional()])
    pemeliharaan_selesai = LocalTime("Pemeliharaan selesai", format="%Y-%m-%dT%H:%M", validators=[Optional()])
    ulang_menit = WholeNumber(
        "Ingatkan tiap (menit, 0 = tidak)", default=0, validators=[NumberRange(0, 10080, "0-10080 menit")]
    )

    def validate(self, extra_validators=None):
        # Across two fields, each of which may be empty: not a field validator.
        if not super().validate(extra_validators):
            return False
        start, end = self.pemeliharaan_mulai.data, self.pemeliharaan_selesai.data
        problem = None
        if bool(start) != bool(end):
            problem = "Isi mulai dan selesai, atau kosongkan keduanya"
        elif start and end <= start:
            problem = "Selesai harus setelah mulai"
        if problem:
            self.pemeliharaan_selesai.errors = [*self.pemeliharaan_selesai.errors, problem]
            return False
        return True


class BuiltinHostForm(FlaskForm):
    sumber = SelectField(
        "Cara cek", choices=[SelectChoice("icmp", "ICMP (ping)"), SelectChoice("tcp", "TCP connect")]
    )
    host = StringField(
        "Alamat", validators=[DataRequired("Alamat wajib diisi"), Length(max=255, message=TOO_LONG), HOSTNAME]
    )
    port = WholeNumber("Port (TCP)", default=0, validators=[NumberRange(0, 65535, "Port 0-65535")])
    komentar = StringField("Komentar (nama cabang)", validators=[Length(max=255, message=TOO_LONG)])

    def validate_port(self, field):
        if self.sumber.data == "tcp" and not field.data:
            raise ValidationError("Port wajib untuk cek TCP")


class ChatForm(FlaskForm):
    chat_id = StringField(
        "ID chat", validators=[DataRequired("ID chat wajib diisi"), Regexp(r"^-?\d{1,20}$", message="Angka")]
    )
    nama = StringField("Nama", validators=[Length(max=100, message=TOO_LONG)])
    laporan = BooleanField("Juga terima setiap laporan WhatsApp baru")
