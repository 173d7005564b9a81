"""Sarpras: WhatsApp reporting, admin panel and network monitor in one Flask app."""

import atexit
import logging
import os
import signal
import sys
import threading
from pathlib import Path

from flask import Flask, request, send_from_directory
from werkzeug.middleware.proxy_fix import ProxyFix

from config import EXIT_CODE, Config, ConfigError

from . import redaction
from .database import engine_options
from .extensions import bootstrap, csrf, db, login_manager, migrate
from .security_headers import init_security_headers

MIGRATIONS_DIR = str(Path(__file__).resolve().parent.parent / "migrations")


def create_app(config=None):
    app = Flask(__name__, instance_relative_config=False)
    settings = read_settings()
    app.config.update({name: value for name, value in vars(settings).items() if name.isupper()})
    if config:
        app.config.update(config)
    app.config.setdefault(
        "SQLALCHEMY_ENGINE_OPTIONS",
        engine_options(app.config["SQLALCHEMY_DATABASE_URI"], app.config["DATABASE_TIMEOUT_SECONDS"]),
    )
    # Bootstrap's CSS and JS come from the Bootstrap-Flask package, never from a CDN.
    app.config["BOOTSTRAP_SERVE_LOCAL"] = True
    if app.config.get("MAX_CONTENT_LENGTH") is None:
        app.config["MAX_CONTENT_LENGTH"] = 2 * 1024 * 1024
    app.instance_path = app.config["INSTANCE_DIR"]
    if app.config["PROXY_COUNT"] > 0:
        # Behind that many reverse proxies the client's address is the one they put in
        # X-Forwarded-For, and the scheme the client used is X-Forwarded-Proto's (the login
        # page warns when a Secure cookie meets plain HTTP); without them the headers are
        # whatever the client wrote.
        count = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    redaction.remember_config(app.config)
    redaction.install_log_redaction()
    # APScheduler reports every job it adds and runs at INFO: noise next to our own log.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    for warning in settings.warnings:
        logging.getLogger("sarpras.config").warning(warning)

    init_upload_limits(app)
    init_security_headers(app)
    init_extensions(app)
    init_blueprints(app)
    init_filters(app)
    init_errors(app)
    init_cli(app)
    init_embedded_worker(app)
    init_readiness()
    return app


def init_readiness():
    from .readiness import remember_head

    remember_head(MIGRATIONS_DIR)


def read_settings():
    """The settings, or the admin's mistakes in them one per line and an exit: the web
    server, the worker and every `flask` command start here, and a traceback would bury
    the one line that says what to fix."""
    try:
        return Config()
    except ConfigError as error:
        for problem in error.problems:
            print(f"Konfigurasi salah: {problem}", file=sys.stderr)
        raise SystemExit(EXIT_CODE) from None


def largest_request_bytes():
    """The largest body any route takes: the pegawai import's file and the form around it
    (so a file just over 5 MB gets the form's own error). nginx's client_max_body_size
    (deploy/nginx-sarpras.conf) is this."""
    from .panel.importer import MAX_BYTES

    return MAX_BYTES + 256 * 1024


def init_upload_limits(app):
    """The pegawai import takes a file of up to 5 MB; every other body stays within
    MAX_CONTENT_LENGTH. A larger body is answered 413 before it is read. Registered before
    CSRFProtect, which reads the form (and so the body) in its own before_request."""
    larger = {"admin.pegawai_import": largest_request_bytes()}

    @app.before_request
    def allow_larger_uploads():
        if request.endpoint in larger:
            request.max_content_length = max(larger[request.endpoint], app.config["MAX_CONTENT_LENGTH"])


def init_extensions(app):
    from . import models  # noqa: F401  (tables must be known to the metadata)

    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS_DIR)
    csrf.init_app(app)
    login_manager.init_app(app)
    bootstrap.init_app(app)


def init_blueprints(app):
    from .blueprints.admin import bp as admin_bp
    from .blueprints.netmon import bp as netmon_bp
    from .blueprints.webhook import bp as webhook_bp

    app.register_blueprint(webhook_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(netmon_bp)
    # Browsers ask for /favicon.ico whatever the page links; answer it rather than a 404.
    app.add_url_rule(
        "/favicon.ico",
        "favicon",
        lambda: send_from_directory(app.static_folder, "favicon.ico", mimetype="image/vnd.microsoft.icon"),
    )


def init_filters(app):
    from . import clock
    from .reporting.dates import tanggal_panjang, tanggal_pendek

    app.add_template_filter(tanggal_panjang, "tanggal")
    app.add_template_filter(tanggal_pendek, "tanggal_pendek")
    app.add_template_filter(lambda utc: clock.to_local(utc).strftime("%H:%M"), "waktu_lokal")
    app.add_template_filter(lambda utc: clock.to_local(utc).strftime("%d/%m/%Y %H:%M"), "tanggal_jam_lokal")
    app.add_template_filter(
        lambda utc: clock.to_local(utc).strftime("%d/%m/%Y %H:%M:%S"), "tanggal_jam_detik_lokal"
    )


def init_errors(app):
    from .errors import register

    register(app)


def init_cli(app):
    from .cli import register

    register(app)


def _stop_at_exit(worker):
    """Let go of the worker lease when the development server stops, so a restart sends
    replies at once. SIGTERM would end the process without running atexit: turn it into
    a normal exit (only the main thread may set a handler, and only if none is set)."""
    atexit.register(worker.stop)
    if threading.current_thread() is threading.main_thread() and signal.getsignal(signal.SIGTERM) in (
        signal.SIG_DFL,
        None,
    ):
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))


def init_embedded_worker(app):
    """Run the worker inside this process when EMBEDDED_WORKER says so.

    'on' starts it with the app, except in a `flask` command that serves nothing
    (init-db, seed-demo, worker...). 'auto', the default, starts it under the Flask
    development server only, so gunicorn processes never run one of their own.
    """
    mode = app.config["EMBEDDED_WORKER"]
    if app.testing or mode in ("0", "off", "false", "no"):
        return
    in_flask_cli = os.environ.get("FLASK_RUN_FROM_CLI") == "true"
    serving = "run" in sys.argv[1:]
    lock = threading.Lock()
    state = {}

    def start():
        with lock:
            if "worker" not in state:
                from .worker import Worker

                state["worker"] = Worker(app).start()
                _stop_at_exit(state["worker"])
        return state["worker"]

    app.extensions["embedded_worker"] = state
    if in_flask_cli:
        if serving:
            start()
        return
    if mode in ("1", "on", "true", "yes"):
        start()
        return

    @app.before_request
    def _start_under_dev_server():
        if "worker" not in state and request.environ.get("SERVER_SOFTWARE", "").startswith("Werkzeug"):
            start()
