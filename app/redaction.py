"""Secrets out of every text that leaves the process: log lines, stored errors, pages.

The configured secrets are remembered when an app is created (and router passwords when a
connection is opened), so redact() knows them without an app context, as a log record of
a library thread needs. Patterns catch what no setting names: a Telegram token in a Bot
API path, token query parameters and passwords in URLs.
"""

import logging
import re
import threading
from urllib.parse import quote, quote_plus

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from config import SETTINGS, Secret

MASK = "***"
# The settings config.py declares secret (tokens, passwords, keys).
SECRET_SETTINGS = tuple(name for name, setting in SETTINGS.items() if isinstance(setting.kind, Secret))
# Shorter values would mask ordinary words and numbers everywhere; a secret that short
# protects nothing anyway.
MIN_LENGTH = 4

_PATTERNS = (
    # Telegram's bot token, in a Bot API path or alone: the bot's id is not secret.
    (re.compile(r"\b(bot)?(\d{5,}):[A-Za-z0-9_-]{20,}"), r"\1\2:" + MASK),
    (
        re.compile(
            r"([?&;](?:token|access_token|hub\.verify_token|api_key|password|secret)=)[^&#\s'\"]+", re.I
        ),
        r"\1" + MASK,
    ),
    (re.compile(r"(\b[a-z][a-z0-9+.-]*://[^/\s:@]*:)[^@/\s]+@", re.I), r"\1" + MASK + "@"),
    (re.compile(r"\b(Bearer\s+)[A-Za-z0-9._~+/=-]+", re.I), r"\1" + MASK),
)

_lock = threading.Lock()
_known = set()
_known_pattern = None


def remember(*secrets):
    """Mask these values (and their URL-encoded forms) from now on, in this process."""
    global _known_pattern
    fresh = set()
    for secret in secrets:
        if secret and len(str(secret)) >= MIN_LENGTH:
            secret = str(secret)
            fresh.update({secret, quote(secret, safe=""), quote_plus(secret)})
    with _lock:
        if fresh <= _known:
            return
        _known.update(fresh)
        # Longest first, so a secret that contains another is masked whole.
        ordered = sorted(_known, key=len, reverse=True)
        _known_pattern = re.compile("|".join(re.escape(s) for s in ordered))


def remember_config(config):
    remember(*(config.get(name) for name in SECRET_SETTINGS), _database_password(config))


def _database_password(config):
    try:
        return make_url(config.get("SQLALCHEMY_DATABASE_URI") or "").password
    except ArgumentError:
        return None


def redact(text):
    """`text` (anything; an exception is taken as its message) with every secret masked."""
    text = str(text)
    pattern = _known_pattern
    if pattern is not None:
        text = pattern.sub(MASK, text)
    for found, replacement in _PATTERNS:
        text = found.sub(replacement, text)
    return text


def install_log_redaction():
    """Mask secrets in every log record of this process, ours and libraries' (urllib3
    logs request paths, pyTelegramBotAPI its errors), whichever handler writes them:
    a record factory sees each record once, before any handler or formatter does."""
    previous = logging.getLogRecordFactory()
    if getattr(previous, "redacting", False):
        return

    def factory(*args, **kwargs):
        record = previous(*args, **kwargs)
        _redact_record(record)
        return record

    factory.redacting = True
    logging.setLogRecordFactory(factory)


def _redact_record(record):
    try:
        message = record.getMessage()
    except Exception:  # malformed arguments: logging reports those itself
        return
    record.msg, record.args = redact(message), None
    if record.exc_info and record.exc_info[1] is not None:
        # Formatters use exc_text when it is set, instead of formatting exc_info again.
        record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
    if record.stack_info:
        record.stack_info = redact(record.stack_info)
