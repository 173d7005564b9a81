"""Throttling password guessing, shared by every web process through the database (as
django-axes does): failed logins are rows of tb_login_gagal.

Two limits, each over the last LOGIN_FAILURE_WINDOW_SECONDS: failures of one username
from one client address, and (higher) failures from one client address whatever the
username. An attacker therefore locks out only themself: the right password from any
other address still logs in.

Each attempt is written (and committed) before the password is checked and counted with
every attempt that other processes wrote, so parallel guesses cannot slip past the limit
between a check and a write; the row of an attempt that succeeds or is refused goes away
again, the row of a wrong password stays as the failure.
"""

import math
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, select

from . import clock
from .database import run_in_transaction
from .extensions import db
from .models import LoginGagal


@dataclass(frozen=True)
class Limits:
    per_account_and_address: int
    per_address: int
    window: timedelta

    @classmethod
    def from_config(cls, config):
        return cls(
            config["LOGIN_FAILURES_PER_ACCOUNT_AND_ADDRESS"],
            config["LOGIN_FAILURES_PER_ADDRESS"],
            timedelta(seconds=config["LOGIN_FAILURE_WINDOW_SECONDS"]),
        )


@dataclass(frozen=True)
class Attempt:
    id: int
    username: str
    address: str
    retry_after: int  # seconds to wait; 0: go on and check the password


def wait_seconds(times, limit, window, now):
    """Whole seconds until fewer than `limit` of these earlier attempts (newest first)
    are younger than `window`; 0 when that is already so."""
    recent = [moment for moment in times if moment > now - window]
    if len(recent) < limit:
        return 0
    return max(1, math.ceil((recent[limit - 1] + window - now).total_seconds()))


def _key(username):
    return (username or "").strip().lower()[:50]


def _earlier(address, username, limit, window, now, own_id):
    """The times of the newest `limit` other attempts in the window, in flight ones of
    other processes included (a race then refuses too many, never too few)."""
    query = select(LoginGagal.waktu).where(
        LoginGagal.alamat == address, LoginGagal.waktu > now - window, LoginGagal.id != own_id
    )
    if username is not None:
        query = query.where(LoginGagal.username == username)
    return db.session.execute(query.order_by(LoginGagal.waktu.desc()).limit(limit)).scalars().all()


def begin(username, address, config):
    """Record an attempt about to be checked; its retry_after says whether to check it.
    Nothing more is needed for a wrong password: the attempt's row stays as the failure."""
    limits = Limits.from_config(config)
    username, address = _key(username), (address or "")[:64]

    def insert():
        row = LoginGagal(username=username, alamat=address, waktu=clock.utcnow())
        db.session.add(row)
        db.session.flush()
        return row.id

    own_id = run_in_transaction(insert)
    now = clock.utcnow()
    # None: every username from this address.
    checks = ((username, limits.per_account_and_address), (None, limits.per_address))
    wait = max(
        wait_seconds(_earlier(address, name, limit, limits.window, now, own_id), limit, limits.window, now)
        for name, limit in checks
    )
    db.session.commit()
    if wait:
        _remove(LoginGagal.id == own_id)
    return Attempt(own_id, username, address, wait)


def succeeded(attempt):
    """The right password: this username's failures from this address are forgiven
    (those from the address as a whole are not, or an attacker's own account would
    reset them)."""
    _remove(LoginGagal.alamat == attempt.address, LoginGagal.username == attempt.username)


def _remove(*conditions):
    run_in_transaction(lambda: db.session.execute(delete(LoginGagal).where(*conditions)))


def purge(config):
    """Worker job: failures older than the window count for nothing any more."""
    window = timedelta(seconds=config["LOGIN_FAILURE_WINDOW_SECONDS"])

    def work():
        return db.session.execute(
            delete(LoginGagal).where(LoginGagal.waktu < clock.utcnow() - window)
        ).rowcount

    return run_in_transaction(work)
