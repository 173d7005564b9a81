"""A TBO who logs in sees their own assignments, read-only."""

from flask import render_template
from flask_login import current_user

from ... import clock
from ...reporting import staff, technician
from . import bp
from .access import roles_required


@bp.get("/tugas")
@roles_required("TBO")
def my_jobs():
    today = clock.local_now().date()
    jobs = technician.open_jobs(current_user, today)
    teams = staff.team_names([report.idm for report, _ in jobs])
    return render_template("admin/my_jobs.html", jobs=jobs, teams=teams, today=today)
