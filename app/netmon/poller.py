"""The Netwatch poller: a worker job that reads /tool/netwatch of every enabled router.

Each router is read on a thread of its own that lives as long as the router is polled,
so each keeps its one RouterOS connection; a slow or vanished router delays nobody else.
What was read is written from the job's thread, one transaction per router.
"""

import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

from .. import clock
from . import passwords, router_clocks, routeros, routers, routertime, service, tickets

log = logging.getLogger("sarpras.netmon")

_lock = threading.Lock()
_threads = {}  # router id -> single-thread executor


def _executor(router_id):
    with _lock:
        executor = _threads.get(router_id)
        if executor is None:
            executor = _threads[router_id] = ThreadPoolExecutor(
                1, thread_name_prefix=f"netmon-router-{router_id}"
            )
        return executor


def on_router_thread(router_id, func, *args):
    """Run func(*args) on the router's own thread (its connection); a future."""
    return _executor(router_id).submit(func, *args)


def _forget_except(router_ids):
    with _lock:
        for router_id in set(_threads) - set(router_ids):
            _threads.pop(router_id).shutdown(wait=False)


def _read(target, zone, read_clock):
    """On the router's thread: its clock when due (whose zone then reads `since`), and
    its Netwatch. Returns (routertime.Reading or None, entries)."""
    reading = None
    if read_clock:
        try:
            reading = routeros.system_clock(target)
        except routeros.RouterRefused:
            # A user without the right to read it: the clock stays unknown (and is
            # not believed) rather than the router counted as lost.
            reading = routertime.Reading("", None, None, None, clock.utcnow())
        zone = reading.zone or zone
    return reading, routeros.netwatch(target, zone)


def poll_all(config):
    """One round over every enabled router; returns {router id: events or error text}."""
    server_zone = clock.zone()
    reads = {}
    for router in routers.enabled():
        try:
            target = routers.target_for(router)
        except passwords.PasswordUnreadable as error:
            reads[router.id_router] = (clock.utcnow(), None, str(error))
            continue
        read_at = clock.utcnow()
        zone = router_clocks.zone(router) or server_zone
        due = router_clocks.due(router, read_at)
        reads[router.id_router] = (
            read_at,
            _executor(router.id_router).submit(_read, target, zone, due),
            "",
        )
    _forget_except(reads)
    wait = config["NETMON_ROUTER_TIMEOUT"] * 3 + 1
    results = {router_id: _apply(router_id, read, wait) for router_id, read in reads.items()}
    # Outages long enough become reports here, at the poll interval, in the worker only.
    tickets.open_due(config)
    return results


def _apply(router_id, read, wait):
    read_at, future, error = read
    if future is not None:
        try:
            reading, entries = future.result(timeout=wait)
        except routeros.RouterError as failure:
            error = str(failure)
        except FutureTimeout:
            error = "Router tidak menjawab dalam batas waktu"
        else:
            return service.apply_netwatch(router_id, entries, read_at, reading)
    log.warning("router #%s: %s", router_id, error)
    service.router_lost(router_id, error)
    return error
