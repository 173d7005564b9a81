"""Error answers in Indonesian: a page for people, JSON for machine callers."""

from flask import current_app, g, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from .database import is_unavailable
from .extensions import db, login_manager

MESSAGES = {
    400: "Permintaan tidak valid.",
    403: "Anda tidak memiliki hak akses ke halaman ini.",
    404: "Halaman tidak ditemukan.",
    405: "Metode tidak diizinkan.",
    413: "Data yang dikirim terlalu besar.",
    429: "Terlalu banyak percobaan. Silakan coba beberapa saat lagi.",
    500: "Terjadi kesalahan pada server. Silakan coba lagi.",
    503: "Basis data sedang tidak menjawab. Silakan coba lagi sebentar lagi.",
}
# Providers and browsers may try again after this many seconds.
RETRY_AFTER_SECONDS = 30
DATABASE_ERRORS = (OperationalError, InterfaceError, PoolTimeout)


def _answer(code, message):
    if code == 413 and request.max_content_length:
        message += f" Paling besar {request.max_content_length // 2**20} MB; kembali dan pilih berkas yang lebih kecil."
    if request.path.startswith(("/webhook/", "/netmon/hook")) or request.is_json:
        return {"status": False, "reason": message}, code
    try:
        return render_template("error.html", code=code, message=message), code
    except DATABASE_ERRORS as error:
        # The page shows who is logged in and the WhatsApp banner, both read from the
        # database: when it hangs, the error raised here would escape the error handler
        # and gunicorn would answer its bare 500.
        if code == 503 or not is_unavailable(error):
            raise
        return _unavailable(error)


def _unavailable(error):
    """The 503 answer, logged; the page asks nothing more of the database."""
    current_app.logger.warning(
        "basis data tidak menjawab (%s %s): %s",
        request.method,
        request.path,
        error.orig if hasattr(error, "orig") else error,
    )
    db.session.remove()
    # Who is logged in (and the banner that depends on it) would wait the whole timeout
    # once more.
    g._login_user = login_manager.anonymous_user()
    body, code = _answer(503, MESSAGES[503])
    return body, code, {"Retry-After": str(RETRY_AFTER_SECONDS)}


def register(app):
    @app.errorhandler(CSRFError)
    def csrf_error(_error):
        return _answer(400, "Sesi formulir kedaluwarsa atau tidak sah. Muat ulang halaman lalu coba lagi.")

    def database_unavailable(error):
        if not is_unavailable(error):
            raise error
        return _unavailable(error)

    for kind in DATABASE_ERRORS:
        app.register_error_handler(kind, database_unavailable)

    for code, message in MESSAGES.items():
        app.register_error_handler(code, lambda _e, code=code, message=message: _answer(code, message))
