"""A webhook body as JSON, or BadBody: whatever cannot be read is a 400, never a 500.

json.loads recurses once per level of nesting, so a body nested 50,000 deep raised
RecursionError; a body merely deep (hundreds of levels) could still do so later, in str()
or repr(). No provider sends more than a handful of levels.
"""

import json

MAX_DEPTH = 32


class BadBody(ValueError):
    pass


def _no_constant(name):
    # NaN and Infinity are not JSON, and int(Infinity) raises OverflowError downstream.
    raise ValueError(f"{name} bukan nilai JSON")


def load_json(raw):
    """The JSON value of raw (bytes or str); BadBody when it is not JSON or too deep."""
    try:
        value = json.loads(raw, parse_constant=_no_constant)
    except RecursionError:
        raise BadBody(f"JSON bersarang terlalu dalam (paling banyak {MAX_DEPTH} tingkat)") from None
    except ValueError:
        raise BadBody("isi permintaan bukan JSON yang sah") from None
    if depth(value) > MAX_DEPTH:
        raise BadBody(f"JSON bersarang terlalu dalam (paling banyak {MAX_DEPTH} tingkat)")
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
