"""The page size and page number of a panel list, read from the request: the size an
account chooses (?per=) is kept on the account, so every list opens with it next time."""

from flask import request
from flask_login import current_user

from ...database import run_in_transaction
from ...panel import paging
from . import bp


def rows_per_page():
    stored = current_user.baris_halaman
    chosen = paging.rows_per_page(request.args.get("per"), stored)
    if chosen != stored:
        run_in_transaction(lambda: paging.remember(current_user.id_admin, chosen))
    return chosen


def page_number():
    return paging.page_number(request.args.get("page"))


# For the paging macro (templates/macros.html).
bp.add_app_template_global(paging.page_holding, "page_holding")
bp.add_app_template_global(paging.CHOICES, "page_size_choices")
