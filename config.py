"""Configuration from the environment (SPEC "Configuration"), with working defaults.

A `.env` file beside this one is read when present. Nothing here needs to be set for a
first run: the database is a SQLite file in `instance/`, replies are only logged, and the
secret key is generated once and kept in `instance/`.
"""

import os
import secrets
from pathlib import Path

from dotenv import load_dotenv

BASE_DIR = Path(__file__).resolve().parent

load_dotenv(BASE_DIR / ".env")


def env(name, default=None):
    value = os.environ.get(name)
    return default if value is None or value.strip() == "" else value.strip()


def env_bool(name, default=False):
    value = env(name)
    if value is None:
        return default
    return value.lower() in ("1", "true", "yes", "on", "ya")


def env_list(name):
    return [item.strip() for item in (env(name) or "").split(",") if item.strip()]


def secret_key(instance_dir):
    """The given SECRET_KEY, or one generated on first start and kept in instance/."""
    given = env("SECRET_KEY")
    if given:
        return given
    path = Path(instance_dir) / "secret_key"
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    # Two processes starting at once must agree on one key: create exclusively, and
    # whoever loses the race reads the winner's key.
    try:
        with open(path, "x") as handle:
            handle.write(key)
        os.chmod(path, 0o600)
        return key
    except FileExistsError:
        return path.read_text().strip()


def database_url(instance_dir):
    url = env("DATABASE_URL")
    if not url:
        return f"sqlite:///{Path(instance_dir) / 'sarpras.db'}"
    return normalise_database_url(url)


def normalise_database_url(url):
    """mysql:// means PyMySQL, always with utf8mb4 (WhatsApp messages carry emoji)."""
    if url.startswith("mysql://"):
        url = "mysql+pymysql://" + url[len("mysql://") :]
    if url.startswith("mysql+pymysql://") and "charset=" not in url:
        url += ("&" if "?" in url else "?") + "charset=utf8mb4"
    return url


