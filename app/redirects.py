"""Where a login may send the browser next: only a path on this site.

The `next` value ends up in a Location header, and a browser cleans that before it
reads it (WHATWG URL parsing): it drops tabs and newlines anywhere, trims control
characters and spaces at both ends, and takes a backslash for a slash. `/\t/evil.example`
or `/\\evil.example` therefore become `//evil.example`, another site. We judge the
value as the browser will see it, and also every percent-decoded form of it, because a
proxy or a second redirect may decode it once more.
"""

from urllib.parse import unquote, urlsplit

_TAB_OR_NEWLINE = str.maketrans("", "", "\t\n\r")
_C0_AND_SPACE = "".join(chr(code) for code in range(0x21))
_MAX_DECODINGS = 4


def browser_clean(value):
    """The URL as a browser reads it before parsing (for http and https)."""
    return value.translate(_TAB_OR_NEWLINE).strip(_C0_AND_SPACE).replace("\\", "/")


def _is_local_path(cleaned):
    if not cleaned.startswith("/") or cleaned.startswith("//"):
        return False
    if any(ord(char) < 0x20 or ord(char) == 0x7F for char in cleaned):
        return False
    parts = urlsplit(cleaned)
    return not parts.scheme and not parts.netloc


def same_site_path(target):
    """`target` cleaned as the browser will clean it when it is a path on this site
    (query string kept), else None."""
    if not target:
        return None
    cleaned = browser_clean(target)
    form = target
    for _ in range(_MAX_DECODINGS):
        if not _is_local_path(browser_clean(form)):
            return None
        decoded = unquote(form)
        if decoded == form:
            return cleaned
        form = decoded
    return None
