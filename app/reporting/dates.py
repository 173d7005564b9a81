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
