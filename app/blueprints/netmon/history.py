"""Outage history, uptime and outages per day; the outage report to print or as Excel."""

from datetime import timedelta

from flask import render_template, request, send_file

from ... import clock
from ...netmon import export, report
from ...netmon import hosts as netmon_hosts
from ...panel import paging
from ...panel.date_filter import read_day
from ..admin.access import PANEL_LEVELS, roles_required
from ..admin.listing import page_number, rows_per_page
from . import bp


def _period():
    """(from, to) local dates from ?dari=&sampai= (default: the last 30 days), and in UTC."""
    today = clock.local_now().date()
    # An unreadable date falls back to the default, which the form then shows.
    start = read_day(request.args.get("dari"), "awal")[0] or today - timedelta(days=29)
    end = read_day(request.args.get("sampai"), "akhir")[0] or today
    if end < start:
        start, end = end, start
    as_utc = [clock.to_utc(clock.local_at(d)) for d in (start, end + timedelta(days=1))]
    return start, end, as_utc[0], as_utc[1]


def _outages():
    start, end, start_utc, end_utc = _period()
    host_id = request.args.get("host", type=int)
    rows = report.outages(start_utc, end_utc, host_id)
    return dict(rows=rows, dari=start, sampai=end, host_id=host_id, now=clock.utcnow())


@bp.get("/riwayat")
@roles_required(*PANEL_LEVELS)
def history():
    data = _outages()
    page = paging.of_list(data.pop("rows"), page_number(), rows_per_page())
    return render_template(
        "netmon/history.html", hosts=netmon_hosts.by_comment(), page=page, rows=page.rows, **data
    )


@bp.get("/riwayat/cetak")
@roles_required(*PANEL_LEVELS)
def history_print():
    return render_template("netmon/history_print.html", **_outages())


@bp.get("/riwayat.xlsx")
@roles_required(*PANEL_LEVELS)
def history_excel():
    data = _outages()
    content = export.outages_workbook(data["rows"], data["dari"], data["sampai"], data["now"])
    name = f"gangguan-jaringan-{data['dari']:%Y%m%d}-{data['sampai']:%Y%m%d}.xlsx"
    return send_file(
        content,
        as_attachment=True,
        download_name=name,
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@bp.get("/uptime")
@roles_required(*PANEL_LEVELS)
def uptime():
    per_day = report.outages_per_day(30)
    return render_template(
        "netmon/uptime.html",
        table=report.uptime_table(),
        windows=[w for w, _ in report.WINDOWS],
        per_day=per_day,
    )
