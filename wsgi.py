"""WSGI entry point: `gunicorn wsgi:app`, `flask --app wsgi ...`."""

import os

from app import create_app
from app.startup_errors import check_app_database, exit_on_setup_error

# The import of app has read .env into the environment.
with exit_on_setup_error(os.environ.get("DATABASE_URL", "").strip()):
    app = create_app()
    if os.environ.get("FLASK_RUN_FROM_CLI") != "true":
        # Served by gunicorn: a database that cannot be used at all stops the start with
        # one line (the `flask` commands check for themselves, and `flask --help` needs
        # no database).
        check_app_database(app)
