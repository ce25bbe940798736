"""Pages of a long list (the audit log, the ties): a count, then one LIMIT/OFFSET query."""
from __future__ import annotations

import math
from dataclasses import dataclass

import sqlalchemy as sa

from app.core.extensions import db

#: Rows per page of the admin lists.
PER_PAGE = 50


@dataclass(frozen=True)
class Page:
    """One page of rows, its number (from 1), how many pages there are and how many rows in all."""

    rows: list
    number: int
    pages: int
    total: int


def paginate(query: sa.Select, number: int | None, per_page: int = PER_PAGE) -> Page:
    """The `number`th page of an ordered `query`; a number out of range gives the nearest page,
    so a hand-edited address (page=0, page=99999999999999999999) never fails."""
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.order_by(None).subquery()))
    pages = max(1, math.ceil(total / per_page))
    number = min(max(1, number or 1), pages)
    rows = db.session.execute(query.limit(per_page).offset((number - 1) * per_page)).all()
    return Page(rows=rows, number=number, pages=pages, total=total)
