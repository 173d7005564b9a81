"""run.sh's check before it sets anything up: a taken port is one line and exit 1."""

import socket
import subprocess
import sys
from pathlib import Path

from tests.processes import free_port

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "check_port.py"


def check(host, port):
    return subprocess.run(
        [sys.executable, str(SCRIPT), host, str(port)], capture_output=True, text=True, timeout=30
    )


def test_a_free_port_passes():
    result = check("127.0.0.1", free_port())
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_a_port_someone_listens_on_is_one_line_and_exit_1():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = check("127.0.0.1", port)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"Galat: Port {port} di 127.0.0.1 sudah dipakai program lain (aplikasi ini yang masih berjalan?): "
        f"hentikan program itu, atau pilih port lain, misalnya PORT={port + 1} bash scripts/run.sh."
    ]


def test_a_port_that_is_not_a_number_is_told():
    result = check("127.0.0.1", "lima-ribu")
    assert result.returncode == 1
    assert "PORT=lima-ribu bukan nomor port" in result.stderr
