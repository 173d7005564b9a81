"""Template filters of the network monitor pages."""

from ...netmon import alerts, texts
from . import bp


@bp.app_template_filter("lokal")
def lokal(naive_utc):
    """A stored UTC time as people read it: 23 November 2026 08:00:05 WIB."""
    return texts.waktu(alerts.to_local(naive_utc)) if naive_utc else "-"


@bp.app_template_filter("durasi")
def durasi(seconds):
    return texts.durasi(seconds)
