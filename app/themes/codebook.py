"""The codebook of themes in the database: load it as an ``analysis.themes.Codebook``, hash what
tagging depends on, and change it (edit, add, remove a theme; import a whole file).

Every change is validated by building the whole new codebook with ``Codebook.from_dict`` first:
a change that would make the codebook invalid raises ``CodebookError`` and nothing is written.
Operations here only flush; the route (or the command) commits.
"""
from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path

import sqlalchemy as sa

from app.core import audit
from app.core.extensions import db
from app.models import CodebookTheme
from app.tasks.queue import after_commit

log = logging.getLogger("common_ground.themes")

#: Language of the labels shown when a viewer's language has none (the codebook's default).
DEFAULT_LANGUAGE = "en"
#: The codebook shipped with the project, loaded by the demo (relative to SURVEYS_DIR).
SHIPPED_CODEBOOK = Path("codebooks") / "community-themes.yaml"
#: Parsed codebooks by content hash; a deployment has one codebook at a time, plus a few old ones.
_CACHE_SIZE = 4
_cache: dict[str, object] = {}
#: check() results by tagging hash (the check reads only what tagging reads).
_checks: dict[str, list] = {}


class ThemeInUse(ValueError):
    """A theme that cannot be removed because it has sub-themes."""


def theme_rows() -> list[CodebookTheme]:
    """The codebook's rows in display order."""
    return list(db.session.scalars(sa.select(CodebookTheme).order_by(CodebookTheme.position, CodebookTheme.key)))


def theme_data(row: CodebookTheme) -> dict:
    """One row in the shape ``Codebook.from_dict`` reads (empty languages left out)."""
    data = {"key": row.key,
            "labels": {lang: label for lang, label in (row.labels or {}).items() if label},
            "keywords": {lang: list(words) for lang, words in (row.keywords or {}).items() if words}}
    if row.parent:
        data["parent"] = row.parent
    if row.description:
        data["description"] = row.description
    exclude = {lang: list(words) for lang, words in (row.exclude or {}).items() if words}
    if exclude:
        data["exclude"] = exclude
    if row.negated:
        data["negated"] = row.negated
    return data


def codebook_data(themes: list[dict]) -> dict:
    """Plain codebook data from theme dicts (the database keeps no codebook name)."""
    return {"default_language": DEFAULT_LANGUAGE, "themes": themes}


def tagging_hash(data: dict) -> str:
    """SHA-256 of what the tagger reads: keys, parents, keywords, exclusions, negation, in order.

    Labels and descriptions are left out on purpose: renaming a theme must not make every
    text be tagged again.
    """
    content = [[t["key"], t.get("parent"), t["keywords"]] for t in data["themes"]]
    # Exclusions and negation change what is tagged too; codebooks without them keep their hash.
    content += [[t["key"], t.get("exclude"), t.get("negated")] for t in data["themes"]
                if t.get("exclude") or t.get("negated")]
    return hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def build(data: dict):
    """Validate `data` as a codebook; the ``analysis.themes.Codebook`` (raises CodebookError)."""
    from analysis.themes import Codebook
    return Codebook.from_dict(data)


def current_codebook():
    """The database codebook as ``(Codebook, tagging hash)``, or ``(None, None)`` when it is empty.

    Built once per content and kept, because a Codebook compiles its matchers lazily and keeps
    them: building one per request would compile them again every time.
    """
    from analysis.themes import CodebookError
    data = codebook_data([theme_data(row) for row in theme_rows()])
    if not data["themes"]:
        return None, None
    content_key = hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    codebook = _cache.get(content_key)
    if codebook is None:
        try:
            codebook = build(data)
        except CodebookError as exc:  # only a hand-edited database gets here: every change is validated
            log.error("the codebook in the database is invalid: %s", exc)
            return None, None
        if len(_cache) >= _CACHE_SIZE:
            _cache.clear()
        _cache[content_key] = codebook
    return codebook, tagging_hash(data)


def check(codebook, tag_hash: str) -> list:
    """``analysis.text.check.check_codebook`` of the codebook (kept per content: the first check
    stems the shipped word lists, a few seconds)."""
    from analysis.text.check import check_codebook
    found = _checks.get(tag_hash)
    if found is None:
        found = check_codebook(codebook)
        if len(_checks) >= _CACHE_SIZE:
            _checks.clear()
        _checks[tag_hash] = found
    return found


