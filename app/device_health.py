"""Is WhatsApp working? A device the provider reports disconnected, or sends failing in a
row, raise one Telegram alert to the Administrators and a banner in the panel; the
recovery raises one more. State lives in tb_perangkat, one row per sending path."""

from html import escape

from sqlalchemy import select

from . import clock
from .database import run_in_transaction
from .extensions import db
from .models import Perangkat

NORMAL = "normal"
CONNECTED = "terhubung"
DISCONNECTED = "terputus"
FAILING = "gagal kirim"
UNHEALTHY = (DISCONNECTED, FAILING)

# The alerts (Telegram HTML, like every Telegram text): a provider's error text can hold
# "<" or "&", which Telegram would refuse to parse, losing the alert.
DEVICE_DOWN = (
    "⚠️ <b>WhatsApp {label} terputus</b>\n{alasan}\n"
    "Pesan WhatsApp tidak terkirim sampai perangkat tersambung lagi."
)
DEVICE_UP = "✅ <b>WhatsApp {label} tersambung kembali</b>"
SENDS_FAILING = (
    "⚠️ <b>Pengiriman WhatsApp ({provider}) gagal {jumlah} kali berturut-turut</b>\n"
    "Galat terakhir: {alasan}\nPesan tetap di antrean dan dicoba lagi; lihat menu Outbox di panel."
)
SENDS_BACK = "✅ <b>Pengiriman WhatsApp ({provider}) berhasil lagi</b>"


def _text(template, **values):
    return template.format(**{name: escape(str(value), quote=False) for name, value in values.items()})


def _label(row):
    return row.perangkat or row.provider


def _row(kunci, provider, perangkat):
    row = db.session.get(Perangkat, kunci)
    if row is None:
        row = Perangkat(
            kunci=kunci, provider=provider, perangkat=perangkat, status=NORMAL, alasan="", gagal_beruntun=0
        )
        row.diubah = clock.utcnow()
        db.session.add(row)
    return row


def _alert(text):
    # Imported here: the network monitor's alerting imports the outbox, which imports us.
    from .netmon.alerts import broadcast

    broadcast([text], sumber="perangkat")


def device_reported(provider, device, connected, reason=""):
    """The provider's own word on a device (Fonnte's device webhook)."""
    reason = " ".join((reason or "").split())[:500]

    def work():
        row = _row(f"{provider}:{device}"[:80], provider, device[:60])
        new = CONNECTED if connected else DISCONNECTED
        was = row.status
        row.alasan = reason if not connected else ""
        if was == new:
            return False
        row.status, row.diubah = new, clock.utcnow()
        if new == DISCONNECTED:
            _alert(_text(DEVICE_DOWN, label=_label(row), alasan=reason or "Tanpa keterangan dari Fonnte."))
        elif was == DISCONNECTED:
            _alert(_text(DEVICE_UP, label=_label(row)))
        return True

    return run_in_transaction(work)


class SendWatch:
    """Counts WhatsApp sends failing in a row, in the one worker that sends.

    The count lives in memory (a restart starts it again) and only a change of state is
    written, so a healthy stream of sends costs nothing here.
    """

    def __init__(self, config):
        self.threshold = max(1, config["WA_FAILURE_ALERT_AFTER"])
        self.streak = 0
        self.failing = None  # unknown until the first batch looks at tb_perangkat

    def observe(self, provider, successes, failures, last_error=""):
        if not successes and not failures:
            return
        if self.failing is None:
            self.failing = self._stored_failing(provider)
        if successes:
            self.streak = 0
            if self.failing:
                self.failing = False
                self._write(provider, NORMAL, "", 0, _text(SENDS_BACK, provider=provider))
            return
        self.streak += failures
        if self.streak >= self.threshold and not self.failing:
            self.failing = True
            text = _text(SENDS_FAILING, provider=provider, jumlah=self.streak, alasan=last_error or "-")
            self._write(provider, FAILING, last_error, self.streak, text)

    @staticmethod
    def _key(provider):
        return f"{provider}:kirim"

    def _stored_failing(self, provider):
        row = db.session.get(Perangkat, self._key(provider))
        return row is not None and row.status == FAILING

    def _write(self, provider, status, reason, streak, alert):
        def work():
            row = _row(self._key(provider), provider, "")
            row.status, row.alasan, row.gagal_beruntun = status, reason[:2000], streak
            row.diubah = clock.utcnow()
            _alert(alert)

        run_in_transaction(work)


def problems():
    """Rows the panel's banner shows: sending paths that are not working now."""
    return (
        db.session.execute(
            select(Perangkat).where(Perangkat.status.in_(UNHEALTHY)).order_by(Perangkat.diubah)
        )
        .scalars()
        .all()
    )


def describe(row):
    """One line for the panel's banner."""
    when = clock.to_local(row.diubah).strftime("%d-%m-%Y %H:%M")
    if row.status == DISCONNECTED:
        return f"WhatsApp {_label(row)} terputus sejak {when}" + (f": {row.alasan}" if row.alasan else "")
    return f"Pengiriman WhatsApp ({row.provider}) gagal {row.gagal_beruntun} kali berturut-turut sejak {when}: {row.alasan}"
