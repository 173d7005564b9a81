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
