"""Configuration from the environment, with working defaults.

A `.env` file beside this one (or the file SARPRAS_ENV_FILE names) is read when present.
Nothing here needs to be set for a first run: the database is a SQLite file in
`instance/`, replies are only logged, and the secret key is generated once and kept in
`instance/`.

Every setting is declared once, in SECTIONS: Config reads them from it, and
scripts/configuration_doc.py writes docs/CONFIGURATION.md from it. A name in the `.env`
file that is not a setting, or a value a setting cannot take, is a ConfigError: one line
per mistake, which create_app prints before exiting instead of starting on a guess.
"""

import difflib
import math
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dotenv import dotenv_values, load_dotenv
from dotenv.parser import parse_stream

BASE_DIR = Path(__file__).resolve().parent
DOCS_LINK = "docs/CONFIGURATION.md"

TRUE_WORDS = ("1", "true", "yes", "on", "ya")
FALSE_WORDS = ("0", "false", "no", "off", "tidak")
# The exit code of a ConfigError: gunicorn's code for an app that failed to load, on which
# its master stops, where any other code would have it boot workers again and again.
EXIT_CODE = 4


class ConfigError(Exception):
    """Settings the app cannot start with; each line of str() is one mistake and its fix."""

    def __init__(self, problems):
        super().__init__("\n".join(problems))
        self.problems = list(problems)


# How a setting's text becomes its value. parse() raises ValueError with the reason in the
# admin's words; `doc` says in the documentation what the setting takes.


class Text:
    doc = "text"
    show_value = True

    def parse(self, text):
        return text


class Secret(Text):
    doc = "text, secret"
    show_value = False


class Lower(Text):
    def parse(self, text):
        return text.lower()


class Url(Text):
    doc = "http(s) URL"
    show_value = False  # a URL may carry a user and password

    def parse(self, text):
        scheme, _, rest = text.partition("://")
        if scheme.lower() not in ("http", "https") or not rest.split("/")[0]:
            raise ValueError("harus URL yang diawali http:// atau https://")
        return text


@dataclass(frozen=True)
class Integer:
    minimum: int = 0
    show_value = True

    @property
    def doc(self):
        return f"integer ≥ {self.minimum}"

    def parse(self, text):
        try:
            value = int(text)
        except ValueError:
            raise ValueError(f"harus bilangan bulat ≥ {self.minimum}") from None
        if value < self.minimum:
            raise ValueError(f"harus bilangan bulat ≥ {self.minimum}")
        return value


@dataclass(frozen=True)
class Number:
    """Seconds and rates; `above` excludes the minimum itself (an interval of 0 spins)."""

    minimum: float = 0
    above: bool = False
    show_value = True

    @property
    def rule(self):
        return f"{'>' if self.above else '≥'} {self.minimum:g}"

    @property
    def doc(self):
        return f"number {self.rule}"

    def parse(self, text):
        try:
            value = float(text)
        except ValueError:
            raise ValueError(f"harus angka {self.rule} (titik sebagai pemisah desimal)") from None
        if not math.isfinite(value) or value < self.minimum or (self.above and value == self.minimum):
            raise ValueError(f"harus angka {self.rule}")
        return value


class Flag:
    doc = "flag"
    show_value = True

    def parse(self, text):
        word = text.lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise ValueError(
            f"harus salah satu dari {', '.join(TRUE_WORDS)} (hidup) atau {', '.join(FALSE_WORDS)} (mati)"
        )


@dataclass(frozen=True)
class Choice:
    options: tuple
    show_value = True

    @property
    def doc(self):
        return "one of " + ", ".join(f"`{option}`" for option in self.options)

    def parse(self, text):
        word = text.lower()
        if word not in self.options:
            raise ValueError(f"harus salah satu dari {', '.join(self.options)}")
        return word


class WorkerMode:
    """`auto`, or a flag word: kept as auto, on or off, the three the app tells apart."""

    doc = "`auto` or a flag"
    show_value = True

    def parse(self, text):
        if text.lower() == "auto":
            return "auto"
        try:
            return "on" if Flag().parse(text) else "off"
        except ValueError:
            raise ValueError("harus auto, on atau off") from None


