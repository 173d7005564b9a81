"""Each router's own clock as stored on its row: when to read it, what zone its times are
in, whether they are believed, and the one Telegram message about a clock that is off.
Writes run in the caller's transaction."""

from dataclasses import dataclass
from datetime import timedelta

from ..models.netmon import UP
from . import alerts, routertime, texts

# Read on connecting (the first poll, and the first after the router was lost: a router
# without a battery-backed clock starts again from its default after a reboot) and hourly.
EVERY = timedelta(hours=1)


def due(router, now):
    return router.jam_dibaca is None or router.status != UP or now - router.jam_dibaca >= EVERY


def zone(router):
    """The zone of the router's times as last read; None when not known. A named zone is
    taken as it is, so a change to or from summer time between readings is followed."""
    return routertime.zone_of(router.zona_waktu, router.selisih_gmt)


def trusted(router):
    """Whether the router's times (Netwatch's `since`, log lines) are stored as they are;
    when not, what came from it is dated by the server's clock on receipt."""
    return routertime.trusted(router.selisih_jam)


def note(router, reading, now):
    """Store a reading of /system/clock; a clock that is off is told on Telegram once,
    and again only after it was right in between."""
    router.zona_waktu = (reading.zone_name or "")[:64]
    router.selisih_gmt = reading.offset
    router.selisih_jam = reading.skew
    router.jam_dibaca = now
    if reading.skew is None:
        return
    if routertime.trusted(reading.skew):
        router.jam_dikabarkan = False
        return
    if router.jam_dikabarkan:
        return
    text = texts.router_clock_off(
        router.nama,
        alerts.to_local(reading.router_utc),
        alerts.to_local(reading.server_utc),
        reading.skew,
    )
    alerts.broadcast([text], f"tb_router:{router.id_router}:jam")
    router.jam_dikabarkan = True


@dataclass(frozen=True)
class Shown:
    """A router's clock as the routers page shows it."""

    zone: str  # 'Asia/Makassar (+08:00)', '' before the first reading
    off: bool  # further off the server's clock than the tolerance
    skew: str  # 'selisih 3 detik', '7 jam lebih cepat dari jam server', 'tidak terbaca'


def shown(router):
    if router.jam_dibaca is None:
        return Shown("", False, "")
    offset = f" ({routertime.label(router.selisih_gmt)})" if router.selisih_gmt is not None else ""
    where = f"{router.zona_waktu or '-'}{offset}"
    if router.selisih_jam is None:
        return Shown(where, True, texts.CLOCK_UNREADABLE)
    return Shown(where, not trusted(router), texts.clock_skew(router.selisih_jam))
