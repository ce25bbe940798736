"""The codebook of themes facilitators tag contributions with.

The codebook admins edit lives in the database (app.themes.codebook); until one has been
imported there, the shipped file surveys/codebooks/community-themes.yaml is read instead,
through analysis.themes.Codebook, once per file version. A missing or broken codebook leaves
tagging unavailable (logged) rather than breaking the session page.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from babel import Locale, UnknownLocaleError
from flask import current_app

log = logging.getLogger("common_ground.facilitate")

#: The codebook file, relative to the surveys folder (SURVEYS_DIR).
CODEBOOK_PATH = Path("codebooks") / "community-themes.yaml"


@dataclass(frozen=True)
class ThemeChoice:
    key: str
    label: str
    #: The parent theme's key for a sub-theme, else None.
    parent: str | None


_cache: dict[tuple[str, float], object] = {}


def codebook():
    """The codebook (analysis.themes.Codebook): the database's, else the shipped file's; None
    when neither is usable."""
    from app.themes.codebook import current_codebook
    stored, _tagging_hash = current_codebook()
    return stored if stored is not None else _file_codebook()


def _file_codebook():
    from analysis.themes import Codebook, CodebookError
    path = Path(current_app.config["SURVEYS_DIR"]) / CODEBOOK_PATH
    try:
        stamp = path.stat().st_mtime
    except OSError:
        log.warning("codebook %s not found: theme tagging is unavailable", path)
        return None
    key = (str(path), stamp)
    if key not in _cache:
        try:
            _cache[key] = Codebook.from_yaml(path)
        except CodebookError as exc:
            log.error("codebook %s is invalid: %s", path, exc)
            _cache[key] = None
    return _cache[key]


def theme_keys() -> tuple[str, ...]:
    book = codebook()
    return book.keys if book else ()


def theme_choices(lang: str) -> list[ThemeChoice]:
    """Every theme with its label in `lang` (codebooks key labels by language only: zh_Hans → zh)."""
    book = codebook()
    if book is None:
        return []
    base = _base_language(lang)
    return [ThemeChoice(t.key, book.label(t.key, base), t.parent) for t in book.themes]


def _base_language(lang: str) -> str:
    try:
        return Locale.parse(str(lang)).language
    except (ValueError, UnknownLocaleError):
        return str(lang)
