"""Router passwords at rest: Fernet, with a key derived from SECRET_KEY.

Changing SECRET_KEY makes the stored passwords unreadable; the router then shows a
readable error and the Administrator enters the password again.
"""

import base64

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app

MASK = "••••••••"  # what a form shows instead of a stored password


class PasswordUnreadable(Exception):
    pass


def _fernet(secret_key):
    derived = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"sarpras tb_router password"
    ).derive(secret_key.encode())
    return Fernet(base64.urlsafe_b64encode(derived))


def seal(plain):
    if not plain:
        return ""
    return _fernet(current_app.config["SECRET_KEY"]).encrypt(plain.encode()).decode()


def unseal(token):
    if not token:
        return ""
    try:
        return _fernet(current_app.config["SECRET_KEY"]).decrypt(token.encode()).decode()
    except InvalidToken:
        raise PasswordUnreadable(
            "Password router tidak dapat dibaca (SECRET_KEY berubah?). Isi ulang password di panel."
        ) from None
