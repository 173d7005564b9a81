"""The one place that turns phone numbers into canonical form: 62…, digits only."""

import re
import unicodedata

_NON_DIGITS = re.compile(r"[^0-9]")
# '+62 (0) 812 …': the trunk 0 written in brackets after the country code.
_TRUNK_ZERO = re.compile(r"\(\s*0\s*\)")


def normalize_phone(raw):
    """'0812-…', '+62 812 …', '62812…' and '812…' all become '62812…'.

    Returns None when what is left cannot be a phone number.
    """
    if raw is None:
        return None
    text = str(raw).strip()
    # WhatsApp ids may carry a device or domain suffix: 6281...@s.whatsapp.net, 6281...:12@...
    text = text.split("@", 1)[0].split(":", 1)[0]
    # Digits of other scripts ('٠٨١٢', full-width '０８１２') as the ASCII ones WhatsApp
    # senders arrive with; left as they were, they would be stored and never matched.
    text = "".join(str(unicodedata.decimal(char)) if char.isdecimal() else char for char in text)
    if text.lstrip().startswith("+"):
        text = _TRUNK_ZERO.sub("", text, count=1)
    digits = _NON_DIGITS.sub("", text)
    if digits.startswith("00"):
        digits = digits[2:]
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    elif digits.startswith("8"):
        digits = "62" + digits
    if not 8 <= len(digits) <= 15:
        return None
    # No country code starts with 0, and no Indonesian number with 0 after the 62:
    # '0000000000' is junk, not a number to send a reply to.
    if digits[0] == "0" or (digits.startswith("62") and digits[2] == "0"):
        return None
    return digits


def display_phone(canonical):
    """62812… as the local 0812… that people read and type."""
    if canonical and canonical.startswith("62"):
        return "0" + canonical[2:]
    return canonical or ""


# Why a stored number would not find its owner: WhatsApp messages arrive from canonical
# numbers and are matched exactly, so anything else leaves the person unrecognised.
EMPTY = "kosong"
UNREADABLE = "tidak terbaca"
NOT_CANONICAL = "bukan bentuk 62…"


def phone_problem(stored, required=True):
    """None when messages from this stored number reach its owner; else EMPTY (and
    `required`), UNREADABLE or NOT_CANONICAL."""
    if not (stored or "").strip():
        return EMPTY if required else None
    canonical = normalize_phone(stored)
    if canonical is None:
        return UNREADABLE
    return NOT_CANONICAL if canonical != stored else None


_TYPED_NUMBER = re.compile(r"^\+?[\d\s\-().]+$")


def typed_number(text):
    """The canonical form of a whole phone number typed into a search box, else None
    (so that '0821-1147-6069' finds the stored 6282111476069)."""
    if not text or not _TYPED_NUMBER.match(text):
        return None
    return normalize_phone(text)
