"""Real PNG and JPEG bytes for the logo tests, made here (no imaging library needed)."""

import struct
import zlib

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(width=4, height=4, pixel=lambda x, y: (11, 79, 138, 255)):
    """An RGBA PNG whose pixels `pixel(x, y)` gives."""
    raw = b"".join(b"\x00" + b"".join(bytes(pixel(x, y)) for x in range(width)) for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (
        PNG_SIGNATURE + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(raw)) + _chunk(b"IEND", b"")
    )


def emblem(size=120):
    """A round blue emblem with a gold ring, as a campus logo looks from afar."""
    middle = (size - 1) / 2

    def pixel(x, y):
        distance = ((x - middle) ** 2 + (y - middle) ** 2) ** 0.5 / middle
        if distance > 1:
            return (0, 0, 0, 0)
        if distance > 0.82:
            return (212, 160, 23, 255)
        if abs(x - middle) < size * 0.08 or abs(y - middle) < size * 0.08:
            return (255, 255, 255, 255)
        return (11, 79, 138, 255)

    return png(size, size, pixel)


def jpeg(width=3, height=2):
    """A baseline JPEG's segments (APP0, DQT, SOF0, DHT, SOS), a scan and the end."""

    def segment(marker, data):
        return b"\xff" + bytes([marker]) + struct.pack(">H", len(data) + 2) + data

    return (
        b"\xff\xd8"
        + segment(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
        + segment(0xDB, b"\x00" + b"\x01" * 64)
        + segment(0xC0, struct.pack(">BHHB", 8, height, width, 1) + b"\x01\x11\x00")
        + segment(0xC4, b"\x00" + b"\x01" + b"\x00" * 15 + b"\x00")
        + segment(0xDA, b"\x01\x01\x00\x00\x3f\x00")
        + b"\x00" * 8
        + b"\xff\xd9"
    )
