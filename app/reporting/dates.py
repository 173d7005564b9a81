"""Indonesian date formats used in replies and pages."""

BULAN = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)


def tanggal_panjang(value):
    """16 September 2024"""
    return f"{value.day} {BULAN[value.month - 1]} {value.year}"


def jam(value):
    """18:28:35"""
    return value.strftime("%H:%M:%S")


def tanggal_pendek(value):
    """16 Sep 24, as the source's lists show it."""
    return f"{value.day} {BULAN[value.month - 1][:3]} {value:%y}"
