"""A list answer (multiple choice, ranking, stakeholders: one Answer row per item) joined into one
string by the database and split again in order of position: for reading many responses' lists
without a row per item (the responses export, the alignment report)."""
from __future__ import annotations

import sqlalchemy as sa

from app.models import Answer

#: Joins a list answer's items inside the database; never in a choice value or stakeholder id.
ITEM_SEPARATOR = "\x1f"
#: Width of the position written before each item where the database cannot order inside an
#: aggregate, so that sorting the strings sorts by position.
_POSITION_WIDTH = 9


def list_aggregate(dialect: str):
    """A list answer's items in one string (an aggregate over its Answer rows). PostgreSQL joins
    them in order of position; SQLite before 3.44 has no ORDER BY inside an aggregate, so each
    item carries its position, padded with zeros, and `list_items` sorts them."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import aggregate_order_by
        return sa.func.string_agg(Answer.choice, aggregate_order_by(sa.literal(ITEM_SEPARATOR), Answer.position))
    item = sa.func.printf(f"%0{_POSITION_WIDTH}d", Answer.position, type_=sa.String) + Answer.choice
    return sa.func.group_concat(item, sa.literal(ITEM_SEPARATOR))


def is_positioned(dialect: str) -> bool:
    """Whether `list_aggregate` on this database gives items with their positions, unordered."""
    return dialect != "postgresql"


def list_items(joined: str, positioned: bool) -> list[str]:
    """The items of a `list_aggregate` string, in order of position."""
    items = joined.split(ITEM_SEPARATOR)
    if not positioned:
        return items
    if len(items) == 1:
        return [items[0][_POSITION_WIDTH:]]
    return [item[_POSITION_WIDTH:] for item in sorted(items)]
