"""backup and restore through the real `flask --app wsgi` command: a populated database of
each kind round-trips into a fresh one with every table's rows and every upload intact."""

import decimal
import gzip
import hashlib
import io
import json
import os
import signal
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from sqlalchemy import create_engine, insert, inspect, make_url, select

from app import MIGRATIONS_DIR, clock
from app.backup import checksum, mysqldump
from app.cli import seed_demo_people, upgrade_schema
from app.extensions import db
from app.messaging import outbox
from app.models import Media, Outbox
from app.readiness import remember_head
from tests.conftest import MARTA, make_app, send_wa
from tests.peers.tcp_proxy import FreezableProxy
from tests.waiting import wait_until

# The newest migration, which a restored archive is brought to.
(HEAD,) = remember_head(MIGRATIONS_DIR)

ROOT = Path(__file__).resolve().parent.parent
# Everything a dump could trip over: 4-byte emoji, quotes and backslashes, a statement end
# and a comment start at line ends, NUL, Ctrl-Z, tabs and CR.
AWKWARD = (
    "Lampu 😀🔥 mati; 'kutip' \"ganda\" \\garis\\ ;\n-- bukan komentar\nDELIMITER ;;\r\n\tNUL:\x00 Z:\x1a é"
)
OUTBOX_ROWS = 2500  # more than one portable-dump batch and more than one mysqldump INSERT
EXTRA_TABLE = "tb_catatan_lama"  # a table the PHP system left that the app does not know


