"""What the public "you said, we did" page shows: the admin's choice of indicators, themes and
actions (flush only). Nothing is public until an admin ticks it."""
from __future__ import annotations

import sqlalchemy as sa

from app.core.extensions import db
from app.models import IndicatorAction, Publication
from app.models.scorecard import PUBLISHABLE
from app.scorecard import source


def published(kind: str) -> set[str]:
    """Keys of `kind` on the public page."""
    return set(db.session.scalars(sa.select(Publication.key).where(Publication.kind == kind)))


def _candidates(lang: str) -> dict[str, list[tuple[str, str]]]:
    """{kind: [(key, label)]} of everything that could be published."""
    from app.themes.codebook import current_codebook
    codebook, _hash = current_codebook()
    titles = source.indicator_titles(lang)
    actions = db.session.scalars(sa.select(IndicatorAction).order_by(IndicatorAction.indicator_key, IndicatorAction.id))
    return {
        "indicator": list(titles.items()),
        "theme": [(t.key, codebook.label(t.key, lang)) for t in codebook.themes] if codebook else [],
        "action": [(str(a.id), f"{a.title} ({titles.get(a.indicator_key, a.indicator_key)})") for a in actions],
    }


def choices(lang: str) -> dict:
    """For the admin's page: every candidate with whether it is published now."""
    return {"choices": {kind: [(key, label, key in published(kind)) for key, label in rows]
                        for kind, rows in _candidates(lang).items()}}


def replace(form, user) -> list[str]:
    """Publish exactly what `form` ticks (fields "indicator", "theme", "action"), among the real
    candidates; returns "+kind:key" / "-kind:key" for what changed."""
    changed = []
    candidates = _candidates("en")
    for kind in PUBLISHABLE:
        valid = {key for key, _label in candidates[kind]}
        wanted = set(form.getlist(kind)) & valid
        now = published(kind)
        for key in sorted(wanted - now):
            db.session.add(Publication(kind=kind, key=key, published_by=user.id))
            changed.append(f"+{kind}:{key}")
        for key in sorted(now - wanted):
            unpublish(kind, key)
            changed.append(f"-{kind}:{key}")
    db.session.flush()
    return changed


def unpublish(kind: str, key: str) -> None:
    db.session.execute(sa.delete(Publication).where(Publication.kind == kind, Publication.key == key))
