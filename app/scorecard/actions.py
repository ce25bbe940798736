"""Actions and the story behind the curve: checking form values and storing them (flush only)."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from flask_babel import gettext as _

from app.core.extensions import db
from app.models import CurveStory, IndicatorAction, Stakeholder
from app.models.scorecard import ACTION_STATUSES

ACTION_FIELDS = ("title", "owner_id", "start_date", "end_date", "status", "notes")


def _date(text: str | None, name: str, errors: dict) -> dt.date | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        errors[name] = _("'%(value)s' is not a date: write it as YYYY-MM-DD, such as 2026-03-31.", value=text[:20])
        return None


def check_action(raw) -> tuple[dict, dict]:
    """(clean values, {field: message}) for an action's form."""
    errors: dict = {}
    clean = {"title": (raw.get("title") or "").strip()[:200], "notes": (raw.get("notes") or "").strip()[:5000]}
    if not clean["title"]:
        errors["title"] = _("Say what the action is.")
    owner = raw.get("owner_id") or None
    if owner and db.session.get(Stakeholder, owner) is None:
        errors["owner_id"] = _("Choose a partner from the registry.")
    clean["owner_id"] = owner
    clean["status"] = raw.get("status") if raw.get("status") in ACTION_STATUSES else None
    if clean["status"] is None:
        errors["status"] = _("Choose the action's status.")
    clean["start_date"] = _date(raw.get("start_date"), "start_date", errors)
    clean["end_date"] = _date(raw.get("end_date"), "end_date", errors)
    if clean["start_date"] and clean["end_date"] and clean["end_date"] < clean["start_date"]:
        errors["end_date"] = _("The end date is before the start date.")
    return clean, errors


def save_action(action: IndicatorAction, clean: dict) -> list[str]:
    """Copy `clean` onto `action` (flush only); the names of the fields that changed."""
    changed = [name for name in ACTION_FIELDS if getattr(action, name) != clean[name]]
    for name in ACTION_FIELDS:
        setattr(action, name, clean[name])
    db.session.add(action)
    db.session.flush()
    return changed


def actions_for(key: str) -> list[IndicatorAction]:
    return list(db.session.scalars(sa.select(IndicatorAction).where(IndicatorAction.indicator_key == key)
                                   .order_by(IndicatorAction.start_date.is_(None), IndicatorAction.start_date,
                                             IndicatorAction.id)))


def story_for(key: str, period: str) -> CurveStory | None:
    return db.session.scalar(sa.select(CurveStory).where(CurveStory.indicator_key == key, CurveStory.period == period))


def save_story(key: str, period: str, text: str, theme_keys: list[str], quotes: list[dict], user) -> CurveStory:
    """Create or replace the story of `key` for `period` (flush only)."""
    story = story_for(key, period) or CurveStory(indicator_key=key, period=period)
    story.text, story.theme_keys, story.quotes, story.updated_by = text.strip()[:10000], theme_keys, quotes, user.id
    db.session.add(story)
    db.session.flush()
    return story
