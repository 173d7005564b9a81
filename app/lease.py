"""A lease in tb_kunci: whoever holds it runs the scheduled jobs; others stand by."""

from datetime import timedelta

from sqlalchemy import or_, update
from sqlalchemy.exc import IntegrityError

from . import clock
from .database import run_in_transaction
from .extensions import db
from .models import Kunci


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
        if db.session.get(Kunci, name) is not None:
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
