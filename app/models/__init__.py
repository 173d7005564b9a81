from . import sizes  # noqa: F401  (texts are cut to their columns on every write)
from .audit import Audit
from .categories import Bidang, BidangPetugas
from .netmon import Event, Host, Router, RouterLoginGagal, TelegramChat
from .outbox import AntarTertunda, Outbox, OutboxBagian
from .people import Admin, LoginGagal, Pegawai
from .reports import Kerja, Media, Monitoring, Penugasan, PesanMasuk, Track
from .system import Kunci, Nomor, Pengaturan, Perangkat, Statistik

__all__ = [
    "Admin",
    "AntarTertunda",
    "Audit",
    "Bidang",
    "BidangPetugas",
    "Event",
    "Host",
    "Kerja",
    "Kunci",
    "LoginGagal",
    "Media",
    "Monitoring",
    "Nomor",
    "Outbox",
    "OutboxBagian",
    "Pegawai",
    "Pengaturan",
    "Penugasan",
    "Perangkat",
    "PesanMasuk",
    "Router",
    "RouterLoginGagal",
    "Statistik",
    "TelegramChat",
    "Track",
]
