"""deploy/: the nginx site passes `nginx -t`, the systemd units pass `systemd-analyze
verify`, and they agree with the app (body size limit, proxy headers, one worker)."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from app import largest_request_bytes
from tests.peers.certs import write_self_signed

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
SITE = (DEPLOY / "nginx-sarpras.conf").read_text()
UNITS = ["sarpras-web.service", "sarpras-worker.service"]
BACKUP_UNITS = ["sarpras-backup.service", "sarpras-backup.timer"]


def test_nginx_accepts_the_site(tmp_path):
    nginx = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")
    if nginx is None:
        pytest.skip("nginx is not installed (scripts/system_packages.sh installs it when root)")
    write_self_signed(tmp_path, "sarpras.example.ac.id", "fullchain.pem", "privkey.pem")
    site = SITE.replace("/etc/letsencrypt/live/sarpras.example.ac.id", str(tmp_path)).replace(
        "/srv/sarpras", str(ROOT)
    )
    (tmp_path / "site.conf").write_text(site)
    mime = "include /etc/nginx/mime.types;" if Path("/etc/nginx/mime.types").exists() else ""
    # Everything nginx would write goes to the temporary folder: no server is started
    # and nothing of an installed nginx is used or changed.
    (tmp_path / "nginx.conf").write_text(
        f"""
pid {tmp_path}/nginx.pid;
error_log {tmp_path}/error.log;
events {{}}
http {{
    {mime}
    access_log off;
    client_body_temp_path {tmp_path}/body;
    proxy_temp_path {tmp_path}/proxy;
    fastcgi_temp_path {tmp_path}/fastcgi;
    uwsgi_temp_path {tmp_path}/uwsgi;
    scgi_temp_path {tmp_path}/scgi;
    include {tmp_path}/site.conf;
}}
"""
    )
    result = subprocess.run(
        [
            nginx,
            "-t",
            "-p",
            str(tmp_path),
            "-c",
            str(tmp_path / "nginx.conf"),
            "-e",
            str(tmp_path / "error.log"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


def test_the_site_agrees_with_the_app():
    size = re.search(r"client_max_body_size (\d+)k;", SITE)
    assert size and int(size.group(1)) * 1024 == largest_request_bytes()
    # PROXY_COUNT=1: the last X-Forwarded-For entry is nginx's own view of the client.
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in SITE
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in SITE
    assert "proxy_set_header Host $http_host;" in SITE
    # To the site's own name, never to the Host the client sent (an open redirect).
    assert "return 301 https://$server_name$request_uri;" in SITE
    assert not re.search(r"return 30\d [^;]*\$(host|http_host)", SITE)
    assert "alias /srv/sarpras/app/static/;" in SITE and (ROOT / "app" / "static").is_dir()
    web = (DEPLOY / "sarpras-web.service").read_text()
    assert "proxy_pass http://127.0.0.1:8000;" in SITE and "--bind 127.0.0.1:8000" in web


@pytest.mark.parametrize("unit", UNITS)
def test_the_units_restart_always_as_their_own_user_with_the_env_file(unit):
    text = (DEPLOY / unit).read_text()
    for line in (
        "Restart=always",
        "User=sarpras",
        "WorkingDirectory=/srv/sarpras",
        "EnvironmentFile=/srv/sarpras/.env",
    ):
        assert re.search(rf"^{re.escape(line)}$", text, re.MULTILINE), line


def test_systemd_accepts_the_units(tmp_path):
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed")
    # The units name /srv/sarpras; here the programs they start are this checkout's.
    for unit in UNITS + BACKUP_UNITS:
        (tmp_path / unit).write_text((DEPLOY / unit).read_text().replace("/srv/sarpras", str(ROOT)))
    if not (ROOT / ".venv" / "bin" / "gunicorn").exists():
        pytest.skip("no .venv with gunicorn to point the units at")
    result = subprocess.run(
        [analyze, "verify", *[str(tmp_path / unit) for unit in UNITS + BACKUP_UNITS]],
        capture_output=True,
        text=True,
        timeout=120,
    )
    if result.returncode != 0 and "Failed to" in result.stderr and "service" not in result.stderr:
        pytest.skip(f"systemd-analyze does not work in this container: {result.stderr.strip()}")
    # A misspelt key or value is only a warning: nothing may be printed at all.
    assert (result.returncode, result.stderr.strip()) == (0, "")


def test_the_backup_unit_keeps_two_weeks_as_the_app_user():
    service = (DEPLOY / "sarpras-backup.service").read_text()
    for line in (
        "Type=oneshot",
        "User=sarpras",
        "WorkingDirectory=/srv/sarpras",
        "EnvironmentFile=/srv/sarpras/.env",
        "UMask=0077",
        "ExecStart=/srv/sarpras/.venv/bin/flask --app wsgi backup --output /var/backups/sarpras/ --keep 14",
    ):
        assert re.search(rf"^{re.escape(line)}$", service, re.MULTILINE), line
    timer = (DEPLOY / "sarpras-backup.timer").read_text()
    assert re.search(r"^OnCalendar=\*-\*-\* 02:30:00$", timer, re.MULTILINE)
    assert re.search(r"^Persistent=true$", timer, re.MULTILINE)
