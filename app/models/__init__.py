from .outbox import Outbox
from .people import Admin, Pegawai
from .reports import Kerja, Monitoring, Penugasan, PesanMasuk, Track
from .system import Kunci, Nomor

__all__ = [
    "Admin",
    "Kerja",
    "Kunci",
    "Monitoring",
    "Nomor",
    "Outbox",
    "Pegawai",
    "Penugasan",
    "PesanMasuk",
    "Track",
]
