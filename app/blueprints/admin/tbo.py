"""A TBO who logs in sees their own assignments, read-only."""

from flask import render_template
from flask_login import current_user

from ... import clock
from ...reporting import technician
from . import bp
from .access import roles_required


@bp.get("/tugas")
@roles_required("TBO")
def my_jobs():
    today = clock.local_now().date()
    return render_template("admin/my_jobs.html", jobs=technician.open_jobs(current_user, today), today=today)