def _write(themes: list[dict]) -> None:
    """Make the rows match `themes` (already validated), in that order."""
    existing = {row.key: row for row in theme_rows()}
    for position, theme in enumerate(themes):
        row = existing.pop(theme["key"], None)
        if row is None:
            row = CodebookTheme(key=theme["key"])
            db.session.add(row)
        row.parent = theme.get("parent")
        row.labels = dict(theme["labels"])
        row.keywords = {lang: list(words) for lang, words in theme["keywords"].items()}
        row.description = theme.get("description") or ""
        row.exclude = {lang: list(words) for lang, words in (theme.get("exclude") or {}).items()} or None
        row.negated = theme.get("negated") or None
        row.position = position
    for row in existing.values():
        db.session.delete(row)
    db.session.flush()
    # The texts are tagged again with the changed codebook once this commits (app.tasks).
    after_commit("tag_texts")


def replace_codebook(codebook, *, source: str = "") -> dict:
    """Make the database codebook equal to `codebook` (an analysis Codebook); flush only.

    Returns ``{"created", "changed", "removed"}`` theme counts. Tags are kept: automatic tags are
    redone on the next read if the keywords changed, and people's tags for a removed theme come
    back if a theme with that key is added again.
    """
    before = {row.key: theme_data(row) for row in theme_rows()}
    themes = [theme.to_dict() for theme in codebook.themes]
    _write(themes)
    after = {t["key"]: t for t in themes}
    summary = {"created": len(after.keys() - before.keys()),
               "changed": sum(1 for key in after.keys() & before.keys() if after[key] != before[key]),
               "removed": len(before.keys() - after.keys())}
    audit.record("codebook_import", "codebook", source=source, **summary)
    return summary


def _ordered_with(themes: list[dict], theme: dict) -> list[dict]:
    """`themes` with `theme` replaced in place, or added: after its parent's last sub-theme for a
    new sub-theme, else at the end."""
    keys = [t["key"] for t in themes]
    if theme["key"] in keys:
        return [theme if t["key"] == theme["key"] else t for t in themes]
    parent = theme.get("parent")
    if parent in keys:
        at = max(i for i, t in enumerate(themes) if t["key"] == parent or t.get("parent") == parent) + 1
        return themes[:at] + [theme] + themes[at:]
    return themes + [theme]


def save_theme(theme: dict) -> object:
    """Add or change one theme (``{"key", "parent", "labels", "keywords", "description", "exclude",
    "negated"}``).

    A sub-theme that becomes a top-level theme, or the reverse, moves in the order only if it is
    new. Raises CodebookError (nothing written) if the whole codebook would not be valid; returns
    the new Codebook.
    """
    rows = theme_rows()
    current = [theme_data(row) for row in rows]
    before = next((t for t in current if t["key"] == theme["key"]), None)
    clean = {k: v for k, v in theme.items() if v not in (None, "", {})}
    themes = _ordered_with(current, clean)
    codebook = build(codebook_data(themes))
    _write(themes)
    audit.record("codebook_theme_create" if before is None else "codebook_theme_change",
                 f"theme:{theme['key']}", before=before, after=clean)
    return codebook


def delete_theme(key: str) -> None:
    """Remove a theme; raises ThemeInUse if it has sub-themes, CodebookError if it is the last one."""
    current = [theme_data(row) for row in theme_rows()]
    children = [t["key"] for t in current if t.get("parent") == key]
    if children:
        raise ThemeInUse(", ".join(children))
    before = next((t for t in current if t["key"] == key), None)
    themes = [t for t in current if t["key"] != key]
    build(codebook_data(themes))
    _write(themes)
    audit.record("codebook_theme_delete", f"theme:{key}", before=before)


def load_shipped_if_empty() -> int:
    """Load surveys/codebooks/community-themes.yaml when the database has no codebook (the demo)."""
    from flask import current_app
    return load_file_if_empty(Path(current_app.config["SURVEYS_DIR"]) / SHIPPED_CODEBOOK)


def load_file_if_empty(path: Path) -> int:
    """Load a codebook file when the database has none (the demo); the number of themes loaded,
    0 if there was a codebook already. Raises CodebookError for a broken file."""
    if db.session.scalar(sa.select(sa.func.count()).select_from(CodebookTheme)):
        return 0
    from analysis.themes import Codebook
    codebook = Codebook.from_yaml(Path(path))
    replace_codebook(codebook, source=Path(path).name)
    return len(codebook.themes)