class Zone:
    doc = "IANA time zone"
    show_value = True

    def parse(self, text):
        try:
            ZoneInfo(text)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                "bukan zona waktu IANA yang dikenal (mis. Asia/Jakarta, Asia/Makassar)"
            ) from None
        return text


class Prefix:
    # The tracking number is the prefix, YYMM and 3-4 digits: at most 15 characters (id_track).
    doc = "1-7 letters"
    show_value = True

    def parse(self, text):
        value = text.upper()
        if not (1 <= len(value) <= 7 and value.isascii() and value.isalpha()):
            raise ValueError("harus 1 sampai 7 huruf A-Z")
        return value


class ChatIds:
    doc = "comma-separated Telegram chat ids"
    show_value = True

    def parse(self, text):
        ids = [item.strip() for item in text.split(",") if item.strip()]
        for item in ids:
            if not item.lstrip("-").isdigit():
                raise ValueError(f"'{item}' bukan id chat Telegram (angka, grup diawali -)")
        return ids


@dataclass(frozen=True)
class Setting:
    name: str
    default: str | None  # as it would be written in .env; None: unset
    kind: object
    doc: str
    shown_default: str | None = None  # for the documentation, when the default is computed

    def parse(self, text):
        return self.kind.parse(text)


# (title, settings): the order of docs/CONFIGURATION.md.
SECTIONS = [
    (
        "Database and files",
        [
            Setting(
                "DATABASE_URL",
                None,
                Text(),
                "The database: `mysql+pymysql://USER:PASSWORD@127.0.0.1/sarpras` for MariaDB/MySQL "
                "(`mysql://` is taken as PyMySQL; utf8mb4 is added).",
                "SQLite `instance/sarpras.db`",
            ),
            # A hung server otherwise holds a web worker until gunicorn kills it.
            Setting(
                "DATABASE_TIMEOUT_SECONDS",
                "4",
                Number(),
                "MariaDB/MySQL: longest wait to connect, for one query's answer or for a free pooled "
                "connection; then the request answers 503. `0` waits for ever. `init-db` runs without it. "
                "`backup` stops a `mysqldump` that gets no data for three times this.",
            ),
            Setting(
                "INSTANCE_PATH",
                None,
                Text(),
                "Folder of the SQLite database, the generated secret key, uploaded photos and the "
                "worker's send journal.",
                "`instance/`",
            ),
            Setting(
                "SECRET_KEY",
                None,
                Secret(),
                "Signs sessions and derives the key of stored router passwords.",
                "generated once into `instance/secret_key`",
            ),
        ],
    ),
    (
        "WhatsApp",
        [
            Setting(
                "WA_PROVIDER",
                "log",
                Choice(("log", "fonnte", "cloud")),
                "Who sends replies: `log` stores and logs them only, `fonnte`, or `cloud` (Meta's "
                "WhatsApp Cloud API).",
            ),
            Setting("FONNTE_TOKEN", None, Secret(), "The Fonnte device token."),
            Setting("FONNTE_API_URL", "https://api.fonnte.com/send", Url(), "Fonnte's send endpoint."),
            Setting(
                "WEBHOOK_TOKEN",
                None,
                Secret(),
                "When set, Fonnte must call `/webhook/fonnte?token=<it>` (and the status and device "
                "webhooks likewise).",
            ),
            # The source document: unknown numbers are accepted as guests unless configured otherwise.
            Setting(
                "ALLOW_GUESTS",
                "on",
                Flag(),
                "Accept reports from numbers not in `tb_pegawai` (answered as Tamu).",
            ),
            Setting(
                "WHATSAPP_API_URL", "https://graph.facebook.com/v21.0", Url(), "Meta's Graph API base URL."
            ),
            Setting("WHATSAPP_PHONE_NUMBER_ID", None, Text(), "Cloud API: the sending number's id."),
            Setting("WHATSAPP_ACCESS_TOKEN", None, Secret(), "Cloud API: a System User's permanent token."),
            Setting(
                "WHATSAPP_VERIFY_TOKEN",
                None,
                Secret(),
                "Cloud API: the verify token you chose for the webhook.",
            ),
            Setting(
                "WHATSAPP_APP_SECRET",
                None,
                Secret(),
                "Cloud API: the app secret that signs every webhook call.",
            ),
            Setting(
                "WHATSAPP_TEMPLATE_NAME",
                "sarpras_pemberitahuan",
                Text(),
                "Cloud API: the approved template for messages outside the 24-hour window; its one "
                "parameter `{{1}}` carries the text.",
            ),
            Setting("WHATSAPP_TEMPLATE_LANGUAGE", "id", Text(), "Cloud API: that template's language code."),
            Setting(
                "WA_FAILURE_ALERT_AFTER",
                "5",
                Integer(1),
                "WhatsApp sends failing in a row before the Administrators are alerted.",
            ),
            Setting(
                "MEDIA_ALLOW_PRIVATE",
                "off",
                Flag(),
                "Fetch a message's file also from loopback, private and link-local addresses (an "
                "on-premise gateway).",
            ),
            Setting(
                "HTTP_TIMEOUT_SECONDS",
                "15",
                Number(0, above=True),
                "Longest wait for a provider's answer (WhatsApp, Telegram, a file); an unanswered "
                "send is marked in doubt.",
            ),
        ],
    ),
    (
        "Texts and time",
        [
            Setting("TRACK_PREFIX", "BRT", Prefix(), "Start of every tracking number (`BRT2411001`)."),
            Setting("INSTITUTION", "ISTN", Text(), "The institution's name in the replies."),
            Setting("UNIT_NAME", "BRT", Text(), "The unit's name in the replies."),
            Setting(
                "TIMEZONE",
                "Asia/Jakarta",
                Zone(),
                "Zone of `tanggal`/`jam`, of the texts and of the 07:00 jobs.",
            ),
            Setting(
                "AUTO_CLOSE_DAYS",
                "3",
                Integer(1),
                "A report left `Selesai` without the reporter's confirmation is closed after this many days.",
            ),
            Setting(
                "REVIEW_TBO_REPORTS",
                "off",
                Flag(),
                "A TBO's `#report` and `#finish` wait in the panel (Validasi) until a Staf or "
                "Administrator approves them, possibly corrected, before they reach the reporter.",
            ),
        ],
    ),
    (
        "Worker and outgoing queue",
        [
            Setting(
                "EMBEDDED_WORKER",
                "auto",
                WorkerMode(),
                "Run the worker inside the web process; `auto`: only under the Flask development server.",
            ),
            # The poll interval bounds how long a reply queued by another process waits
            # before the worker sees it.
            Setting(
                "OUTBOX_POLL_SECONDS",
                "0.2",
                Number(0, above=True),
                "How often the worker looks for messages queued by another process.",
            ),
            Setting("OUTBOX_BATCH", "50", Integer(1), "Messages claimed at once."),
            Setting(
                "OUTBOX_GATHER_SECONDS",
                "0.1",
                Number(),
                "Pause after a partial batch, so a steady stream is sent in batches.",
            ),
            # Two senders keep up with ~300 replies/s on loopback; more only fight over the
            # GIL with the rest of the worker (bench_webhook: 4 threads measured 286-292
            # requests/s on MariaDB, 2 threads 302-339). Raise it for a slow provider link.
            Setting(
                "OUTBOX_SEND_THREADS",
                "2",
                Integer(1),
                "Parallel sends; also how many messages may go twice after a worker crash.",
            ),
            Setting(
                "OUTBOX_MAX_ATTEMPTS", "20", Integer(1), "Attempts before a message is given up (`gagal`)."
            ),
            Setting(
                "OUTBOX_RETRY_BASE_SECONDS", "5", Number(0, above=True), "First back-off after a failed send."
            ),
            Setting("OUTBOX_RETRY_MAX_SECONDS", "1800", Number(0, above=True), "Longest back-off."),
            # A worker on this machine is known dead at once (lease.dead_here) and its send
            # journal tells what it did; one on another machine is known dead only by time.
            Setting(
                "OUTBOX_CLAIM_TIMEOUT_SECONDS",
                "120",
                Number(0, above=True),
                "A claimed message not finished within this time belongs to a dead worker on another "
                "machine and comes back, in doubt.",
            ),
        ],
    ),
    (
        "Network monitor and Telegram",
        [
            Setting("ROUTEROS_HOST", None, Text(), "A router added at start (more in the panel)."),
            Setting("ROUTEROS_PORT", "8728", Integer(1), "Its API port; 8729 means api-ssl."),
            Setting("ROUTEROS_USER", None, Text(), "Its API user (read access is enough)."),
            Setting("ROUTEROS_PASSWORD", None, Secret(), "That user's password."),
            Setting("ROUTEROS_NAME", "utama", Text(), "Its name in the panel and in Telegram commands."),
            Setting("NETMON_INTERVAL", "5", Number(0, above=True), "Seconds between Netwatch polls."),
            Setting(
                "NETMON_HOOK_TOKEN",
                None,
                Secret(),
                "Enables `/netmon/hook` for Netwatch's up/down scripts; they send it as `token=`.",
            ),
            Setting(
                "NETMON_ROUTER_TIMEOUT",
                "5",
                Number(0, above=True),
                "Seconds one RouterOS API call (connect, login, answer) may take.",
            ),
            Setting(
                "NETMON_LOGIN_FAILURES",
                "5",
                Integer(1),
                "More failed logins than this to a router from one address within 5 minutes "
                "(read from the router's /log) is one Telegram alert per burst.",
            ),
            Setting(
                "NETMON_TICKET_AFTER_SECONDS",
                "300",
                Number(0),
                'An outage of a host lasting this long opens a report (reporter "Monitor Jaringan", '
                "the category matching `jaringan`), finished when the host is back; 0 turns it off.",
            ),
            Setting(
                "NETMON_CHECK_TIMEOUT",
                "2",
                Number(0, above=True),
                "Timeout of one built-in check (ICMP or TCP) of a host not behind a router.",
            ),
            Setting(
                "NETMON_ALERT_STYLE",
                "updown",
                Choice(("updown", "paper")),
                "The words of alerts and reminders: `updown` says UP/DOWN, `paper` says ON/OFF as the "
                "source paper's notifications do.",
            ),
            Setting("TELEGRAM_BOT_TOKEN", None, Secret(), "The bot's token from @BotFather."),
            Setting(
                "TELEGRAM_API_URL",
                "https://api.telegram.org",
                Url(),
                "The Bot API server (one of your own, if you run one).",
            ),
            Setting(
                "TELEGRAM_ADMIN_CHAT_IDS",
                None,
                ChatIds(),
                "Chats that get alerts and answers, besides those allowed in the panel.",
                "none",
            ),
            Setting("TELEGRAM_POLL_TIMEOUT", "25", Integer(1), "Seconds of the bot's long poll."),
            Setting("TELEGRAM_CHAT_BURST", "3", Integer(1), "Messages a chat gets at once before pacing."),
            Setting(
                "TELEGRAM_CHAT_PER_SECOND", "1", Number(0, above=True), "Then messages per second per chat."
            ),
        ],
    ),
    (
        "Panel and security",
        [
            Setting(
                "PROXY_COUNT",
                "0",
                Integer(0),
                "Reverse proxies in front of the app (nginx: `1`); only then is the client address "
                "taken from `X-Forwarded-For`.",
            ),
            Setting(
                "SESSION_COOKIE_SECURE",
                "off",
                Flag(),
                "Send the login cookie over HTTPS only; needs HTTPS in front, or login fails.",
            ),
            Setting(
                "LOGIN_FAILURE_WINDOW_SECONDS",
                "900",
                Integer(1),
                "Window in which failed logins are counted.",
            ),
            Setting(
                "LOGIN_FAILURES_PER_ACCOUNT_AND_ADDRESS",
                "5",
                Integer(1),
                "Failed logins of one username from one address before that address gets 429.",
            ),
            Setting(
                "LOGIN_FAILURES_PER_ADDRESS",
                "30",
                Integer(1),
                "Failed logins from one address, whatever the username, before it gets 429.",
            ),
        ],
    ),
    (
        "Health checks",
        [
            Setting(
                "READY_DATABASE_TIMEOUT_SECONDS",
                "2",
                Number(0, above=True),
                "`/readyz`: longest wait for the database (connect, then each query).",
            ),
            Setting(
                "READY_OUTBOX_MAX_AGE_SECONDS",
                "300",
                Number(0, above=True),
                "`/readyz`: a message due for longer than this and still queued means the queue is stuck.",
            ),
        ],
    ),
]
SETTINGS = {setting.name: setting for _, settings in SECTIONS for setting in settings}

