"""Pages of the panel's lists: the rows per page each account chooses, and one page of
a query or of a list computed in Python (the outage history)."""

from dataclasses import dataclass

from sqlalchemy import update

from ..extensions import db
from ..models import Admin

CHOICES = (10, 25, 50, 100)
DEFAULT = 25


def rows_per_page(asked, stored):
    """The page size to use: `asked` (from the query string) when it is one of the
    choices, else the account's stored choice, else the default. Anything else asked
    (100000, -1, "abc") is never used: no list is read without a small LIMIT."""
    for value in (asked, stored):
        try:
            number = int(str(value).strip()) if value is not None else None
        except ValueError:
            continue
        if number in CHOICES:
            return number
    return DEFAULT


def page_number(text):
    """The page asked for, 1 when it cannot be read (the list clamps it to its last page)."""
    try:
        return max(1, int(text))
    except (TypeError, ValueError):
        return 1


@dataclass(frozen=True)
class Page:
    rows: list
    total: int
    page: int
    pages: int
    per_page: int

    @property
    def first(self):
        """The number of the page's first row in the whole list (1-based)."""
        return (self.page - 1) * self.per_page + 1


def _bounds(total, number, per_page):
    pages = max(1, -(-total // per_page))
    return pages, min(max(number, 1), pages)


def of_query(query, count_query, number, per_page):
    """One page of a SELECT, counted by `count_query`."""
    total = db.session.execute(count_query).scalar_one()
    pages, number = _bounds(total, number, per_page)
    rows = db.session.execute(query.limit(per_page).offset((number - 1) * per_page)).scalars().all()
    return Page(rows=rows, total=total, page=number, pages=pages, per_page=per_page)


def of_list(items, number, per_page):
    """One page of rows already in memory."""
    pages, number = _bounds(len(items), number, per_page)
    start = (number - 1) * per_page
    return Page(
        rows=items[start : start + per_page], total=len(items), page=number, pages=pages, per_page=per_page
    )


def page_holding(row, per_page):
    """The page of `per_page` rows on which the list's row number `row` falls: a new page
    size keeps the rows one was reading in view."""
    return (max(row, 1) - 1) // per_page + 1


def remember(id_admin, per_page):
    """Keep an account's page size (in the caller's transaction)."""
    db.session.execute(update(Admin).where(Admin.id_admin == id_admin).values(baris_halaman=per_page))