@pytest.fixture
def sibling_urls(database_url, tmp_path):
    """A source and a target database of the kind under test, created empty and dropped
    after (MariaDB: `<name>_bk_src` and `<name>_bk_dst` beside TEST_DATABASE_URL's)."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'src.db'}", f"sqlite:///{tmp_path / 'dst.db'}"
        return
    base = make_url(database_url)
    names = [f"{base.database}_bk_src", f"{base.database}_bk_dst"]
    server = create_engine(base.set(database=""))

    def recreate(create):
        with server.begin() as connection:
            for name in names:
                connection.exec_driver_sql(f"DROP DATABASE IF EXISTS `{name}`")
                if create:
                    connection.exec_driver_sql(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4")

    recreate(True)
    # A session time zone other than UTC: TIMESTAMP values must come back as they were.
    local = base.update_query_dict({"init_command": "SET time_zone = '+07:00'"})
    yield tuple(local.set(database=name).render_as_string(hide_password=False) for name in names)
    recreate(False)
    server.dispose()


def flask(*args, url, instance, env=None, check=True):
    environment = {
        **os.environ,
        "DATABASE_URL": url,
        "INSTANCE_PATH": str(instance),
        "EMBEDDED_WORKER": "off",
        "SECRET_KEY": "",
        **(env or {}),
    }
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if check:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


def populate(url, instance):
    """Reports through the webhook, an assignment, queued messages with emoji and NULLs,
    many outbox rows, photos under uploads/, and a table from the PHP system."""
    app = make_app(url, instance.parent, INSTANCE_DIR=str(instance))
    with app.app_context():
        upgrade_schema()
        seed_demo_people()
    client = app.test_client()
    numbers = [send_wa(client, f"#request {AWKWARD} {n}").json["id_track"] for n in range(3)]
    assert (
        app.test_cli_runner().invoke(args=["assign", numbers[0], "ADM04", "--catatan", "Cek 😀"]).exit_code
        == 0
    )
    uploads = instance / "uploads" / "2024" / "11"
    uploads.mkdir(parents=True)
    photos = {}
    for n in range(3):
        data = bytes(range(256)) * (n + 1) + os.urandom(5000)
        (uploads / f"foto{n}.jpg").write_bytes(data)
        photos[f"2024/11/foto{n}.jpg"] = data
    with app.app_context():
        now = clock.utcnow().replace(microsecond=123456)
        rows = [
            dict(
                kanal="whatsapp",
                tujuan=MARTA,
                pesan=f"{n} {AWKWARD} " + "x" * 400,
                opsi=None if n % 2 else '{"reply_markup": "😀"}',
                status="terkirim",
                percobaan=n % 5,
                dibuat=now,
                kirim_setelah=now,
                diklaim=None,
                terkirim=now if n % 3 else None,
            )
            for n in range(OUTBOX_ROWS)
        ]
        db.session.execute(insert(Outbox), rows)
        db.session.add(
            Media(
                url="http://x/1.jpg",
                tabel="tb_monitoring",
                id_baris=1,
                berkas="uploads/2024/11/foto0.jpg",
                coba_setelah=now,
                dibuat=now,
                status="selesai",
            )
        )
        outbox.enqueue(MARTA, f"Pesan terakhir {AWKWARD}", opsi=None)
        db.session.commit()
        # The newest rows are gone: a restored database must not hand out their ids again.
        top = db.session.execute(select(Outbox.ido).order_by(Outbox.ido.desc()).limit(3)).scalars().all()
        db.session.query(Outbox).filter(Outbox.ido.in_(top)).delete()
        db.session.commit()
        with db.engine.begin() as connection:
            connection.exec_driver_sql(
                f"CREATE TABLE {EXTRA_TABLE} (id INTEGER PRIMARY KEY, isi VARCHAR(100), dicatat TIMESTAMP NULL)"
            )
            connection.exec_driver_sql(
                f"INSERT INTO {EXTRA_TABLE} VALUES (1, 'dari PHP', '2024-09-16 19:28:52'), (2, 'kosong', NULL)"
            )
        db.session.remove()
        db.engine.dispose()
    return photos


def table_digests(url, skip=()):
    """Our own digest of every table: row count and SHA-256 of the rows' sorted reprs,
    as the database driver returns them (independent of app.backup.checksum)."""
    engine = create_engine(url)
    digests = {}
    with engine.connect() as connection:
        quote = connection.dialect.identifier_preparer.quote
        for name in inspect(connection).get_table_names():
            if name in skip:
                continue
            found = connection.exec_driver_sql(f"SELECT * FROM {quote(name)}").all()
            text = "\n".join(sorted(repr(tuple(row)) for row in found))
            digests[name] = (len(found), hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest())
    engine.dispose()
    return digests


def uploads_of(instance):
    folder = Path(instance) / "uploads"
    return {str(path.relative_to(folder)): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def next_outbox_id(url, instance):
    app = make_app(url, instance.parent, INSTANCE_DIR=str(instance))
    with app.app_context():
        ido = outbox.enqueue(MARTA, "setelah pemulihan")
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return ido


def needs_mysqldump():
    if not mysqldump.available():
        pytest.skip("mysqldump is not installed (scripts/system_packages.sh installs it when root)")


def methods_for(url):
    return ["auto", "sql"] if url.startswith("sqlite") else ["mysqldump", "sql"]


@pytest.mark.parametrize("choice", [0, 1])
def test_backup_restores_every_row_and_upload_into_a_fresh_database(sibling_urls, tmp_path, choice):
    source, target = sibling_urls
    method = methods_for(source)[choice]
    if method == "mysqldump":
        needs_mysqldump()
    photos = populate(source, tmp_path / "src")
    archive_path = tmp_path / "cadangan.tar.gz"

    made = flask(
        "backup", "--output", str(archive_path), "--method", method, url=source, instance=tmp_path / "src"
    )
    assert "Cadangan" in made.stdout and f"{len(photos)} berkas unggahan" in made.stdout
    assert oct(archive_path.stat().st_mode & 0o777) == "0o600"
    portable = method == "sql"
    if portable:
        assert EXTRA_TABLE in made.stdout  # said out loud that it is not in the archive

    restored = flask("restore", str(archive_path), url=target, instance=tmp_path / "dst")
    assert "checksum cocok" in restored.stdout

    skip = {EXTRA_TABLE} if portable else set()
    expected = table_digests(source, skip)
    assert set(expected) >= {"tb_monitoring", "tb_track", "tb_outbox", "tb_penugasan", "alembic_version"}
    assert expected["tb_outbox"][0] > OUTBOX_ROWS - 3
    assert table_digests(target) == expected
    assert uploads_of(tmp_path / "dst") == photos

    with make_app(target, tmp_path, INSTANCE_DIR=str(tmp_path / "dst")).app_context():
        assert (
            db.session.execute(select(Outbox.pesan).where(Outbox.percobaan == 3).limit(1))
            .scalar()
            .startswith(f"3 {AWKWARD}")
        )
        db.session.remove()
        db.engine.dispose()
    highest = max(expected_ids(source))
    ido = next_outbox_id(target, tmp_path / "dst")
    assert ido > highest
    if not source.startswith("sqlite"):
        # InnoDB's counter came along: the ids of the deleted newest rows stay unused.
        assert ido == next_outbox_id(source, tmp_path / "src")


def expected_ids(url):
    engine = create_engine(url)
    with engine.connect() as connection:
        ids = connection.execute(select(Outbox.ido)).scalars().all()
    engine.dispose()
    return ids


def test_restore_refuses_a_database_with_data_unless_forced(sibling_urls, tmp_path):
    source, target = sibling_urls
    populate(source, tmp_path / "src")
    archive_path = tmp_path / "cadangan.tar.gz"
    flask("backup", "--output", str(archive_path), url=source, instance=tmp_path / "src")
    flask("init-db", url=target, instance=tmp_path / "dst")  # an empty schema is empty
    flask("restore", str(archive_path), url=target, instance=tmp_path / "dst")

    refused = flask("restore", str(archive_path), url=target, instance=tmp_path / "dst", check=False)
    assert refused.returncode != 0
    assert refused.stderr.strip().splitlines() == [
        "Error: Basis data tujuan tidak kosong (tabel tb_admin berisi data); "
        "pulihkan ke basis data kosong, atau tambahkan --force untuk menimpanya."
    ]
    forced = flask("restore", "--force", str(archive_path), url=target, instance=tmp_path / "dst")
    assert "checksum cocok" in forced.stdout
    assert table_digests(target) == table_digests(source)


def test_a_damaged_archive_is_refused_and_the_database_left_alone(sibling_urls, tmp_path):
    source, target = sibling_urls
    populate(source, tmp_path / "src")
    good = tmp_path / "cadangan.tar.gz"
    flask("backup", "--output", str(good), url=source, instance=tmp_path / "src")
    data = good.read_bytes()

    truncated = tmp_path / "terpotong.tar.gz"
    truncated.write_bytes(data[: len(data) // 2])
    flipped = tmp_path / "rusak.tar.gz"
    middle = len(data) // 2
    flipped.write_bytes(data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1 :])
    # A well-formed archive whose photo differs from what its manifest says.
    tampered = tmp_path / "diubah.tar.gz"
    with tarfile.open(good) as original, tarfile.open(tampered, "w:gz") as copy:
        for member in original:
            content = original.extractfile(member).read()
            if member.name.startswith("uploads/"):
                content = b"X" + content[1:]
            copy.addfile(member, io.BytesIO(content))
    not_ours = tmp_path / "lain.tar.gz"
    with tarfile.open(not_ours, "w:gz") as other:
        info = tarfile.TarInfo("catatan.txt")
        other.addfile(info, io.BytesIO(b""))

    for path, words in [
        (truncated, "rusak atau terpotong"),
        (flipped, "rusak"),
        (tampered, "checksum uploads/"),
        (not_ours, "manifest.json tidak ada"),
        (tmp_path / "tidak-ada.tar.gz", "tidak ada"),
    ]:
        result = flask("restore", str(path), url=target, instance=tmp_path / "dst", check=False)
        assert result.returncode != 0
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error: Arsip ditolak:") and words in lines[0], lines
    engine = create_engine(target)
    with engine.connect() as connection:
        assert inspect(connection).get_table_names() == []
    engine.dispose()
    assert not (tmp_path / "dst" / "uploads").exists()


def test_a_failed_backup_leaves_no_file_under_the_name_asked_for(database_url, tmp_path):
    if database_url.startswith("sqlite"):
        missing = f"sqlite:///{tmp_path / 'tidak-ada.db'}"
    else:
        missing = make_url(database_url).set(database="test_h3_tidak_ada_sama_sekali").render_as_string(False)
    output = tmp_path / "out"
    output.mkdir()
    for method in ["auto", "sql"]:
        result = flask(
            "backup",
            "--output",
            str(output / "x.tar.gz"),
            "--method",
            method,
            url=missing,
            instance=tmp_path / "i",
            check=False,
        )
        assert result.returncode != 0
        assert list(output.iterdir()) == []


def test_keep_deletes_the_oldest_backups_of_the_folder_only(tmp_path):
    url = f"sqlite:///{tmp_path / 'src.db'}"
    populate(url, tmp_path / "src")
    folder = tmp_path / "cadangan"
    folder.mkdir()
    for stamp in ["20240101-020000", "20240102-020000", "20240103-020000"]:
        (folder / f"sarpras-backup-{stamp}.tar.gz").write_bytes(b"lama")
    (folder / "catatan.txt").write_text("bukan cadangan")

    result = flask("backup", "--output", f"{folder}/", "--keep", "2", url=url, instance=tmp_path / "src")
    kept = sorted(path.name for path in folder.iterdir())
    assert len(kept) == 3 and kept[0] == "catatan.txt" and kept[1] == "sarpras-backup-20240103-020000.tar.gz"
    assert kept[2].startswith("sarpras-backup-") and kept[2] > kept[1]
    assert "sarpras-backup-20240101-020000.tar.gz" in result.stdout
    assert "sarpras-backup-20240102-020000.tar.gz" in result.stdout


def test_the_portable_dump_moves_between_database_kinds(database_url, sibling_urls, tmp_path):
    """A `--method sql` backup (and a SQLite file) restores into the other kind."""
    if database_url.startswith("sqlite"):
        pytest.skip("needs MariaDB (TEST_DATABASE_URL)")
    maria_source, maria_target = sibling_urls
    lite = f"sqlite:///{tmp_path / 'lite.db'}"
    populate(maria_source, tmp_path / "src")
    portable = tmp_path / "portabel.tar.gz"
    flask("backup", "--output", str(portable), "--method", "sql", url=maria_source, instance=tmp_path / "src")
    flask("restore", str(portable), url=lite, instance=tmp_path / "lite")
    assert typed_rows(lite) == typed_rows(maria_source)
    assert uploads_of(tmp_path / "lite") == uploads_of(tmp_path / "src")

    sqlite_file = tmp_path / "sqlite.tar.gz"
    flask("backup", "--output", str(sqlite_file), url=lite, instance=tmp_path / "lite")
    flask("restore", str(sqlite_file), url=maria_target, instance=tmp_path / "dst")
    assert typed_rows(maria_target) == typed_rows(maria_source)

    # A mysqldump archive is MariaDB's SQL: refused for SQLite, with the way that works.
    needs_mysqldump()
    dump = tmp_path / "x.tar.gz"
    flask(
        "backup", "--output", str(dump), "--method", "mysqldump", url=maria_source, instance=tmp_path / "src"
    )
    result = flask(
        "restore", str(dump), url=f"sqlite:///{tmp_path / 'lain.db'}", instance=tmp_path / "lain", check=False
    )
    assert result.returncode != 0
    assert "--method sql" in result.stderr


def typed_rows(url):
    """Every table of the app's schema as Python values, through its models' types."""
    engine = create_engine(url)
    found = {}
    with engine.connect() as connection:
        for table in db.metadata.sorted_tables:
            found[table.name] = sorted((tuple(row) for row in connection.execute(select(table))), key=repr)
    engine.dispose()
    return found


def test_the_mysqldump_password_goes_through_a_private_option_file():
    url = make_url("mysql+pymysql://sarpras:p%23ss%22w%3Brd%5C@db.example:3307/sarpras")
    with mysqldump.client_options(url) as (path, environment):
        assert oct(os.stat(path).st_mode & 0o777) == "0o600"
        assert Path(path).read_text().splitlines() == [
            "[client]",
            'user="sarpras"',
            "password='p#ss\"w;rd\\\\'",
            "host=db.example",
            "port=3307",
        ]
        argv = mysqldump.command(path, url.database)
        assert environment == {}
        assert not any("p#ss" in argument for argument in argv)
        assert argv[1] == f"--defaults-extra-file={path}"
    assert not os.path.exists(path)
    # Both kinds of quote: not writable in an option file, so the environment carries it.
    both = make_url("mysql+pymysql://sarpras:a%27b%22c@localhost/sarpras")
    with mysqldump.client_options(both) as (path, environment):
        assert environment == {"MYSQL_PWD": "a'b\"c"}
        assert "a'b" not in Path(path).read_text()


@pytest.mark.parametrize(
    "value, kind, text",
    [
        (None, checksum.OTHER, None),
        (True, checksum.OTHER, "1"),
        (1, checksum.OTHER, "1"),
        ("2024-09-16 19:28:52", checksum.DATETIME, "2024-09-16 19:28:52.000000"),
        ("2024-09-16 19:28:52.1234", checksum.DATETIME, "2024-09-16 19:28:52.123400"),
        ("0000-00-00 00:00:00", checksum.DATETIME, "0000-00-00 00:00:00.000000"),
        ("19:28:52", checksum.TIME, "19:28:52.000000"),
        (b"\x00\xff", checksum.OTHER, "0x00ff"),
        ("", checksum.BINARY, "0x"),
        ("😀", checksum.OTHER, "😀"),
    ],
)
def test_canonical_values(value, kind, text):
    assert checksum.canonical(value, kind) == text


def test_mysqldump_values_are_read_as_written():
    statement = (
        "(1,'a\\'b\\\\c;\\nx 😀','2024-01-01 10:00:00.123400',NULL,0x00FF,-2.5),\n(2,'',NULL,NULL,'',3);"
    )
    assert mysqldump.parse_values(statement) == [
        [1, "a'b\\c;\nx 😀", "2024-01-01 10:00:00.123400", None, b"\x00\xff", decimal.Decimal("-2.5")],
        [2, "", None, None, "", 3],
    ]


@pytest.mark.parametrize("password", ['p#ss"w;rd\\ =x', "a'b\"c#d"])
def test_mysqldump_logs_in_with_an_awkward_password_it_never_shows(
    database_url, sibling_urls, tmp_path, password
):
    """Through the option file, and through MYSQL_PWD when no quoting fits the file."""
    if database_url.startswith("sqlite"):
        pytest.skip("needs MariaDB (TEST_DATABASE_URL)")
    needs_mysqldump()
    source, _ = sibling_urls
    populate(source, tmp_path / "src")
    base = make_url(source)
    user = f"{make_url(database_url).database}_bk"[:32]
    server = create_engine(make_url(database_url).set(database=""))
    with server.begin() as connection:
        connection.exec_driver_sql(f"DROP USER IF EXISTS '{user}'@'%%'")
        connection.exec_driver_sql(f"CREATE USER '{user}'@'%%' IDENTIFIED BY %s", (password,))
        connection.exec_driver_sql(f"GRANT ALL ON `{base.database}`.* TO '{user}'@'%%'")
    try:
        url = base.set(username=user, password=password).render_as_string(hide_password=False)
        result = flask(
            "backup",
            "--output",
            str(tmp_path / "c.tar.gz"),
            "--method",
            "mysqldump",
            url=url,
            instance=tmp_path / "s",
        )
        assert "(mysqldump)" in result.stdout
        assert password not in result.stdout + result.stderr
    finally:
        with server.begin() as connection:
            connection.exec_driver_sql(f"DROP USER IF EXISTS '{user}'@'%%'")
        server.dispose()


def test_an_archive_of_an_older_schema_is_restored_and_brought_to_the_head(sibling_urls, tmp_path):
    source, target = sibling_urls
    app = make_app(source, tmp_path, INSTANCE_DIR=str(tmp_path / "src"))
    with app.app_context():
        from flask_migrate import upgrade

        upgrade(directory=MIGRATIONS_DIR, revision="0009_auth")
        db.session.remove()
        db.engine.dispose()
    archive_path = tmp_path / "lama.tar.gz"
    flask("backup", "--output", str(archive_path), "--method", "sql", url=source, instance=tmp_path / "src")

    restored = flask("restore", str(archive_path), url=target, instance=tmp_path / "dst")
    assert f"Skema dimutakhirkan dari 0009_auth ke {HEAD}" in restored.stdout
    engine = create_engine(target)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == HEAD
        assert "pemilik_klaim" in {column["name"] for column in inspect(connection).get_columns("tb_outbox")}
    engine.dispose()


def test_an_archive_of_a_newer_version_is_refused(sibling_urls, tmp_path):
    source, target = sibling_urls
    populate(source, tmp_path / "src")
    good = tmp_path / "cadangan.tar.gz"
    flask("backup", "--output", str(good), url=source, instance=tmp_path / "src")
    future = tmp_path / "masa-depan.tar.gz"
    with tarfile.open(good) as original, tarfile.open(future, "w:gz") as copy:
        for member in original:
            content = original.extractfile(member).read()
            if member.name == "manifest.json":
                content = content.replace(f'"{HEAD}"'.encode(), b'"0099_masa_depan"')
                member.size = len(content)
            copy.addfile(member, io.BytesIO(content))

    result = flask("restore", str(future), url=target, instance=tmp_path / "dst", check=False)
    assert result.returncode != 0
    assert result.stderr.strip() == (
        "Error: Arsip dibuat oleh versi aplikasi yang lebih baru (skema 0099_masa_depan); perbarui aplikasi dulu."
    )


def test_without_mysqldump_the_backup_goes_through_sqlalchemy(database_url, sibling_urls, tmp_path):
    if database_url.startswith("sqlite"):
        pytest.skip("needs MariaDB (TEST_DATABASE_URL)")
    source, target = sibling_urls
    populate(source, tmp_path / "src")
    nothing = tmp_path / "bin-kosong"
    nothing.mkdir()
    archive_path = tmp_path / "c.tar.gz"
    made = flask(
        "backup",
        "--output",
        str(archive_path),
        url=source,
        instance=tmp_path / "src",
        env={"PATH": str(nothing)},
    )
    assert "(sql)" in made.stdout
    asked = flask(
        "backup",
        "--output",
        str(tmp_path / "d.tar.gz"),
        "--method",
        "mysqldump",
        url=source,
        instance=tmp_path / "src",
        env={"PATH": str(nothing)},
        check=False,
    )
    assert asked.returncode != 0 and "mariadb-client" in asked.stderr
    assert not (tmp_path / "d.tar.gz").exists()


def test_the_secret_key_travels_only_when_asked(tmp_path):
    source = f"sqlite:///{tmp_path / 'src.db'}"
    populate(source, tmp_path / "src")
    key = "kunci-rahasia-uji-" + "9" * 40
    without, with_key = tmp_path / "tanpa.tar.gz", tmp_path / "dengan.tar.gz"
    flask("backup", "--output", str(without), url=source, instance=tmp_path / "src", env={"SECRET_KEY": key})
    flask(
        "backup",
        "--output",
        str(with_key),
        "--with-secret-key",
        url=source,
        instance=tmp_path / "src",
        env={"SECRET_KEY": key},
    )
    with tarfile.open(without) as plain:
        assert "secret_key" not in plain.getnames()
        assert key.encode() not in b"".join(plain.extractfile(m).read() for m in plain.getmembers())

    restored = flask(
        "restore", str(with_key), url=f"sqlite:///{tmp_path / 'dst.db'}", instance=tmp_path / "dst"
    )
    assert "Kunci rahasia dipulihkan" in restored.stdout and key not in restored.stdout
    secret = tmp_path / "dst" / "secret_key"
    assert secret.read_text() == key
    assert oct(secret.stat().st_mode & 0o777) == "0o600"

    other = flask(
        "restore",
        "--force",
        str(with_key),
        url=f"sqlite:///{tmp_path / 'dst.db'}",
        instance=tmp_path / "dst",
        env={"SECRET_KEY": "kunci-lain-" + "1" * 40},
    )
    assert "SECRET_KEY di .env berbeda" in other.stdout and key not in other.stdout


def rewritten(good, path, manifest=None, extra=()):
    """A copy of the archive `good` with its manifest changed by `manifest` (a function of
    the parsed JSON) and `extra` members (TarInfo, bytes) put before it."""
    with tarfile.open(good) as original, tarfile.open(path, "w:gz") as copy:
        for member in original:
            content = original.extractfile(member).read()
            if member.name == "manifest.json":
                for info, data in extra:
                    copy.addfile(info, io.BytesIO(data) if data is not None else None)
                if manifest:
                    content = json.dumps(manifest(json.loads(content))).encode()
                    member.size = len(content)
            copy.addfile(member, io.BytesIO(content))
    return path


def table_names(url):
    engine = create_engine(url)
    with engine.connect() as connection:
        names = inspect(connection).get_table_names()
    engine.dispose()
    return sorted(names)


def test_a_manifest_cannot_bring_sql_or_paths_of_its_own(sibling_urls, tmp_path):
    """Table names in a manifest are data: one in the sequences never reaches an ALTER
    TABLE, one in the tables never names a file outside the archive."""
    source, target = sibling_urls
    flask("init-db", url=source, instance=tmp_path / "src")
    good = tmp_path / "cadangan.tar.gz"
    flask("backup", "--output", str(good), "--method", "sql", url=source, instance=tmp_path / "src")
    expected_tables = table_names(source)

    payload = "tb_outbox` AUTO_INCREMENT = 1, RENAME TO `diretas"
    sneaky = rewritten(
        good,
        tmp_path / "urutan.tar.gz",
        manifest=lambda found: {**found, "sequences": {**found["sequences"], payload: 7}},
    )
    flask("restore", str(sneaky), url=target, instance=tmp_path / "dst")
    assert table_names(target) == expected_tables

    outside = tmp_path / "luar.jsonl"
    outside.write_text("")
    traversing = rewritten(
        good,
        tmp_path / "jalur.tar.gz",
        manifest=lambda found: {**found, "tables": {**found["tables"], "../../../luar": {"rows": 0}}},
    )
    result = flask("restore", "--force", str(traversing), url=target, instance=tmp_path / "dst", check=False)
    assert result.returncode != 0
    assert "Arsip ditolak: tabel '../../../luar' tanpa berkasnya di arsip." in result.stderr
    # Refused before anything was dropped.
    assert table_names(target) == expected_tables


def test_members_other_than_plain_files_inside_the_archive_are_refused(tmp_path):
    url = f"sqlite:///{tmp_path / 'src.db'}"
    flask("init-db", url=url, instance=tmp_path / "src")
    good = tmp_path / "cadangan.tar.gz"
    flask("backup", "--output", str(good), url=url, instance=tmp_path / "src")

    def member(name, kind=tarfile.REGTYPE, size=0, link=""):
        info = tarfile.TarInfo(name)
        info.type, info.size, info.linkname = kind, size, link
        return info

    # Bigger than any disk this runs on: refused from its header, before a byte is written.
    huge = member("uploads/bom.jpg", size=2**50)
    hostile = {
        "naik": [(member("../di-luar.txt"), b"")],
        "mutlak": [(member("/tmp/mutlak.txt"), b"")],
        "symlink": [(member("uploads/tautan", tarfile.SYMTYPE, link="/etc/passwd"), None)],
        "hardlink": [(member("uploads/keras", tarfile.LNKTYPE, link="manifest.json"), None)],
        "perangkat": [(member("uploads/nol", tarfile.CHRTYPE), None)],
    }
    for label, extra in hostile.items():
        path = rewritten(good, tmp_path / f"{label}.tar.gz", extra=extra)
        result = flask("restore", "--force", str(path), url=url, instance=tmp_path / "dst", check=False)
        assert result.returncode != 0, label
        assert "Arsip ditolak: isi arsip tidak diharapkan" in result.stderr, (label, result.stderr)

    bomb = tmp_path / "bom.tar.gz"
    with gzip.open(bomb, "wb") as stream:
        stream.write(huge.tobuf(tarfile.PAX_FORMAT))
    result = flask("restore", "--force", str(bomb), url=url, instance=tmp_path / "dst", check=False)
    assert result.returncode != 0
    assert "lebih dari ruang kosong" in result.stderr, result.stderr
    assert not list((tmp_path / "dst").glob(".restore-*"))
    assert not (tmp_path / "di-luar.txt").exists() and not Path("/tmp/mutlak.txt").exists()


@pytest.fixture
def hanging_source(database_url, sibling_urls, tmp_path):
    """(source URL through a freezable proxy, the proxy): a MariaDB source with a few MB
    of rows, so that mysqldump is still at work when the proxy freezes."""
    if database_url.startswith("sqlite"):
        pytest.skip("needs MariaDB (TEST_DATABASE_URL)")
    needs_mysqldump()
    source, _ = sibling_urls
    flask("init-db", url=source, instance=tmp_path / "src")
    engine = create_engine(source)
    with engine.begin() as connection:
        connection.exec_driver_sql(f"CREATE TABLE {EXTRA_TABLE} (id INTEGER PRIMARY KEY, isi TEXT)")
        for start in range(0, 4000, 500):
            values = ", ".join(f"({n}, REPEAT('x', 1000))" for n in range(start, start + 500))
            connection.exec_driver_sql(f"INSERT INTO {EXTRA_TABLE} VALUES {values}")
    engine.dispose()
    url = make_url(source)
    proxy = FreezableProxy(url.host or "127.0.0.1", url.port or 3306).start()
    yield url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False), proxy
    proxy.stop()


def mysqldumps_of(database):
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            words = cmdline.read_bytes().split(b"\0")
        except OSError:
            continue
        if words and words[0].endswith(b"mysqldump") and database.encode() in words:
            found.append(cmdline.parent.name)
    return found


def test_a_database_that_hangs_mid_dump_stops_the_backup_and_leaves_nothing(hanging_source, tmp_path):
    through, proxy = hanging_source
    output = tmp_path / "out"
    output.mkdir()
    # Past the app's own reads of the schema, inside mysqldump's rows.
    proxy.freeze_after(1_000_000)
    result = flask(
        "backup",
        "--output",
        str(output / "c.tar.gz"),
        url=through,
        instance=tmp_path / "src",
        env={"DATABASE_TIMEOUT_SECONDS": "1"},
        check=False,
    )
    assert result.returncode != 0
    assert "server basis data tidak mengirim apa pun selama 3 detik" in result.stderr, result.stderr
    assert list(output.iterdir()) == []
    assert mysqldumps_of(make_url(through).database) == []


def test_sigterm_mid_dump_leaves_nothing_behind(hanging_source, tmp_path):
    through, proxy = hanging_source
    output = tmp_path / "out"
    output.mkdir()
    proxy.freeze_after(1_000_000)
    environment = {
        **os.environ,
        "DATABASE_URL": through,
        "INSTANCE_PATH": str(tmp_path / "src"),
        "EMBEDDED_WORKER": "off",
        "DATABASE_TIMEOUT_SECONDS": "0",  # no limit: only the signal stops it
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "backup", "--output", str(output / "c.tar.gz")],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until(lambda: not proxy.running.is_set(), timeout=120)
        assert list(output.glob(".sarpras-backup-*/mysqldump.sql"))
        process.terminate()  # as systemctl stop does
        assert process.wait(timeout=60) == 128 + signal.SIGTERM
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert list(output.iterdir()) == []
    assert mysqldumps_of(make_url(through).database) == []
