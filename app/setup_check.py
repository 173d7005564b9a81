"""What an operator should know when the app starts: where each provider posts, and the
settings the active provider cannot work without. Pure: the config in, lines out."""

from urllib.parse import quote

REQUIRED = {
    "fonnte": ("FONNTE_TOKEN",),
    "cloud": (
        "WHATSAPP_PHONE_NUMBER_ID",
        "WHATSAPP_ACCESS_TOKEN",
        "WHATSAPP_APP_SECRET",
        "WHATSAPP_VERIFY_TOKEN",
    ),
}
KNOWN = ("log", "fonnte", "cloud")


def webhook_lines(config, base_url):
    """(label, URL) rows for the webhooks of the provider in use (`log` takes both)."""
    provider = config.get("WA_PROVIDER", "log")
    token = f"?token={quote(config['WEBHOOK_TOKEN'], safe='')}" if config.get("WEBHOOK_TOKEN") else ""
    rows = []
    if provider in ("log", "fonnte"):
        rows += [
            ("Webhook Fonnte", f"{base_url}/webhook/fonnte{token}"),
            ("Status pesan Fonnte", f"{base_url}/webhook/fonnte/status{token}"),
            ("Status perangkat Fonnte", f"{base_url}/webhook/fonnte/device{token}"),
        ]
    if provider in ("log", "cloud"):
        rows.append(("Webhook WhatsApp Cloud API", f"{base_url}/webhook/whatsapp"))
    return rows


def warnings(config):
    """Sentences about settings the active provider needs and does not have."""
    provider = config.get("WA_PROVIDER", "log")
    if provider not in KNOWN:
        return [f"WA_PROVIDER={provider} tidak dikenal (pilihan: {', '.join(KNOWN)}); pesan tidak terkirim."]
    missing = [name for name in REQUIRED.get(provider, ()) if not config.get(name)]
    if not missing:
        return []
    return [f"WA_PROVIDER={provider} membutuhkan {', '.join(missing)}: belum diatur."]


def production_warnings(config, env_file_exists):
    """Sentences about what a production install still lacks: the provider's settings (as
    `warnings`) and the settings the README's Production section sets in `.env`."""
    lines = []
    if not env_file_exists:
        lines.append(
            "Berkas .env belum ada: salin contoh di README (bagian Production) ke .env di folder aplikasi."
        )
    if config.get("SQLALCHEMY_DATABASE_URI", "").startswith("sqlite"):
        lines.append("Basis data SQLite (DATABASE_URL tidak menunjuk MariaDB): untuk produksi pakai MariaDB.")
    provider = config.get("WA_PROVIDER", "log")
    if provider == "log":
        lines.append(
            "WA_PROVIDER=log: balasan hanya disimpan, tidak dikirim; atur WA_PROVIDER=fonnte atau cloud."
        )
    lines += warnings(config)
    if provider == "fonnte" and not config.get("WEBHOOK_TOKEN"):
        lines.append(
            "WEBHOOK_TOKEN belum diatur: siapa pun yang tahu alamatnya dapat memanggil /webhook/fonnte."
        )
    if str(config.get("EMBEDDED_WORKER", "auto")).lower() in ("1", "on", "true", "yes"):
        lines.append(
            "EMBEDDED_WORKER=on: setiap proses gunicorn menjalankan worker; atur off dan jalankan satu worker."
        )
    if not config.get("SESSION_COOKIE_SECURE"):
        lines.append("SESSION_COOKIE_SECURE=on belum diatur: cookie login juga dikirim lewat HTTP biasa.")
    if not config.get("PROXY_COUNT"):
        lines.append("PROXY_COUNT=1 belum diatur: di belakang nginx semua pengunjung tampak beralamat nginx.")
    return lines
