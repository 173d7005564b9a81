"""The report page's "List Respon": this report's WhatsApp messages first, then the
reporter's other messages, each part bounded.

Every query is found through an index of tb_in (id_track, or telepon with the id in it);
the text is searched only among the reporter's own messages.
"""

from dataclasses import dataclass

from sqlalchemy import select

from ..extensions import db
from ..models import Admin, PesanMasuk
from ..reporting import commands

LIMIT = 100


@dataclass(frozen=True)
class Conversation:
    this: list  # this report's messages, oldest first
    other: list  # the reporter's other messages, newest first
    opener: int | None  # tb_in.idn of the message that opened the report
    senders: dict  # a number other than the reporter's -> the admin or TBO it belongs to


def queries(report, limit=LIMIT):
    """The statements behind of_report(), newest first each (tests EXPLAIN them)."""
    newest = PesanMasuk.idn.desc()
    return {
        "by_number": select(PesanMasuk)
        .where(PesanMasuk.id_track == report.id_track)
        .order_by(newest)
        .limit(limit),
        # Only the reporter's messages are searched: LIKE on the whole table would read all of it.
        "naming": select(PesanMasuk)
        .where(
            PesanMasuk.telepon == report.telepon,
            PesanMasuk.id_track != report.id_track,
            PesanMasuk.pesan.like(f"%{commands.tracking_digits(report.id_track)}%"),
        )
        .order_by(newest)
        .limit(limit),
        "from_reporter": select(PesanMasuk).where(PesanMasuk.telepon == report.telepon).order_by(newest),
    }


def of_report(report, limit=LIMIT):
    statements = queries(report, limit)
    rows = {m.idn: m for m in db.session.execute(statements["by_number"]).scalars()}
    # A report the app opened itself (an outage, app/netmon/tickets.py) has no reporter's
    # number: it has no messages of its own reporter to look through.
    has_reporter = bool(report.telepon)
    if has_reporter:
        for message in db.session.execute(statements["naming"]).scalars():
            if commands.names_tracking_id(message.pesan, report.id_track):
                rows[message.idn] = message
    this = sorted(rows.values(), key=lambda m: m.idn)[-limit:]
    other = []
    if has_reporter:
        # Enough of the reporter's latest to fill the list after leaving out the ones above.
        latest = db.session.execute(statements["from_reporter"].limit(limit + len(this))).scalars()
        other = [m for m in latest if m.idn not in rows][:limit]
    opener = next(
        (m.idn for m in this if m.telepon == report.telepon and m.id_track == report.id_track), None
    )
    strangers = {m.telepon for m in this if m.telepon != report.telepon}
    senders = {}
    if strangers:
        senders = dict(
            db.session.execute(
                select(Admin.telepon, Admin.nama_admin).where(Admin.telepon.in_(strangers))
            ).all()
        )
    return Conversation(this=this, other=other, opener=opener, senders=senders)