# Names a .env file may hold that other programs read: Flask's command line (FLASK_APP,
# FLASK_DEBUG, FLASK_RUN_PORT...), gunicorn, and the test suite.
OTHER_PREFIXES = ("FLASK_",)
OTHER_NAMES = ("WEB_CONCURRENCY", "GUNICORN_CMD_ARGS", "TEST_DATABASE_URL", "SCREENSHOT_DIR")
# A variable of the process environment with one of these prefixes and no setting of its
# name is most likely a typo: warned, not refused (the environment is not ours alone).
OUR_PREFIXES = (
    "SARPRAS_",
    "WA_",
    "FONNTE_",
    "WHATSAPP_",
    "TELEGRAM_",
    "ROUTEROS_",
    "NETMON_",
    "OUTBOX_",
    "READY_",
)
ENV_FILE_VARIABLE = "SARPRAS_ENV_FILE"


@dataclass
class EnvFile:
    """What the .env file holds: each name with its line, and the lines that do not parse."""

    path: Path
    lines: dict  # name -> line number
    values: dict  # name -> value as loaded
    unreadable: list  # line numbers
    missing: bool = False
    error: str = ""  # why the file as a whole cannot be read


def read_env_file(path, required=False):
    path = Path(path)
    if not path.exists():
        return EnvFile(path, {}, {}, [], missing=required)
    lines, unreadable = {}, []
    try:
        with open(path, encoding="utf-8") as stream:
            for binding in parse_stream(stream):
                # A line without '=' is no setting either: often a token pasted on a line of
                # its own, which a "bukan pengaturan" message would print.
                if binding.error or (binding.key is not None and binding.value is None):
                    unreadable.append(binding.original.line)
                elif binding.key is not None:
                    lines[binding.key] = binding.original.line
    except UnicodeDecodeError:
        return EnvFile(path, {}, {}, [], error="bukan teks UTF-8")
    except OSError as error:
        # Most often a file only root may read, and a service running as its own user.
        return EnvFile(path, {}, {}, [], error=error.strerror or type(error).__name__)
    # python-dotenv skips (and logs) a line it cannot parse: nothing is loaded then, and
    # Config reports the line instead.
    values = {} if unreadable else dotenv_values(path)
    return EnvFile(path, lines, values, unreadable)


