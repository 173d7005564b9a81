"""Stop run.sh before it touches the database when its port is taken:

    python scripts/check_port.py HOST PORT

exits 0 when HOST:PORT can be listened on, else prints one line (what to do) and exits 1.
Standard library only."""

import socket
import sys


def problem(host, port):
    """None when HOST:PORT is free to listen on, else the line to show."""
    try:
        families = {info[0] for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)}
    except (socket.gaierror, UnicodeError):
        return f"HOST={host} bukan alamat mesin ini: pakai misalnya HOST=127.0.0.1."
    for family in families:
        with socket.socket(family, socket.SOCK_STREAM) as sock:
            # As the development server binds: a port left in TIME_WAIT counts as free.
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                sock.bind((host, port))
            except PermissionError:
                return f"Port {port} hanya boleh dipakai root: pilih port di atas 1024, misalnya PORT=5000."
            except OSError as error:
                if error.errno == 98:  # EADDRINUSE
                    return (
                        f"Port {port} di {host} sudah dipakai program lain (aplikasi ini yang masih berjalan?): "
                        f"hentikan program itu, atau pilih port lain, misalnya PORT={port + 1} bash scripts/run.sh."
                    )
                return f"Tidak dapat mendengarkan di {host}:{port} ({error.strerror}): periksa HOST dan PORT."
    return None


def main(argv):
    host, port = argv[1], argv[2]
    if not port.isdigit() or not 0 < int(port) < 65536:
        line = f"PORT={port} bukan nomor port (1-65535)."
    else:
        line = problem(host, int(port))
    if line:
        print(f"Galat: {line}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
