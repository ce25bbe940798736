"""Checking stakeholder and relationship records: the one place the CSV import, the JSON API and
the admin forms validate them.

A record is a dict of raw values as they arrived (CSV cells are strings, JSON values may be
anything). A checker returns the clean values of the fields that were given, and
``{field: message}`` for the ones that are wrong; the batch checkers add the checks that span
rows (an id twice in one file) and return :class:`RowError` s that name the row and the field.
Nothing here touches the database except to learn which ids exist; nothing writes.
"""
from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from flask_babel import gettext as _

from app.models.relationships import RELATIONSHIP_TYPES
from app.models.stakeholders import SECTORS

#: A stakeholder id: the organisation's own key, ASCII only so it is safe in URLs and files.
ID_PATTERN = re.compile(r"[A-Za-z0-9_.-]{1,64}", re.ASCII)
#: Longest text per field, as the columns allow (app/models/stakeholders.py); contact is a
#: Text column, capped so a pasted document cannot end up in it by mistake.
MAX_LENGTHS = {"name": 200, "kind": 100, "neighbourhood": 100, "contact": 2000}
#: Fields of a stakeholder record; id, name and sector are required.
STAKEHOLDER_FIELDS = ("id", "name", "sector", "kind", "neighbourhood", "contact")
REQUIRED_STAKEHOLDER_FIELDS = ("id", "name", "sector")
#: Fields of a relationship record; source, target and type are required.
RELATIONSHIP_FIELDS = ("source", "target", "type", "weight", "date")
REQUIRED_RELATIONSHIP_FIELDS = ("source", "target", "type")
#: A tie's weight when none is given.
DEFAULT_WEIGHT = 1.0
#: Longest piece of a bad value repeated back in a message.
ECHO_LENGTH = 40
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


@dataclass(frozen=True)
class RowError:
    """One problem: the row it is on (None for the whole file or body), the field, and what is wrong."""

    row: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        return _("row %(row)d: %(message)s", row=self.row, message=self.message)

    def to_json(self) -> dict:
        return {"row": self.row, "field": self.field, "message": self.message}


def echo(value) -> str:
    """A bad value as it can be repeated back to the person: shortened, on one line."""
    text = " ".join(str(value).split())
    return text if len(text) <= ECHO_LENGTH else text[:ECHO_LENGTH - 1] + "…"


def _has_control_characters(text: str, multiline: bool) -> bool:
    allowed = "\n\t" if multiline else ""
    # NUL and friends would be refused by PostgreSQL (a 500) or break a CSV export.
    return any(unicodedata.category(c) == "Cc" and c not in allowed for c in text)


def _text(raw: dict, field: str, errors: dict, *, required: bool = False, multiline: bool = False):
    """The stripped text of `field` ("" when blank or null), or None when it is missing or wrong."""
    if field not in raw:
        if required:
            # TRANSLATORS: %(field)s is a column or field name (id, name, sector…), kept in English
            # because it is what the file or the JSON says.
            errors[field] = _("%(field)s is required", field=field)
        return None
    value = raw[field]
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors[field] = _("%(field)s must be text", field=field)
        return None
    if multiline:  # browsers send a textarea's line breaks as CRLF
        value = value.replace("\r\n", "\n").replace("\r", "\n").strip()
    else:
        value = " ".join(value.split())
    if required and not value:
        errors[field] = _("%(field)s is required", field=field)
        return None
    if _has_control_characters(value, multiline):
        errors[field] = _("%(field)s contains control characters", field=field)
        return None
    limit = MAX_LENGTHS.get(field)
    if limit and len(value) > limit:
        errors[field] = _("%(field)s is longer than %(max)d characters", field=field, max=limit)
        return None
    return value


def id_error(value: str) -> str | None:
    """Why `value` cannot be a stakeholder id, or None when it can."""
    if not ID_PATTERN.fullmatch(value):
        return _("id '%(value)s' must be 1 to 64 letters, digits, '.', '-' or '_', with no spaces",
                 value=echo(value))
    if not value.strip("."):
        # "." and ".." are path segments: a browser would rewrite the page's address.
        return _("id '%(value)s' must contain a letter or a digit", value=echo(value))
    return None


