"""scripts/fetch_vendor.py against a registry on loopback: the file lands only from a
tarball whose hash is the lock's, and a tarball reaching outside its folder is refused."""

import base64
import hashlib
import io
import json
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from scripts import fetch_vendor
from tests.peers.files import FileServer

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "fetch_vendor.py"
CHART = b"/*! Chart.js v9.9.9 */ window.Chart = function () {};\n"


def tarball(members):
    """A gzipped tarball of (name, bytes) regular files, as npm packs them."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, content in members:
            info = tarfile.TarInfo(name)
            info.size = len(content)
            archive.addfile(info, io.BytesIO(content))
    return buffer.getvalue()


def sri(data):
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


def project(tmp_path, integrity, name="chart.js"):
    (tmp_path / "package.json").write_text(
        json.dumps(
            {
                "dependencies": {name: "9.9.9"},
                "vendorFiles": {name: {"dist/chart.umd.min.js": "chart.umd.js"}},
            }
        )
    )
    lock = {"packages": {f"node_modules/{name}": {"version": "9.9.9", "integrity": integrity}}}
    (tmp_path / "package-lock.json").write_text(json.dumps(lock))
    return tmp_path / "app" / "static" / "vendor"


@pytest.fixture
def registry():
    server = FileServer().start()
    yield server
    server.stop()


def run(root, registry):
    return subprocess.run(
        [sys.executable, str(SCRIPT), "--root", str(root), "--registry", registry.url("")],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_tarball_matching_the_lock_puts_the_named_file_in_vendor(tmp_path, registry):
    data = tarball([("package/package.json", b"{}"), ("package/dist/chart.umd.min.js", CHART)])
    registry.files["/chart.js/-/chart.js-9.9.9.tgz"] = (200, data)
    vendor = project(tmp_path, sri(data))

    result = run(tmp_path, registry)

    assert result.returncode == 0, result.stderr
    assert (vendor / "chart.umd.js").read_bytes() == CHART
    assert sorted(p.name for p in vendor.iterdir()) == ["chart.umd.js"]


def test_a_tarball_with_another_hash_is_refused_and_nothing_is_placed(tmp_path, registry):
    data = tarball([("package/dist/chart.umd.min.js", CHART)])
    registry.files["/chart.js/-/chart.js-9.9.9.tgz"] = (200, data)
    vendor = project(tmp_path, sri(data + b"tampered"))

    result = run(tmp_path, registry)

    assert result.returncode == 1
    assert "sha512 of the download" in result.stderr and "nothing was unpacked" in result.stderr
    assert "Traceback" not in result.stderr
    assert not vendor.exists()


@pytest.mark.parametrize(
    "evil",
    [
        "package/../../escaped.js",
        "../escaped.js",
        "/tmp/escaped.js",
    ],
)
def test_a_tarball_with_a_member_outside_its_folder_is_refused(tmp_path, registry, evil):
    data = tarball([("package/dist/chart.umd.min.js", CHART), (evil, b"owned")])
    registry.files["/chart.js/-/chart.js-9.9.9.tgz"] = (200, data)
    site = tmp_path / "site"
    site.mkdir()
    vendor = project(site, sri(data))

    result = run(site, registry)

    assert result.returncode == 1
    assert "refused" in result.stderr
    assert not vendor.exists()
    assert not (tmp_path / "escaped.js").exists()


def test_a_link_in_the_tarball_is_refused(tmp_path):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        link = tarfile.TarInfo("package/dist/chart.umd.min.js")
        link.type = tarfile.SYMTYPE
        link.linkname = "/etc/passwd"
        archive.addfile(link)
    with pytest.raises(fetch_vendor.VendorError, match="refused"):
        fetch_vendor.read_members(buffer.getvalue(), {"dist/chart.umd.min.js": "chart.umd.js"})


def test_a_scoped_package_keeps_its_scope_in_the_path_only():
    assert (
        fetch_vendor.tarball_url("@kurkle/color", "0.3.4", "https://registry.npmjs.org/")
        == "https://registry.npmjs.org/@kurkle/color/-/color-0.3.4.tgz"
    )
    assert (
        fetch_vendor.tarball_url("chart.js", "4.6.1", "http://m") == "http://m/chart.js/-/chart.js-4.6.1.tgz"
    )


@pytest.mark.parametrize(
    "integrity, ok",
    [
        (lambda d: sri(d), True),
        # The strongest algorithm decides: a matching sha1 beside a wrong sha512 is refused.
        (lambda d: "sha1-" + base64.b64encode(hashlib.sha1(d).digest()).decode() + " " + sri(b"x"), False),
        (lambda d: "md5-abc", False),
        (lambda d: sri(b"other"), False),
    ],
)
def test_integrity_is_checked_with_the_strongest_hash_given(integrity, ok):
    data = b"tarball bytes"
    if ok:
        fetch_vendor.check_integrity(data, integrity(data))
    else:
        with pytest.raises(fetch_vendor.VendorError):
            fetch_vendor.check_integrity(data, integrity(data))


def test_the_projects_own_pins_name_chart_js_with_a_sha512():
    package = json.loads((ROOT / "package.json").read_text())
    lock = json.loads((ROOT / "package-lock.json").read_text())
    [(name, version, integrity, _, files)] = fetch_vendor.pins(package, lock)
    assert (name, files) == ("chart.js", {"dist/chart.umd.min.js": "chart.umd.js"})
    assert version == package["dependencies"]["chart.js"]
    assert integrity.startswith("sha512-")
