"""WhatsApp command parsing: pure functions from message text to a Command.

Commands are case-insensitive, the leading '#' is optional and extra spaces are ignored
(SPEC "WhatsApp commands"). Nothing here touches the database or the clock.
"""

import re
from dataclasses import dataclass

MENU = "menu"
REQUEST = "request"
REQUEST_EMPTY = "request_empty"
CEK = "cek"
CEK_LIST = "cek_list"
CEK_INVALID = "cek_invalid"
TRACK = "track"
TRACK_INVALID = "track_invalid"
UNKNOWN = "unknown"

REQUEST_KEYWORDS = ("request", "req", "help", "bantu", "tolong")

# The first word, with any leading '#' (and a stray space after it) and trailing
# punctuation such as "#Request:" dropped.
_HEAD = re.compile(r"^#*\s*([^\W_]+)[:.,;!?]*(?:\s+|$)(.*)$", re.DOTALL)
# A tracking number: letters then digits (BRT2409001; older installations used MON...).
_ID = re.compile(r"^[A-Z]{1,10}\d{3,10}$")
# WhatsApp's bold/italic/strike marks, which come along when a reply is copied.
_MARKS = "*_~`'\"()[]<>.,;:!?"


@dataclass(frozen=True)
class Command:
    kind: str
    text: str = ""
    id_track: str = ""


def parse_tracking_id(text):
    """'BRT2409001', 'brt2409001', '*BRT2409001*', 'BRT-2409001', 'brt 2409001' -> 'BRT2409001'."""
    words = text.split()
    if not words:
        return None
    first = words[0].strip(_MARKS).upper()
    if _ID.match(first):
        return first
    joined = re.sub(r"[\s\-/]", "", text).strip(_MARKS).upper()
    if _ID.match(joined):
        return joined
    return None


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
        return Command(REQUEST, text=rest) if rest else Command(REQUEST_EMPTY)
    if keyword == "cek":
        if not rest:
            return Command(CEK_LIST)
        id_track = parse_tracking_id(rest)
        return Command(CEK, id_track=id_track) if id_track else Command(CEK_INVALID)
    if keyword == "track":
        id_track = parse_tracking_id(rest)
        return Command(TRACK, id_track=id_track) if id_track else Command(TRACK_INVALID)
    return Command(UNKNOWN)
