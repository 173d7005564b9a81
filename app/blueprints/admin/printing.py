"""Print-ready pages ("Cetak"): the reports list, one report, the monthly recap."""

from flask import abort, render_template, request

from ... import clock
from ...panel import recap, report_list
from ...reporting import categories, service, staff
from ...reporting.dates import BULAN
from . import bp
from .access import PANEL_LEVELS, roles_required
from .reports import filter_from_request

PRINT_LIMIT = 2000


@bp.get("/cetak/laporan")
@roles_required(*PANEL_LEVELS)
def print_reports():
    flt = filter_from_request()
    rows = report_list.rows(flt, PRINT_LIMIT)
    return render_template(
        "print/reports.html",
        rows=rows,
        total=report_list.count(flt),
        flt=flt,
        pj=report_list.pj_names([r.idm for r in rows]),
        category_names=categories.names(),
        limit=PRINT_LIMIT,
        age=report_list.age_label,
    )


@bp.get("/cetak/laporan/<id_track>")
@roles_required(*PANEL_LEVELS)
def print_report(id_track):
    report = service.find_report(id_track) or abort(404)
    return render_template(
        "print/report.html",
        report=report,
        category=categories.name_of(report.id_bidang),
        assignments=staff.assignments_of(report),
        lead_idp=staff.lead_idp(report),
        names=report_list.all_admin_names(),
        tracks=service.tracks_of(report),
        is_active=staff.is_active_assignment,
    )


@bp.get("/cetak/rekap")
@roles_required(*PANEL_LEVELS)
def print_recap():
    today = clock.local_now().date()
    try:
        year = int(request.args.get("tahun", today.year))
        month = int(request.args.get("bulan", today.month))
        if not (2000 <= year <= 2100 and 1 <= month <= 12):
            raise ValueError
    except ValueError:
        abort(400)
    return render_template(
        "print/recap.html",
        data=recap.monthly(year, month),
        month_name=BULAN[month - 1],
        year=year,
    )
