"""WhatsApp command parsing: pure functions from message text to a Command.

Commands are case-insensitive, the leading '#' is optional and extra spaces are ignored
(SPEC "WhatsApp commands"). Nothing here touches the database or the clock.
"""

import re
from dataclasses import dataclass

# Reporter commands
MENU = "menu"
REQUEST = "request"
CEK = "cek"
CEK_LIST = "cek_list"
TRACK = "track"
SELESAI = "selesai"
# Technician (TBO) commands
HELP2 = "help2"
JOB = "job"
START = "start"
REPORT = "report"
FINISH = "finish"
# A known command written the wrong way; `text` names which one (its pattern is the answer).
INVALID = "invalid"
UNKNOWN = "unknown"

REQUEST_KEYWORDS = ("request", "req", "help", "bantu", "tolong")
TBO_COMMANDS = (HELP2, JOB, START, REPORT, FINISH)

# The first word, with any leading '#' (and a stray space after it) and trailing
# punctuation such as "#Request:" dropped.
_HEAD = re.compile(r"^#*\s*([^\W_]+)[:.,;!?]*(?:\s+|$)(.*)$", re.DOTALL)
# A tracking number: letters then digits (BRT2409001; older installations used MON...).
_ID = re.compile(r"^[A-Z]{1,10}\d{3,10}$")
# WhatsApp's bold/italic/strike marks, which come along when a reply is copied.
_MARKS = "*_~`'\"()[]<>.,;:!?"
_STARS = re.compile(r"^⭐{1,5}$")


@dataclass(frozen=True)
class Command:
    kind: str
    text: str = ""
    id_track: str = ""
    rating: int | None = None


def _clean_id(word):
    candidate = re.sub(r"[\-/]", "", word.strip(_MARKS)).upper()
    return candidate if _ID.match(candidate) else None


def parse_tracking_id(text):
    """'BRT2409001', 'brt2409001', '*BRT2409001*', 'BRT-2409001', 'brt 2409001' -> 'BRT2409001'."""
    words = text.split()
    if not words:
        return None
    return _clean_id(words[0]) or _clean_id(re.sub(r"\s", "", text))


def _spellings(id_track):
    """A pattern for the number as the parser accepts it anywhere in a text: any case, a
    '-', '/' or space between its letters and digits ('brt-2409001')."""
    letters, digits = re.fullmatch(r"([A-Za-z]*)(.*)", id_track).groups()
    joint = r"[\s\-/]?" if letters and digits else ""
    return re.compile(
        rf"(?<![A-Za-z0-9]){re.escape(letters)}{joint}{re.escape(digits)}(?![0-9])", re.IGNORECASE
    )


def names_tracking_id(text, id_track):
    """Whether a message names this tracking number ('lampu BRT2409001 masih mati')."""
    return bool(id_track) and _spellings(id_track).search(text or "") is not None


def tracking_digits(id_track):
    """The part every accepted spelling of the number contains as it is (for a LIKE)."""
    return re.fullmatch(r"[A-Za-z]*(.*)", id_track).group(1) or id_track


def split_id(rest):
    """'BRT2409001 lampu sudah diganti' -> ('BRT2409001', 'lampu sudah diganti')."""
    parts = rest.split(None, 1)
    if not parts:
        return None, ""
    return _clean_id(parts[0]), (parts[1].strip() if len(parts) > 1 else "")


def parse_rating(text):
    """'5 mantap' -> (5, 'mantap'); '⭐⭐⭐ ok' -> (3, 'ok'); 'mantap' -> (None, 'mantap')."""
    parts = text.split(None, 1)
    if parts:
        head = parts[0].strip(_MARKS)
        rest = parts[1].strip() if len(parts) > 1 else ""
        if head in ("1", "2", "3", "4", "5"):
            return int(head), rest
        if _STARS.match(head):
            return len(head), rest
    return None, text


def parse(message):
    text = (message or "").strip()
    match = _HEAD.match(text)
    if not match:
        return Command(UNKNOWN)
    keyword = match.group(1).lower()
    rest = match.group(2).strip()

    if keyword in ("help", "menu") and not rest:
        return Command(MENU)
    if keyword in REQUEST_KEYWORDS:
        return Command(REQUEST, text=rest) if rest else Command(INVALID, text=REQUEST)
    if keyword == CEK:
        if not rest:
            return Command(CEK_LIST)
        id_track = parse_tracking_id(rest)
        return Command(CEK, id_track=id_track) if id_track else Command(INVALID, text=CEK)
    if keyword == TRACK:
        id_track = parse_tracking_id(rest)
        return Command(TRACK, id_track=id_track) if id_track else Command(INVALID, text=TRACK)
    if keyword in (HELP2, JOB):
        return Command(keyword)
    if keyword in (START, REPORT, FINISH, SELESAI):
        id_track, remainder = split_id(rest)
        if id_track is None:
            return Command(INVALID, text=keyword)
        if keyword == SELESAI:
            rating, comment = parse_rating(remainder)
            return Command(SELESAI, text=comment, id_track=id_track, rating=rating)
        return Command(keyword, text=remainder, id_track=id_track)
    return Command(UNKNOWN)