def _env_file_path():
    given = os.environ.get(ENV_FILE_VARIABLE, "").strip()
    return (Path(given), True) if given else (BASE_DIR / ".env", False)


ENV_FILE = read_env_file(*_env_file_path())
if ENV_FILE.values:
    load_dotenv(ENV_FILE.path)


def env_file_problems(env_file):
    """Lines about the .env file itself: missing, unparsable lines, unknown names."""
    where = str(env_file.path)
    if env_file.missing:
        return [
            f"{ENV_FILE_VARIABLE}={where}: berkas itu tidak ada. Perbaiki jalurnya atau hapus variabel itu."
        ]
    if env_file.error:
        return [
            f"{where} tidak dapat dibaca ({env_file.error}). Perbaiki berkasnya atau izinnya untuk "
            "pengguna yang menjalankan aplikasi."
        ]
    problems = [
        f"{where} baris {line}: tidak terbaca sebagai NAMA=nilai. Perbaiki atau hapus baris itu."
        for line in env_file.unreadable
    ]
    for name, line in env_file.lines.items():
        if name in SETTINGS or name in OTHER_NAMES or name.startswith(OTHER_PREFIXES):
            continue
        problems.append(f"{where} baris {line}: {name} bukan pengaturan Sarpras. {_fix_for(name)}")
    return problems


