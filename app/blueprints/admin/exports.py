"""Excel downloads of the reports list (with its filters) and of incoming messages."""

from flask import Response, request, url_for

from ... import clock
from ...panel import excel
from . import bp
from .access import PANEL_LEVELS, roles_required
from .reports import filter_from_request

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(content, name):
    stamp = clock.local_now().strftime("%Y%m%d-%H%M")
    return Response(
        content, mimetype=XLSX, headers={"Content-Disposition": f'attachment; filename="{name}-{stamp}.xlsx"'}
    )


@bp.get("/laporan/export.xlsx")
@roles_required(*PANEL_LEVELS)
def export_reports():
    def photo_url(path):
        return url_for("admin.upload", path=path, _external=True)

    return _download(excel.reports(filter_from_request(), photo_url), "data-monitoring")


@bp.get("/wa-masuk/export.xlsx")
@roles_required(*PANEL_LEVELS)
def export_incoming():
    return _download(excel.incoming(request.args.get("q", "").strip()[:100]), "wa-masuk")
