"""A lease in tb_kunci: whoever holds it runs the scheduled jobs; others stand by."""

import os
import socket
import uuid
from datetime import timedelta

from sqlalchemy import or_, update
from sqlalchemy.exc import IntegrityError

from . import clock
from .database import run_in_transaction
from .extensions import db
from .models import Kunci


def owner_name():
    """host:pid:random — who holds a lease, readable by an admin and by dead_here()."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def dead_here(owner):
    """True when `owner` ran on this machine and its process is gone (killed, or a
    development server stopped before it could let go): waiting out its lease would hold
    every reply back for half a minute after a restart."""
    host, _, rest = owner.partition(":")
    pid = rest.partition(":")[0]
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False  # alive, but another user's process
    return False


def acquire(name, owner, seconds):
    """Take or renew the lease; True when `owner` holds it afterwards."""

    def work():
        now = clock.utcnow()
        until = now + timedelta(seconds=seconds)
        taken = db.session.execute(
            update(Kunci)
            .where(Kunci.nama == name, or_(Kunci.pemilik == owner, Kunci.berlaku_sampai < now))
            .values(pemilik=owner, berlaku_sampai=until)
        ).rowcount
        if taken:
            return True
        held = db.session.get(Kunci, name)
        if held is not None and dead_here(held.pemilik):
            return bool(
                db.session.execute(
                    update(Kunci)
                    .where(Kunci.nama == name, Kunci.pemilik == held.pemilik)
                    .values(pemilik=owner, berlaku_sampai=until)
                ).rowcount
            )
        if held is not None:
            return False  # held by another worker whose lease is still valid
        try:
            with db.session.begin_nested():
                db.session.add(Kunci(nama=name, pemilik=owner, berlaku_sampai=until))
            return True
        except IntegrityError:
            return False

    return run_in_transaction(work)


def release(name, owner):
    run_in_transaction(
        lambda: db.session.execute(
            update(Kunci)
            .where(Kunci.nama == name, Kunci.pemilik == owner)
            .values(berlaku_sampai=clock.utcnow() - timedelta(seconds=1))
        )
    )