def _fix_for(name):
    close = difflib.get_close_matches(name.upper(), SETTINGS, n=1, cutoff=0.75)
    if close:
        return f"Maksudnya {close[0]}? Perbaiki namanya (daftar: {DOCS_LINK})."
    return f"Hapus baris itu (daftar pengaturan: {DOCS_LINK})."


def parse_settings(environ, env_file=None):
    """The value of every setting from `environ` (defaults for the unset), and a line for
    each value a setting cannot take, saying where it came from."""
    values, problems = {}, []
    for setting in SETTINGS.values():
        raw = environ.get(setting.name)
        text = None if raw is None or raw.strip() == "" else raw.strip()
        if text is None:
            if setting.default is None:
                values[setting.name] = [] if isinstance(setting.kind, ChatIds) else None
            else:
                values[setting.name] = setting.parse(setting.default)  # defaults are valid (tested)
            continue
        try:
            values[setting.name] = setting.parse(text)
        except ValueError as reason:
            problems.append(_bad_value(setting, text, reason, environ, env_file))
    return values, problems


def _bad_value(setting, text, reason, environ, env_file):
    shown = f"{setting.name}={text}" if setting.kind.show_value else setting.name
    if (
        env_file is not None
        and setting.name in env_file.lines
        and env_file.values.get(setting.name) == environ.get(setting.name)
    ):
        where = f"{env_file.path} baris {env_file.lines[setting.name]}"
        fix = "Perbaiki nilainya di berkas itu."
    else:
        where = "variabel lingkungan"
        fix = "Perbaiki nilainya di lingkungan proses (mis. Environment= di unit systemd)."
    return f"{shown} ({where}): {reason}. {fix}"


