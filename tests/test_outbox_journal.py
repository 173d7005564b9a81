"""The send journal as lines: written, read back, and a last line cut short by a kill."""

import dataclasses
import os
import threading

import pytest

from app.messaging import journal
from app.messaging.http import TransportError
from app.messaging.outbox import Result

OWNER = "server-1:4242:abc123"


def lines(*parts):
    return b"".join(parts)


def refused():
    error = TransportError("Batas kirim tercapai " + "x" * 5000, retry_after=30)
    error.progress = {"bagian_terkirim": 1, "id_bagian": ["w1"]}
    return error


SENT = Result(7, "fonnte", "F-7", keterangan="diterima", part_ids=("p1", "p2"))
FAILED = Result(8, "cloud", error=refused())
HEADER = journal.header_line(OWNER, "boot-1")


def test_an_outcome_reads_back_as_the_result_it_was():
    contents = journal.parse(lines(HEADER, journal.outcome_line(SENT)), Result)
    assert (contents.owner, contents.boot) == (OWNER, "boot-1")
    assert contents.outcomes == {7: SENT}


def test_a_failure_reads_back_with_what_the_retry_needs():
    back = journal.parse(journal.outcome_line(FAILED), Result).outcomes[8]
    assert (back.ido, back.provider) == (8, "cloud")
    assert str(back.error).startswith("Batas kirim tercapai xxx")
    assert len(str(back.error)) == journal.TEXT_LIMIT  # long texts are cut
    assert (back.error.permanent, back.error.in_doubt, back.error.retry_after) == (False, False, 30)
    assert back.error.progress == {"bagian_terkirim": 1, "id_bagian": ["w1"]}


@pytest.mark.parametrize(
    "data, outcomes, in_doubt",
    [
        (lines(HEADER), set(), set()),
        (lines(HEADER, journal.started_line(7)), set(), {7}),
        (lines(HEADER, journal.started_line(7), journal.outcome_line(SENT)), {7}, set()),
        # the kill cut the last line short: as if it had not been written
        (lines(HEADER, journal.started_line(7), journal.outcome_line(SENT)[:-9]), set(), {7}),
        (lines(HEADER, journal.started_line(7), journal.started_line(8)[:5]), set(), {7}),
        (lines(HEADER, journal.started_line(7), b'{"ido": "x"}\n'), set(), {7}),
        (lines(HEADER, journal.started_line(7), b"[1, 2]\n", b"\xff\xfe\n"), set(), {7}),
        (lines(HEADER, journal.started_line(7), b'{"ido": 9, "provider": "fonnte"}\n'), set(), {7}),
        (b"", set(), set()),
    ],
    ids=["header", "started", "done", "cut-outcome", "cut-start", "bad-id", "junk", "missing-keys", "empty"],
)
def test_what_a_journal_says(data, outcomes, in_doubt):
    contents = journal.parse(data, Result)
    assert (set(contents.outcomes), contents.in_doubt()) == (outcomes, in_doubt)


def test_a_journal_keeps_only_the_batch_in_progress(tmp_path):
    notes = journal.Journal(tmp_path, OWNER)
    assert notes.path == tmp_path / journal.FOLDER / "server-1_4242_abc123.jsonl"
    notes.started(7)
    notes.finished(SENT)
    notes.clear()
    notes.started(8)
    contents = journal.read(notes.path, Result)
    assert (contents.owner, contents.boot, contents.outcomes, contents.in_doubt()) == (
        OWNER,
        journal.boot_id(),
        {},
        {8},
    )
    notes.close()  # something in progress: kept for whoever takes the claims back
    assert list(journal.left_behind(tmp_path, Result))[0][0] == notes.path

    os.unlink(notes.path)
    journal.Journal(tmp_path, OWNER).close()  # nothing in progress: no file left
    assert journal.read(notes.path, Result) is None
    assert list(journal.left_behind(tmp_path, Result)) == []


def test_lines_of_send_threads_writing_at_once_never_mix(tmp_path):
    notes = journal.Journal(tmp_path, OWNER)
    long_note = Result(
        0, "fonnte", "F", keterangan="k" * 250, part_ids=tuple(f"part-{n}" for n in range(400))
    )

    def write(first):
        for ido in range(first, first + 200):
            notes.started(ido)
            notes.finished(dataclasses.replace(long_note, ido=ido))

    threads = [threading.Thread(target=write, args=(n * 1000,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    notes.close()
    contents = journal.read(notes.path, Result)
    assert len(contents.outcomes) == 800 and contents.in_doubt() == set()
