"""What tests that start the app as a process of its own share: a free port, and the
environment that points such a process at the test's database and the loopback Fonnte."""

import os
import socket


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def app_environment(app, fonnte, **settings):
    return dict(
        os.environ,
        DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
        INSTANCE_PATH=app.config["INSTANCE_DIR"],
        SECRET_KEY="test",
        WA_PROVIDER="fonnte",
        FONNTE_TOKEN=fonnte.token,
        FONNTE_API_URL=fonnte.url,
        **settings,
    )
