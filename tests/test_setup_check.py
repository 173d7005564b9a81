"""What run.sh and the worker tell an operator about the WhatsApp provider's settings."""

import pytest

from app import setup_check

BASE = "http://127.0.0.1:5000"
CLOUD = {
    "WA_PROVIDER": "cloud",
    "WHATSAPP_PHONE_NUMBER_ID": "1",
    "WHATSAPP_ACCESS_TOKEN": "t",
    "WHATSAPP_APP_SECRET": "s",
    "WHATSAPP_VERIFY_TOKEN": "v",
}


@pytest.mark.parametrize(
    "config, urls",
    [
        (
            {"WA_PROVIDER": "log"},
            ["/webhook/fonnte", "/webhook/fonnte/status", "/webhook/fonnte/device", "/webhook/whatsapp"],
        ),
        ({"WA_PROVIDER": "fonnte"}, ["/webhook/fonnte", "/webhook/fonnte/status", "/webhook/fonnte/device"]),
        (
            {"WA_PROVIDER": "fonnte", "WEBHOOK_TOKEN": "rahasia"},
            [
                "/webhook/fonnte?token=rahasia",
                "/webhook/fonnte/status?token=rahasia",
                "/webhook/fonnte/device?token=rahasia",
            ],
        ),
        (CLOUD, ["/webhook/whatsapp"]),
        (
            {"WA_PROVIDER": "fonnte", "WEBHOOK_TOKEN": "a+b&c"},
            [
                "/webhook/fonnte?token=a%2Bb%26c",
                "/webhook/fonnte/status?token=a%2Bb%26c",
                "/webhook/fonnte/device?token=a%2Bb%26c",
            ],
        ),
    ],
)
def test_the_webhooks_listed_are_those_of_the_provider_in_use(config, urls):
    assert [url for _, url in setup_check.webhook_lines(config, BASE)] == [BASE + u for u in urls]


@pytest.mark.parametrize(
    "config, expected",
    [
        ({"WA_PROVIDER": "log"}, []),
        ({"WA_PROVIDER": "fonnte", "FONNTE_TOKEN": "x"}, []),
        (
            {"WA_PROVIDER": "fonnte", "FONNTE_TOKEN": None},
            ["WA_PROVIDER=fonnte membutuhkan FONNTE_TOKEN: belum diatur."],
        ),
        (CLOUD, []),
        (
            {**CLOUD, "WHATSAPP_APP_SECRET": "", "WHATSAPP_VERIFY_TOKEN": None},
            ["WA_PROVIDER=cloud membutuhkan WHATSAPP_APP_SECRET, WHATSAPP_VERIFY_TOKEN: belum diatur."],
        ),
        (
            {"WA_PROVIDER": "merpati"},
            ["WA_PROVIDER=merpati tidak dikenal (pilihan: log, fonnte, cloud); pesan tidak terkirim."],
        ),
    ],
)
def test_missing_settings_are_named(config, expected):
    assert setup_check.warnings(config) == expected


def test_the_command_prints_them(app_factory):
    app = app_factory(WA_PROVIDER="cloud", WHATSAPP_APP_SECRET="s")
    result = app.test_cli_runner().invoke(args=["setup-info", "--url", "http://sarpras.example/"])
    assert result.exit_code == 0
    assert (
        "http://sarpras.example/webhook/whatsapp" in result.output and "/webhook/fonnte" not in result.output
    )
    assert "PERINGATAN: WA_PROVIDER=cloud membutuhkan WHATSAPP_PHONE_NUMBER_ID" in result.output


PRODUCTION = {
    "SQLALCHEMY_DATABASE_URI": "mysql+pymysql://sarpras:x@127.0.0.1/sarpras",
    "WA_PROVIDER": "fonnte",
    "FONNTE_TOKEN": "t",
    "WEBHOOK_TOKEN": "w",
    "EMBEDDED_WORKER": "off",
    "SESSION_COOKIE_SECURE": True,
    "PROXY_COUNT": 1,
}


@pytest.mark.parametrize(
    "changes, env_file, expected",
    [
        ({}, True, []),
        ({}, False, ["Berkas .env belum ada"]),
        (
            {"SQLALCHEMY_DATABASE_URI": "sqlite:////srv/sarpras/instance/sarpras.db"},
            True,
            ["Basis data SQLite"],
        ),
        ({"WA_PROVIDER": "log"}, True, ["WA_PROVIDER=log"]),
        ({"FONNTE_TOKEN": None}, True, ["membutuhkan FONNTE_TOKEN"]),
        ({"WEBHOOK_TOKEN": None}, True, ["WEBHOOK_TOKEN belum"]),
        ({"EMBEDDED_WORKER": "on"}, True, ["EMBEDDED_WORKER=on"]),
        ({"EMBEDDED_WORKER": "auto"}, True, []),  # gunicorn never starts one under auto
        ({"SESSION_COOKIE_SECURE": False}, True, ["SESSION_COOKIE_SECURE=on belum"]),
        ({"PROXY_COUNT": 0}, True, ["PROXY_COUNT=1 belum"]),
    ],
)
def test_production_lacks_are_named(changes, env_file, expected):
    lines = setup_check.production_warnings({**PRODUCTION, **changes}, env_file)
    assert len(lines) == len(expected)
    for line, start in zip(lines, expected, strict=True):
        assert start in line


def test_the_production_report_says_how_to_make_the_first_administrator(app):
    from app.extensions import db
    from app.models import Admin

    runner = app.test_cli_runner()
    result = runner.invoke(args=["setup-info", "--production", "--url", "https://sarpras.example"])
    assert result.exit_code == 0, result.output
    assert "https://sarpras.example/webhook/fonnte" in result.output
    assert "BELUM: WA_PROVIDER=log" in result.output
    assert "create-admin" not in result.output  # the demo cast has an Administrator

    with app.app_context():
        db.session.query(Admin).filter(Admin.level == "Administrator").delete()
        db.session.commit()
    result = runner.invoke(args=["setup-info", "--production"])
    assert result.exit_code == 0, result.output
    assert "Belum ada Administrator aktif" in result.output
    assert "create-admin --username" in result.output
