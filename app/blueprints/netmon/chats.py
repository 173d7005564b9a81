"""Telegram chats: who receives alerts and may use the bot, and who was refused."""

from flask import current_app, flash, redirect, render_template, url_for

from ...database import run_in_transaction
from ...models.netmon import DIIZINKAN, DITOLAK
from ...netmon import chats as netmon_chats
from ..admin.access import PANEL_LEVELS, roles_required
from . import bp
from .forms import ChatForm
from .routers import ADMINISTRATOR


@bp.get("/telegram")
@roles_required(*PANEL_LEVELS)
def chats():
    return render_template(
        "netmon/chats.html",
        chats=netmon_chats.all_chats(),
        configured=current_app.config.get("TELEGRAM_ADMIN_CHAT_IDS") or [],
        bot=bool(current_app.config.get("TELEGRAM_BOT_TOKEN")),
        form=ChatForm(),
    )


@bp.post("/telegram")
@roles_required(ADMINISTRATOR)
def chat_add():
    form = ChatForm()
    if form.validate_on_submit():
        run_in_transaction(
            lambda: netmon_chats.set_status(
                form.chat_id.data, DIIZINKAN, form.nama.data or "", for_reports=form.laporan.data
            )
        )
        flash(f"Chat {form.chat_id.data} diizinkan.", "success")
    else:
        for errors in form.errors.values():
            for error in errors:
                flash(error, "danger")
    return redirect(url_for("netmon.chats"))


@bp.post("/telegram/<chat_id>/<status>")
@roles_required(ADMINISTRATOR)
def chat_status(chat_id, status):
    if status not in (DIIZINKAN, DITOLAK):
        return redirect(url_for("netmon.chats"))
    run_in_transaction(lambda: netmon_chats.set_status(chat_id, status))
    flash(f"Chat {chat_id} {'diizinkan' if status == DIIZINKAN else 'dicabut'}.", "info")
    return redirect(url_for("netmon.chats"))


@bp.post("/telegram/<chat_id>/laporan/<int:on>")
@roles_required(ADMINISTRATOR)
def chat_reports(chat_id, on):
    try:
        run_in_transaction(lambda: netmon_chats.mark_for_reports(chat_id, bool(on)))
    except netmon_chats.NotAllowed as refused:
        flash(str(refused), "danger")
    else:
        flash(f"Chat {chat_id} {'menerima' if on else 'tidak lagi menerima'} laporan WhatsApp baru.", "info")
    return redirect(url_for("netmon.chats"))
