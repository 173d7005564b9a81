"""A webhook body as JSON, or BadBody: whatever cannot be read is a 400, never a 500.

json.loads recurses once per level of nesting, so a body nested 50,000 deep raised
RecursionError; a body merely deep (hundreds of levels) could still do so later, in str()
or repr(). No provider sends more than a handful of levels.

JSON may spell a lone UTF-16 surrogate ("\\ud800"), which json.loads keeps in the str;
no database driver can encode it, so the same message was a 500 for ever. Every string
in the body (keys too) has such surrogates replaced by U+FFFD, the way a broken byte
sequence reads: the message is stored and answered.
"""

import json
import re

MAX_DEPTH = 32
REPLACEMENT = "\ufffd"
# json.loads joins a valid pair into one character: any surrogate left is a lone one.
_SURROGATE = re.compile("[\ud800-\udfff]")


class BadBody(ValueError):
    pass


def _no_constant(name):
    # NaN and Infinity are not JSON, and int(Infinity) raises OverflowError downstream.
    raise ValueError(f"{name} bukan nilai JSON")


TOO_DEEP = f"JSON bersarang terlalu dalam (paling banyak {MAX_DEPTH} tingkat)"


def load_json(raw):
    """The JSON value of raw (bytes or str); BadBody when it is not JSON or too deep."""
    try:
        value = json.loads(raw, parse_constant=_no_constant)
    except RecursionError:
        raise BadBody(TOO_DEEP) from None
    except ValueError:
        raise BadBody("isi permintaan bukan JSON yang sah") from None
    if depth(value) > MAX_DEPTH:
        raise BadBody(TOO_DEEP)
    return without_surrogates(value)


def without_surrogates(value):
    """value with every lone surrogate in its strings (and keys) replaced by U+FFFD; the
    depth is already limited, so recursion is safe."""
    if isinstance(value, str):
        return _SURROGATE.sub(REPLACEMENT, value)
    if isinstance(value, list):
        return [without_surrogates(item) for item in value]
    if isinstance(value, dict):
        return {without_surrogates(k): without_surrogates(v) for k, v in value.items()}
    return value


def depth(value):
    """Levels of nesting (a scalar is 0, [] or {} is 1), without recursion."""
    deepest, pending = 0, [(value, 1)]
    while pending:
        item, level = pending.pop()
        if isinstance(item, dict):
            item = list(item.values())
        if isinstance(item, list):
            deepest = max(deepest, level)
            pending.extend((child, level + 1) for child in item if isinstance(child, (dict, list)))
    return deepest