class Config:
    def __init__(self):
        # Read when the app is made, not when this module is imported: scripts set
        # INSTANCE_PATH after importing.
        instance_dir = Path(env("INSTANCE_PATH") or BASE_DIR / "instance")
        self.INSTANCE_DIR = str(instance_dir)
        self.SECRET_KEY = secret_key(instance_dir)
        self.SQLALCHEMY_DATABASE_URI = database_url(instance_dir)
        # MySQL/MariaDB: how long to wait for the server to connect, to answer one query,
        # or for a free pooled connection; then the request answers 503. 0: wait for ever.
        self.DATABASE_TIMEOUT_SECONDS = float(env("DATABASE_TIMEOUT_SECONDS", "4"))

        self.WA_PROVIDER = (env("WA_PROVIDER", "log")).lower()
        self.FONNTE_TOKEN = env("FONNTE_TOKEN")
        self.FONNTE_API_URL = env("FONNTE_API_URL", "https://api.fonnte.com/send")
        self.WEBHOOK_TOKEN = env("WEBHOOK_TOKEN")
        # SPEC: unknown numbers are accepted as guests "unless configured otherwise".
        self.ALLOW_GUESTS = env_bool("ALLOW_GUESTS", True)

        self.TRACK_PREFIX = env("TRACK_PREFIX", "BRT").upper()
        self.INSTITUTION = env("INSTITUTION", "ISTN")
        self.UNIT_NAME = env("UNIT_NAME", "BRT")
        self.TIMEZONE = env("TIMEZONE", "Asia/Jakarta")

        # "auto": on when the app is served by the Flask development server.
        self.EMBEDDED_WORKER = (env("EMBEDDED_WORKER", "auto")).lower()

        self.TELEGRAM_BOT_TOKEN = env("TELEGRAM_BOT_TOKEN")
        self.TELEGRAM_API_URL = env("TELEGRAM_API_URL", "https://api.telegram.org")
        self.TELEGRAM_ADMIN_CHAT_IDS = env_list("TELEGRAM_ADMIN_CHAT_IDS")

        self.ROUTEROS_HOST = env("ROUTEROS_HOST")
        self.ROUTEROS_PORT = int(env("ROUTEROS_PORT", "8728"))
        self.ROUTEROS_USER = env("ROUTEROS_USER")
        self.ROUTEROS_PASSWORD = env("ROUTEROS_PASSWORD")
        self.NETMON_INTERVAL = float(env("NETMON_INTERVAL", "5"))
        self.NETMON_HOOK_TOKEN = env("NETMON_HOOK_TOKEN")
        # Name of the ROUTEROS_* router in the panel and in Telegram commands.
        self.ROUTEROS_NAME = env("ROUTEROS_NAME", "utama")
        # One RouterOS API call (connect, login, answer) may take this long.
        self.NETMON_ROUTER_TIMEOUT = float(env("NETMON_ROUTER_TIMEOUT", "5"))
        # Built-in checks (hosts not behind a router): one probe's timeout.
        self.NETMON_CHECK_TIMEOUT = float(env("NETMON_CHECK_TIMEOUT", "2"))
        # Telegram: the long poll's wait, and messages per chat (a burst, then one a second).
        self.TELEGRAM_POLL_TIMEOUT = int(env("TELEGRAM_POLL_TIMEOUT", "25"))
        self.TELEGRAM_CHAT_BURST = int(env("TELEGRAM_CHAT_BURST", "3"))
        self.TELEGRAM_CHAT_PER_SECOND = float(env("TELEGRAM_CHAT_PER_SECOND", "1"))
        self.AUTO_CLOSE_DAYS = int(env("AUTO_CLOSE_DAYS", "3"))

        self.WHATSAPP_API_URL = env("WHATSAPP_API_URL", "https://graph.facebook.com/v21.0")
        self.WHATSAPP_PHONE_NUMBER_ID = env("WHATSAPP_PHONE_NUMBER_ID")
        self.WHATSAPP_ACCESS_TOKEN = env("WHATSAPP_ACCESS_TOKEN")
        self.WHATSAPP_VERIFY_TOKEN = env("WHATSAPP_VERIFY_TOKEN")
        self.WHATSAPP_APP_SECRET = env("WHATSAPP_APP_SECRET")
        # An approved message template for messages outside Meta's 24-hour customer-service
        # window (assignments, reminders, confirmation requests, auto-close). Its body has
        # one parameter, {{1}}, which carries our message text.
        self.WHATSAPP_TEMPLATE_NAME = env("WHATSAPP_TEMPLATE_NAME", "sarpras_pemberitahuan")
        self.WHATSAPP_TEMPLATE_LANGUAGE = env("WHATSAPP_TEMPLATE_LANGUAGE", "id")
        # Device health: this many WhatsApp sends failing in a row alert the Administrators.
        self.WA_FAILURE_ALERT_AFTER = int(env("WA_FAILURE_ALERT_AFTER", "5"))

        # Outgoing queue tuning. The poll interval bounds how long a reply queued by
        # another process waits before the worker sees it.
        self.OUTBOX_POLL_SECONDS = float(env("OUTBOX_POLL_SECONDS", "0.2"))
        self.OUTBOX_BATCH = int(env("OUTBOX_BATCH", "50"))
        self.OUTBOX_GATHER_SECONDS = float(env("OUTBOX_GATHER_SECONDS", "0.1"))
        # Two senders keep up with ~300 replies/s on loopback; more only fight over the
        # GIL with the rest of the worker (bench_webhook: 4 threads measured 286-292
        # requests/s on MariaDB, 2 threads 302-339). Raise it for a slow provider link. It is
        # also how many messages may go twice after a worker crash (one on the wire each).
        self.OUTBOX_SEND_THREADS = int(env("OUTBOX_SEND_THREADS", "2"))
        self.OUTBOX_MAX_ATTEMPTS = int(env("OUTBOX_MAX_ATTEMPTS", "20"))
        self.OUTBOX_RETRY_BASE_SECONDS = float(env("OUTBOX_RETRY_BASE_SECONDS", "5"))
        self.OUTBOX_RETRY_MAX_SECONDS = float(env("OUTBOX_RETRY_MAX_SECONDS", "1800"))
        # A row claimed but not finished within this time belongs to a worker that died
        # (on another machine: one on this machine is known dead at once, see lease.dead_here,
        # and its send journal tells what it did). Such rows come back in doubt.
        self.OUTBOX_CLAIM_TIMEOUT_SECONDS = float(env("OUTBOX_CLAIM_TIMEOUT_SECONDS", "120"))
        self.HTTP_TIMEOUT_SECONDS = float(env("HTTP_TIMEOUT_SECONDS", "15"))
        # The file of a Fonnte message is fetched from public addresses only; on when the
        # gateway serving the files is on the local network (an on-premise gateway).
        self.MEDIA_ALLOW_PRIVATE = env_bool("MEDIA_ALLOW_PRIVATE", False)

        # Reverse proxies (nginx...) in front of the app: only with this set is the client's
        # address taken from X-Forwarded-For (the last PROXY_COUNT entries are theirs).
        self.PROXY_COUNT = int(env("PROXY_COUNT", "0"))
        # Login throttling (app/login_throttle.py): failures within the window, per
        # username and client address together, and per client address alone.
        self.LOGIN_FAILURE_WINDOW_SECONDS = int(env("LOGIN_FAILURE_WINDOW_SECONDS", "900"))
        self.LOGIN_FAILURES_PER_ACCOUNT_AND_ADDRESS = int(env("LOGIN_FAILURES_PER_ACCOUNT_AND_ADDRESS", "5"))
        self.LOGIN_FAILURES_PER_ADDRESS = int(env("LOGIN_FAILURES_PER_ADDRESS", "30"))

        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", False)
        self.REMEMBER_COOKIE_HTTPONLY = True
        self.JSON_AS_ASCII = False
