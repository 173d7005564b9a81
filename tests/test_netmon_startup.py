"""The ROUTEROS_* router is added when the worker starts, and kept in step with it."""

from app.extensions import db
from app.models import Router
from app.netmon import passwords, routers
from app.worker import Worker
from tests.conftest import reset_database
from tests.waiting import wait_until

CONFIG = dict(
    ROUTEROS_HOST="127.0.0.1", ROUTEROS_PORT=8728, ROUTEROS_USER="monitor", ROUTEROS_PASSWORD="satu"
)


def stored(app):
    with app.app_context():
        row = db.session.query(Router).one()
        return row.nama, row.host, row.port, row.tls, row.username, passwords.unseal(row.password), row.sumber


def test_the_worker_adds_the_configured_router_when_it_starts(app_factory):
    # NETMON_INTERVAL is long: the router is never polled here, only added.
    app = app_factory(NETMON_INTERVAL=3600, **CONFIG)
    reset_database(app)
    worker = Worker(app).start()
    try:
        assert wait_until(worker.active.is_set)
        assert stored(app) == ("utama", "127.0.0.1", 8728, False, "monitor", "satu", "config")
    finally:
        worker.stop()


def test_a_changed_environment_updates_the_row_and_8729_means_tls(app_factory):
    app = app_factory(**CONFIG)
    reset_database(app)
    with app.app_context():
        routers.ensure_config_router(app.config)
    changed = app_factory(**dict(CONFIG, ROUTEROS_PORT=8729, ROUTEROS_PASSWORD="dua"))
    with changed.app_context():
        routers.ensure_config_router(changed.config)
    assert stored(app)[2:6] == (8729, True, "monitor", "dua")


def test_nothing_is_added_without_routeros_host(app):
    with app.app_context():
        assert routers.ensure_config_router(app.config) is None
        assert db.session.query(Router).count() == 0
