"""Settings: every value a setting cannot take, and every name in .env that is no setting,
is one line saying what is wrong and what to do; the web server, the worker and the
`flask` commands print it and exit non-zero instead of a traceback or a silent default."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

import config
from config import Config, ConfigError, env_file_problems, parse_settings, read_env_file

ROOT = Path(__file__).resolve().parent.parent


def problems_of(**environ):
    return parse_settings(environ)[1]


def write_env(tmp_path, text):
    path = tmp_path / "sarpras.env"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "environ, expected",
    [
        ({}, {"WA_PROVIDER": "log", "ALLOW_GUESTS": True, "OUTBOX_BATCH": 50, "TELEGRAM_ADMIN_CHAT_IDS": []}),
        ({"WA_PROVIDER": " Fonnte "}, {"WA_PROVIDER": "fonnte"}),
        ({"ALLOW_GUESTS": "tidak"}, {"ALLOW_GUESTS": False}),
        ({"ALLOW_GUESTS": "YA"}, {"ALLOW_GUESTS": True}),
        ({"ALLOW_GUESTS": ""}, {"ALLOW_GUESTS": True}),  # empty: the default
        ({"EMBEDDED_WORKER": "1"}, {"EMBEDDED_WORKER": "on"}),
        ({"EMBEDDED_WORKER": "tidak"}, {"EMBEDDED_WORKER": "off"}),
        ({"EMBEDDED_WORKER": "AUTO"}, {"EMBEDDED_WORKER": "auto"}),
        ({"TRACK_PREFIX": "sdm"}, {"TRACK_PREFIX": "SDM"}),
        ({"TELEGRAM_ADMIN_CHAT_IDS": "111, -100222,"}, {"TELEGRAM_ADMIN_CHAT_IDS": ["111", "-100222"]}),
        ({"DATABASE_TIMEOUT_SECONDS": "0"}, {"DATABASE_TIMEOUT_SECONDS": 0.0}),
        ({"OUTBOX_POLL_SECONDS": "0.5"}, {"OUTBOX_POLL_SECONDS": 0.5}),
        ({"TIMEZONE": "Asia/Makassar"}, {"TIMEZONE": "Asia/Makassar"}),
    ],
)
def test_values_are_read_as_before(environ, expected):
    values, problems = parse_settings(environ)
    assert problems == []
    assert {name: values[name] for name in expected} == expected


@pytest.mark.parametrize(
    "environ, line",
    [
        (
            {"OUTBOX_BATCH": "lima"},
            "OUTBOX_BATCH=lima (variabel lingkungan): harus bilangan bulat ≥ 1.",
        ),
        ({"PROXY_COUNT": "-1"}, "PROXY_COUNT=-1 (variabel lingkungan): harus bilangan bulat ≥ 0."),
        (
            {"ROUTEROS_PORT": "8728.5"},
            "ROUTEROS_PORT=8728.5 (variabel lingkungan): harus bilangan bulat ≥ 1.",
        ),
        (
            {"DATABASE_TIMEOUT_SECONDS": "4,5"},
            "DATABASE_TIMEOUT_SECONDS=4,5 (variabel lingkungan): harus angka ≥ 0 (titik sebagai pemisah desimal).",
        ),
        ({"NETMON_INTERVAL": "0"}, "NETMON_INTERVAL=0 (variabel lingkungan): harus angka > 0."),
        ({"NETMON_INTERVAL": "nan"}, "NETMON_INTERVAL=nan (variabel lingkungan): harus angka > 0."),
        (
            {"WA_PROVIDER": "fonte"},
            "WA_PROVIDER=fonte (variabel lingkungan): harus salah satu dari log, fonnte, cloud.",
        ),
        (
            {"SESSION_COOKIE_SECURE": "enabled"},
            "SESSION_COOKIE_SECURE=enabled (variabel lingkungan): harus salah satu dari 1, true, yes, on, ya"
            " (hidup) atau 0, false, no, off, tidak (mati).",
        ),
        (
            {"EMBEDDED_WORKER": "kadang"},
            "EMBEDDED_WORKER=kadang (variabel lingkungan): harus auto, on atau off.",
        ),
        (
            {"TIMEZONE": "WIB"},
            "TIMEZONE=WIB (variabel lingkungan): bukan zona waktu IANA yang dikenal (mis. Asia/Jakarta,"
            " Asia/Makassar).",
        ),
        ({"TRACK_PREFIX": "BRT-"}, "TRACK_PREFIX=BRT- (variabel lingkungan): harus 1 sampai 7 huruf A-Z."),
        (
            {"TELEGRAM_ADMIN_CHAT_IDS": "111,@admin"},
            "TELEGRAM_ADMIN_CHAT_IDS=111,@admin (variabel lingkungan): '@admin' bukan id chat Telegram"
            " (angka, grup diawali -).",
        ),
        # A URL may carry a password: the value is not repeated.
        (
            {"FONNTE_API_URL": "api.fonnte.com/send"},
            "FONNTE_API_URL (variabel lingkungan): harus URL yang diawali http:// atau https://.",
        ),
    ],
)
def test_a_value_a_setting_cannot_take_is_one_line_with_its_fix(environ, line):
    (problem,) = problems_of(**environ)
    assert problem.startswith(line)
    assert problem.endswith("Perbaiki nilainya di lingkungan proses (mis. Environment= di unit systemd).")


def test_a_bad_value_from_the_file_names_the_file_and_line(tmp_path):
    path = write_env(tmp_path, "# Sarpras\nWA_PROVIDER=fonnte\nOUTBOX_BATCH=banyak\n")
    env_file = read_env_file(path)
    (problem,) = parse_settings({"WA_PROVIDER": "fonnte", "OUTBOX_BATCH": "banyak"}, env_file)[1]
    assert (
        problem
        == f"OUTBOX_BATCH=banyak ({path} baris 3): harus bilangan bulat ≥ 1. Perbaiki nilainya di berkas itu."
    )
    # The environment wins over the file: a bad value there is the environment's.
    (problem,) = parse_settings({"OUTBOX_BATCH": "x"}, env_file)[1]
    assert "(variabel lingkungan)" in problem


@pytest.mark.parametrize(
    "text, expected",
    [
        ("FONNTE_TOKEN=abc\n", []),
        ("FLASK_DEBUG=1\nTEST_DATABASE_URL=sqlite://\n# FOO=1\n\n", []),
        (
            "WA_PROVIDER=fonnte\nFONTE_TOKEN=abc\n",
            ["baris 2: FONTE_TOKEN bukan pengaturan Sarpras. Maksudnya FONNTE_TOKEN? Perbaiki namanya"],
        ),
        (
            "export TELEGRAM_BOT_TOKN=1\n",
            ["baris 1: TELEGRAM_BOT_TOKN bukan pengaturan Sarpras. Maksudnya TELEGRAM_BOT_TOKEN?"],
        ),
        (
            "session_cookie_secure=on\n",
            ["baris 1: session_cookie_secure bukan pengaturan Sarpras. Maksudnya SESSION_COOKIE_SECURE?"],
        ),
        (
            "HOST=0.0.0.0\n",
            [
                "baris 1: HOST bukan pengaturan Sarpras. Hapus baris itu (daftar pengaturan: docs/CONFIGURATION.md)."
            ],
        ),
        (
            'FONNTE_TOKEN="abc\n',
            ["baris 1: tidak terbaca sebagai NAMA=nilai. Perbaiki atau hapus baris itu."],
        ),
        # A token pasted on a line of its own is not printed back.
        (
            "FONNTE_TOKEN=\nRahasiaTokenPerangkat123\n",
            ["baris 2: tidak terbaca sebagai NAMA=nilai. Perbaiki atau hapus baris itu."],
        ),
    ],
)
def test_names_in_the_env_file_must_be_settings(tmp_path, text, expected):
    path = write_env(tmp_path, text)
    problems = env_file_problems(read_env_file(path))
    assert len(problems) == len(expected)
    for problem, start in zip(problems, expected, strict=True):
        assert problem.startswith(f"{path} {start}")
        assert "Rahasia" not in problem


def test_a_named_env_file_that_does_not_exist_is_a_mistake(tmp_path):
    missing = tmp_path / "tidak-ada.env"
    assert env_file_problems(read_env_file(missing, required=True)) == [
        f"SARPRAS_ENV_FILE={missing}: berkas itu tidak ada. Perbaiki jalurnya atau hapus variabel itu."
    ]
    # The default file beside config.py is optional.
    assert env_file_problems(read_env_file(missing)) == []


def test_an_env_file_the_app_may_not_read_is_a_mistake(tmp_path):
    path = write_env(tmp_path, "FONNTE_TOKEN=abc\n")
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):
            pytest.skip("running as root: every file is readable")
        assert env_file_problems(read_env_file(path)) == [
            f"{path} tidak dapat dibaca (Permission denied). Perbaiki berkasnya atau izinnya untuk pengguna"
            " yang menjalankan aplikasi."
        ]
    finally:
        path.chmod(0o600)


def test_an_env_file_that_is_not_utf8_is_a_mistake(tmp_path):
    path = tmp_path / "sarpras.env"
    path.write_bytes(b"FONNTE_TOKEN=\xff\n")
    assert env_file_problems(read_env_file(path)) == [
        f"{path} tidak dapat dibaca (bukan teks UTF-8). Perbaiki berkasnya atau izinnya untuk pengguna"
        " yang menjalankan aplikasi."
    ]


def test_every_setting_has_a_valid_default_and_a_doc():
    for setting in config.SETTINGS.values():
        if setting.default is not None:
            setting.parse(setting.default)
        assert setting.doc.endswith(".") and setting.kind.doc


def test_every_mistake_is_told_at_once(tmp_path):
    env_file = read_env_file(write_env(tmp_path, "FONTE_TOKEN=x\n"))
    with pytest.raises(ConfigError) as raised:
        Config(environ={"WA_PROVIDER": "wa", "TIMEZONE": "Jakarta"}, env_file=env_file)
    assert len(raised.value.problems) == 3
    assert [line.split(" ", 1)[0] for line in str(raised.value).splitlines()] == [
        str(env_file.path),
        "WA_PROVIDER=wa",
        "TIMEZONE=Jakarta",
    ]


def test_secret_values_are_never_repeated():
    assert all("s3cr3t" not in line for line in config.environment_warnings({"FONNTE_TOKN": "s3cr3t"}))
    assert problems_of(TELEGRAM_API_URL="ftp://user:s3cr3t@host") == [
        "TELEGRAM_API_URL (variabel lingkungan): harus URL yang diawali http:// atau https://. "
        "Perbaiki nilainya di lingkungan proses (mis. Environment= di unit systemd)."
    ]


def test_unknown_variables_of_our_prefixes_in_the_environment_are_only_warned():
    environ = {
        "FONNTE_TOKN": "x",
        "OUTBOX_X": "y",
        "PATH": "/bin",
        "LANG": "C",
        "SARPRAS_ENV_FILE": "/x",
    }
    assert config.environment_warnings(environ) == [
        "Variabel lingkungan FONNTE_TOKN bukan pengaturan Sarpras dan diabaikan. Maksudnya FONNTE_TOKEN?",
        "Variabel lingkungan OUTBOX_X bukan pengaturan Sarpras dan diabaikan.",
    ]


# Each entry point, as an admin starts it, with a .env holding a typo.


def run_with_env_file(tmp_path, args, text="WA_PROVIDER=fonnte\nFONTE_TOKEN=rahasia-fonnte\n", timeout=120):
    path = write_env(tmp_path, text)
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in config.SETTINGS and not name.startswith(config.OUR_PREFIXES)
    }
    # FLASK_SKIP_DOTENV: `flask` would also load a developer's own .env from the checkout.
    env.update(SARPRAS_ENV_FILE=str(path), INSTANCE_PATH=str(tmp_path / "instance"), FLASK_SKIP_DOTENV="1")
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )


TYPO_LINE = "Konfigurasi salah: {path} baris 2: FONTE_TOKEN bukan pengaturan Sarpras. Maksudnya FONNTE_TOKEN?"


@pytest.mark.parametrize(
    "args",
    [
        ["flask", "--app", "wsgi", "init-db"],
        ["flask", "--app", "wsgi", "worker"],
        ["gunicorn", "--no-control-socket", "-b", "127.0.0.1:0", "wsgi:app"],
    ],
    ids=["flask-command", "worker", "gunicorn"],
)
def test_each_entry_point_prints_the_line_and_exits_non_zero(tmp_path, args):
    done = run_with_env_file(tmp_path, args)
    assert done.returncode == config.EXIT_CODE, done.stderr
    assert TYPO_LINE.format(path=tmp_path / "sarpras.env") in done.stderr
    assert "Traceback" not in done.stderr
    assert "rahasia-fonnte" not in done.stderr + done.stdout


def test_a_good_env_file_named_by_sarpras_env_file_is_read(tmp_path):
    done = run_with_env_file(
        tmp_path, ["flask", "--app", "wsgi", "setup-info"], text="WA_PROVIDER=fonnte\nFONNTE_TOKEN=abc\n"
    )
    assert done.returncode == 0, done.stderr
    assert "Provider WhatsApp" in done.stdout and "fonnte" in done.stdout
    assert "PERINGATAN" not in done.stdout