def environment_warnings(environ):
    """Variables with our prefixes that are no setting: probably a typo."""
    lines = []
    for name in sorted(environ):
        if name.startswith(OUR_PREFIXES) and name not in SETTINGS and name != ENV_FILE_VARIABLE:
            close = difflib.get_close_matches(name, SETTINGS, n=1, cutoff=0.75)
            hint = f" Maksudnya {close[0]}?" if close else ""
            lines.append(f"Variabel lingkungan {name} bukan pengaturan Sarpras dan diabaikan.{hint}")
    return lines


def secret_key(instance_dir, given=None):
    """The given SECRET_KEY, or one generated on first start and kept in instance/."""
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


def database_url(instance_dir, given=None):
    if not given:
        return f"sqlite:///{Path(instance_dir) / 'sarpras.db'}"
    return normalise_database_url(given)


def normalise_database_url(url):
    """mysql:// means PyMySQL, always with utf8mb4 (WhatsApp messages carry emoji)."""
    if url.startswith("mysql://"):
        url = "mysql+pymysql://" + url[len("mysql://") :]
    if url.startswith("mysql+pymysql://") and "charset=" not in url:
        url += ("&" if "?" in url else "?") + "charset=utf8mb4"
    return url


# Settings whose value becomes another config key, or is computed from the others.
_COMPUTED = ("DATABASE_URL", "INSTANCE_PATH", "SECRET_KEY")


class Config:
    """Every setting as an attribute of the same name (app.config takes the upper-case
    ones); raises ConfigError when the .env file or a value is wrong."""

    def __init__(self, environ=None, env_file=None):
        # Read when the app is made, not when this module is imported: scripts set
        # INSTANCE_PATH after importing.
        environ = os.environ if environ is None else environ
        env_file = ENV_FILE if env_file is None else env_file
        values, bad_values = parse_settings(environ, env_file)
        problems = env_file_problems(env_file) + bad_values
        if problems:
            raise ConfigError(problems)
        self.warnings = environment_warnings(environ)

        instance_dir = Path(values["INSTANCE_PATH"] or BASE_DIR / "instance")
        self.INSTANCE_DIR = str(instance_dir)
        self.SECRET_KEY = secret_key(instance_dir, values["SECRET_KEY"])
        self.SQLALCHEMY_DATABASE_URI = database_url(instance_dir, values["DATABASE_URL"])
        for name, value in values.items():
            if name not in _COMPUTED:
                setattr(self, name, value)

        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.REMEMBER_COOKIE_HTTPONLY = True
        self.JSON_AS_ASCII = False
