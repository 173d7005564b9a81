from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length


class LoginForm(FlaskForm):
    username = StringField("Username", validators=[DataRequired("Username wajib diisi"), Length(max=50)])
    password = PasswordField("Password", validators=[DataRequired("Password wajib diisi"), Length(max=200)])
