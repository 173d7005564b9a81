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
