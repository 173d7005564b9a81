"""A worker's send journal: what its send threads did with the batch in progress.

A line just before each send ("started") and one with its outcome just after, appended to
a file of the worker's own in the instance folder. Outcomes reach the database once per
batch (outbox.record), and then the journal is emptied. A worker killed in the middle
leaves the journal behind; outbox.reclaim_stale replays it: outcomes as the dead worker
would have recorded them, a send started without an outcome in doubt, a row without a
line untried.

No fsync: a killed process loses nothing it wrote (the page cache outlives it), and
writing to the page cache costs microseconds where a commit per message cost the replies
their latency. A machine crash can lose lines; the header's boot id tells replay() the
journal is from before the restart, and then only the lines that survived count.
"""

import json
import os
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

from .http import TransportError

FOLDER = "outbox-journal"
# Texts are cut: the database keeps them whole when the batch is recorded; a replay only
# needs enough to show the admin what happened, and short lines stay single writes.
TEXT_LIMIT = 300


def path_for(instance_dir, owner):
    """The journal of the worker named `owner` (lease.owner_name())."""
    return Path(instance_dir) / FOLDER / f"{re.sub(r'[^A-Za-z0-9._-]', '_', owner)}.jsonl"


def boot_id():
    """Which run of the machine this is (Linux); '' where it cannot be known."""
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text().strip()
    except OSError:
        return ""


def header_line(owner, boot):
    return _line({"owner": owner, "boot": boot})


def started_line(ido):
    return _line({"ido": ido})


def outcome_line(result):
    """The line from which outbox.Result is built again (held rows are never written)."""
    entry = {
        "ido": result.ido,
        "provider": result.provider,
        "id": result.provider_id or "",
        "note": result.keterangan[:TEXT_LIMIT],
        "parts": [str(part) for part in result.part_ids],
    }
    error = result.error
    if error is not None:
        entry["error"] = {
            "text": str(error)[:TEXT_LIMIT],
            "permanent": bool(getattr(error, "permanent", False)),
            "in_doubt": bool(getattr(error, "in_doubt", False)),
            "retry_after": getattr(error, "retry_after", None),
            "progress": getattr(error, "progress", None),
        }
    return _line(entry)


def _line(entry):
    return (json.dumps(entry, ensure_ascii=False, separators=(",", ":")) + "\n").encode()


@dataclass
class Contents:
    """What a journal says: whose it is, the outcomes known, and the rows whose send
    started but whose outcome never came."""

    owner: str = ""
    boot: str = ""
    outcomes: dict = field(default_factory=dict)  # ido -> outbox.Result
    started: set = field(default_factory=set)

    def in_doubt(self):
        return self.started - set(self.outcomes)


def parse(data, make_result):
    """Contents of a journal's bytes. A line that does not parse is skipped: the last one
    may have been cut short by the kill. `make_result` is outbox.Result."""
    contents = Contents()
    for raw in data.split(b"\n"):
        try:
            entry = json.loads(raw)
            if "owner" in entry:
                contents.owner, contents.boot = str(entry["owner"]), str(entry["boot"])
            elif "provider" in entry:
                contents.outcomes[int(entry["ido"])] = _result(entry, make_result)
            else:
                contents.started.add(int(entry["ido"]))
        except (ValueError, TypeError, KeyError, AttributeError):
            continue
    return contents


def _result(entry, make_result):
    error = None
    if "error" in entry:
        found = entry["error"]
        error = TransportError(
            found["text"],
            permanent=found["permanent"],
            retry_after=found["retry_after"],
            in_doubt=found["in_doubt"],
        )
        error.progress = found["progress"]
    return make_result(
        int(entry["ido"]),
        str(entry["provider"]),
        str(entry["id"]),
        error=error,
        keterangan=str(entry["note"]),
        part_ids=tuple(entry["parts"]),
    )


def read(path, make_result):
    """Contents of the journal at `path`, or None when there is none."""
    try:
        return parse(Path(path).read_bytes(), make_result)
    except FileNotFoundError:
        return None


def left_behind(instance_dir, make_result):
    """(path, Contents) of every journal in the instance folder with a header: the caller
    picks those of workers that are gone."""
    for path in sorted((Path(instance_dir) / FOLDER).glob("*.jsonl")):
        contents = read(path, make_result)
        if contents is not None and contents.owner:
            yield path, contents


class Journal:
    """The open journal of a running worker; its send threads share it."""

    def __init__(self, instance_dir, owner):
        self.path = path_for(instance_dir, owner)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_TRUNC, 0o600)
        self.header = header_line(owner, boot_id())
        # One os.write() per line on an O_APPEND file, and a lock besides: lines of two
        # send threads never mix, whatever their length.
        self.lock = threading.Lock()
        self._write(self.header)

    def started(self, ido):
        self._write(started_line(ido))

    def finished(self, result):
        self._write(outcome_line(result))

    def _write(self, line):
        with self.lock:
            os.write(self.fd, line)

    def clear(self):
        """The batch is in the database: the journal keeps its header only."""
        os.ftruncate(self.fd, len(self.header))

    def close(self):
        """A worker that stops with nothing in progress leaves no journal behind."""
        empty = os.fstat(self.fd).st_size <= len(self.header)
        os.close(self.fd)
        if empty:
            self.path.unlink(missing_ok=True)
