"""Error answers in Indonesian: a page for people, JSON for machine callers."""

from flask import render_template, request
from flask_wtf.csrf import CSRFError

MESSAGES = {
    400: "Permintaan tidak valid.",
    403: "Anda tidak memiliki hak akses ke halaman ini.",
    404: "Halaman tidak ditemukan.",
    405: "Metode tidak diizinkan.",
    413: "Data yang dikirim terlalu besar.",
    429: "Terlalu banyak percobaan. Silakan coba beberapa saat lagi.",
    500: "Terjadi kesalahan pada server. Silakan coba lagi.",
}


def _answer(code, message):
    if code == 413 and request.max_content_length:
        message += f" Paling besar {request.max_content_length // 2**20} MB; kembali dan pilih berkas yang lebih kecil."
    if request.path.startswith(("/webhook/", "/netmon/hook")) or request.is_json:
        return {"status": False, "reason": message}, code
    return render_template("error.html", code=code, message=message), code


def register(app):
    @app.errorhandler(CSRFError)
    def csrf_error(_error):
        return _answer(400, "Sesi formulir kedaluwarsa atau tidak sah. Muat ulang halaman lalu coba lagi.")

    for code, message in MESSAGES.items():
        app.register_error_handler(code, lambda _e, code=code, message=message: _answer(code, message))
