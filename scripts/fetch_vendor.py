"""Fetch the pinned front-end files from the npm registry into app/static/vendor/, without
Node: each tarball is the exact version in package-lock.json, checked against the lock's
`integrity` hash before anything is unpacked, and only the files named in package.json's
`vendorFiles` are copied out. Standard library only: it runs before any package is
installed.

    python3 scripts/fetch_vendor.py [--registry URL]

The registry is https://registry.npmjs.org unless --registry or NPM_CONFIG_REGISTRY (npm's
own setting) names another, e.g. a mirror.
"""

import argparse
import base64
import hashlib
import io
import json
import os
import sys
import tarfile
import tempfile
import urllib.request
from pathlib import Path, PurePosixPath

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_REGISTRY = "https://registry.npmjs.org"
# The algorithms npm writes into `integrity`, strongest last.
ALGORITHMS = ("sha1", "sha256", "sha384", "sha512")
TIMEOUT_SECONDS = 60


class VendorError(Exception):
    """Something that stops the fetch; nothing has been written to the vendor folder."""


def pins(package, lock):
    """(name, version, integrity, resolved or None, {file in package: name in vendor/})
    for every package whose files package.json asks for."""
    wanted = package.get("vendorFiles") or {}
    rows = []
    for name, files in wanted.items():
        entry = lock.get("packages", {}).get(f"node_modules/{name}")
        if not entry or not entry.get("version") or not entry.get("integrity"):
            raise VendorError(f"{name}: no version and integrity in package-lock.json")
        for target in files.values():
            if PurePosixPath(target).name != target or target in ("", ".", ".."):
                raise VendorError(f"{name}: {target!r} is not a plain file name")
        rows.append((name, entry["version"], entry["integrity"], entry.get("resolved"), files))
    return rows


def tarball_url(name, version, registry):
    """The registry's address of a package's tarball (a scoped name keeps its scope in the
    path but not in the file name: @kurkle/color -> @kurkle/color/-/color-0.3.4.tgz)."""
    base_name = name.rsplit("/", 1)[-1]
    return f"{registry.rstrip('/')}/{name}/-/{base_name}-{version}.tgz"


def check_integrity(data, integrity):
    """Raise VendorError unless `data` matches the strongest hash of the SRI string."""
    hashes = {}
    for item in integrity.split():
        algorithm, _, digest = item.partition("-")
        if algorithm in ALGORITHMS:
            hashes.setdefault(algorithm, []).append(digest.split("?", 1)[0])
    if not hashes:
        raise VendorError(f"unknown integrity {integrity!r}")
    strongest = max(hashes, key=ALGORITHMS.index)
    actual = base64.b64encode(hashlib.new(strongest, data).digest()).decode()
    if actual not in hashes[strongest]:
        raise VendorError(f"{strongest} of the download is {actual}, the lock says {hashes[strongest][0]}")


def _unsafe(name):
    path = PurePosixPath(name)
    return path.is_absolute() or ".." in path.parts or "\\" in name


def read_members(data, files):
    """{name in vendor/: bytes} of the wanted files of a checked tarball. The whole
    tarball is refused if any member would land outside the folder it unpacks into
    (an absolute path, a `..` part, a link), as npm itself refuses such packages."""
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
            return _wanted_files(archive, archive.getmembers(), files)
    except (tarfile.TarError, OSError, EOFError) as error:
        raise VendorError(f"not a readable tarball ({error})") from None


def _wanted_files(archive, members, files):
    by_name = {}
    for member in members:
        if _unsafe(member.name) or member.issym() or member.islnk():
            raise VendorError(f"refused: the tarball holds {member.name!r}, which points outside the package")
        by_name[member.name] = member
    found = {}
    for source, target in files.items():
        # npm tarballs keep everything under package/.
        member = by_name.get(f"package/{source}")
        if member is None or not member.isfile():
            raise VendorError(f"the tarball has no file package/{source}")
        found[target] = archive.extractfile(member).read()
    return found


def download(url):
    request = urllib.request.Request(url, headers={"User-Agent": "sarpras-fetch-vendor"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            return response.read()
    except OSError as error:
        raise VendorError(f"cannot download {url}: {error}") from None


def place(files, vendor_dir):
    """Write every file, each through a temporary file and a rename, so a reader never
    sees half of one."""
    vendor_dir.mkdir(parents=True, exist_ok=True)
    for target, content in files.items():
        handle, temporary = tempfile.mkstemp(dir=vendor_dir, prefix=f".{target}.")
        with os.fdopen(handle, "wb") as out:
            out.write(content)
        os.chmod(temporary, 0o644)
        os.replace(temporary, vendor_dir / target)


def fetch(root, registry):
    """Download, check and unpack every pinned package, then write all their files: a
    failure anywhere leaves the vendor folder as it was."""
    package = json.loads((root / "package.json").read_text())
    lock = json.loads((root / "package-lock.json").read_text())
    wanted = {}
    for name, version, integrity, resolved, files in pins(package, lock):
        url = resolved if resolved and registry == DEFAULT_REGISTRY else tarball_url(name, version, registry)
        data = download(url)
        try:
            check_integrity(data, integrity)
        except VendorError as error:
            raise VendorError(f"{name}@{version}: {error}; nothing was unpacked") from None
        try:
            wanted.update(read_members(data, files))
        except VendorError as error:
            raise VendorError(f"{name}@{version}: {error}") from None
    place(wanted, root / "app" / "static" / "vendor")
    return sorted(wanted)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="the project folder")
    parser.add_argument(
        "--registry",
        default=os.environ.get("NPM_CONFIG_REGISTRY") or DEFAULT_REGISTRY,
        help="npm registry URL",
    )
    args = parser.parse_args(argv)
    try:
        placed = fetch(args.root, args.registry)
    except VendorError as error:
        print(f"fetch_vendor: {error}", file=sys.stderr)
        return 1
    print(f"fetch_vendor: {', '.join(placed)} in app/static/vendor/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