def check_stakeholder(raw: dict) -> tuple[dict, dict[str, str]]:
    """Check one stakeholder record.

    Returns ``(clean, errors)``: clean holds only the fields that were given (so an update leaves
    the others as they are), ``errors`` maps a field to what is wrong with it.
    """
    errors: dict[str, str] = {}
    clean: dict = {}
    stakeholder_id = _text(raw, "id", errors, required=True)
    if stakeholder_id is not None:
        problem = id_error(stakeholder_id)
        if problem:
            errors["id"] = problem
        else:
            clean["id"] = stakeholder_id
    for field in ("name", "kind", "neighbourhood"):
        value = _text(raw, field, errors, required=field in REQUIRED_STAKEHOLDER_FIELDS)
        if value is not None:
            clean[field] = value
    sector = _text(raw, "sector", errors, required=True)
    if sector is not None:
        if sector.lower() in SECTORS:
            clean["sector"] = sector.lower()
        else:
            errors["sector"] = _("sector '%(value)s' is not one of %(choices)s",
                                 value=echo(sector), choices=", ".join(SECTORS))
    contact = _text(raw, "contact", errors, multiline=True)
    if contact is not None:
        clean["contact"] = contact
    return clean, errors


def _weight(raw: dict, errors: dict) -> float | None:
    value = raw.get("weight")
    if value is None or (isinstance(value, str) and not value.strip()):
        return DEFAULT_WEIGHT
    try:
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            raise TypeError(value)  # JSON true is no weight, though float(True) is 1.0
        weight = float(value)
    except (TypeError, ValueError, OverflowError):  # OverflowError: a JSON integer of 400 digits
        errors["weight"] = _("weight '%(value)s' is not a number (write decimals with a dot: 2.5)",
                             value=echo(value))
        return None
    if not math.isfinite(weight) or weight <= 0:
        errors["weight"] = _("weight must be a number more than 0, not '%(value)s'", value=echo(value))
        return None
    return weight


def _date(raw: dict, errors: dict) -> dt.date | None:
    value = raw.get("date")
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    text = value.strip() if isinstance(value, str) else None
    try:
        if text is None or not _DATE.fullmatch(text):
            raise ValueError(text)
        return dt.date.fromisoformat(text)
    except ValueError:
        errors["date"] = _("date '%(value)s' is not a date in the form YYYY-MM-DD", value=echo(value))
        return None


def check_relationship(raw: dict, registry_ids: Collection[str]) -> tuple[dict, dict[str, str]]:
    """Check one relationship record against the ids in the registry.

    Returns ``(clean, errors)``; clean has source, target, type, weight (default 1) and date (or None).
    """
    errors: dict[str, str] = {}
    clean: dict = {}
    for field in ("source", "target"):
        value = _text(raw, field, errors, required=True)
        if value is None:
            continue
        if value not in registry_ids:
            errors[field] = _("%(field)s '%(value)s' is not in the registry", field=field, value=echo(value))
        else:
            clean[field + "_id"] = value
    kind = _text(raw, "type", errors, required=True)
    if kind is not None:
        if kind.lower() in RELATIONSHIP_TYPES:
            clean["type"] = kind.lower()
        else:
            errors["type"] = _("type '%(value)s' is not one of %(choices)s",
                               value=echo(kind), choices=", ".join(RELATIONSHIP_TYPES))
    weight, date = _weight(raw, errors), _date(raw, errors)
    clean.update(weight=weight, date=date)
    if clean.get("source_id") and clean.get("source_id") == clean.get("target_id"):
        errors["target"] = _("a stakeholder cannot have a tie with itself ('%(value)s')",
                             value=echo(clean["target_id"]))
    return clean, errors


def _row_errors(row: int, errors: dict[str, str]) -> list[RowError]:
    return [RowError(row, field, message) for field, message in errors.items()]


def check_stakeholder_batch(records: Iterable[tuple[int, dict]]) -> tuple[list[dict], list[RowError]]:
    """Check numbered stakeholder records; an id given twice is an error on its second row."""
    clean_rows, problems, first_row = [], [], {}
    for row, raw in records:
        clean, errors = check_stakeholder(raw)
        seen = first_row.get(clean.get("id"))
        if seen is not None:
            errors["id"] = _("id '%(value)s' appears again (first on row %(first)d)",
                             value=clean["id"], first=seen)
        elif "id" in clean:
            first_row[clean["id"]] = row
        problems.extend(_row_errors(row, errors))
        clean_rows.append(clean)
    return clean_rows, problems


def tie_key(clean: dict) -> tuple:
    """What makes two ties of the same provenance the same tie: an import again updates its weight."""
    return clean["source_id"], clean["target_id"], clean["type"], clean["date"]


def check_relationship_batch(records: Iterable[tuple[int, dict]],
                             registry_ids: Collection[str]) -> tuple[list[dict], list[RowError]]:
    """Check numbered relationship records; the same tie twice is an error on its second row."""
    clean_rows, problems, first_row = [], [], {}
    for row, raw in records:
        clean, errors = check_relationship(raw, registry_ids)
        if not errors:
            seen = first_row.setdefault(tie_key(clean), row)
            if seen != row:
                errors["source"] = _("the same tie as row %(first)d (same source, target, type and date)",
                                     first=seen)
        problems.extend(_row_errors(row, errors))
        clean_rows.append(clean)
    return clean_rows, problems
