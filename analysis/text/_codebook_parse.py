"""Parsing and validation of codebook data (used by :mod:`analysis.text.codebook`).

Errors name the file, the line of the theme entry (when loaded from YAML),
the theme key and what is wrong.
"""

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import yaml

from analysis.text.forms import EXACT_PREFIX
from analysis.text.normalise import SUBSTRING_LANGUAGES, LanguageError, normalise_lang, tokenize

__all__ = [
    "CodebookError",
    "DuplicateThemeError",
    "UnknownParentError",
    "ThemeNestingError",
    "EmptyKeywordsError",
    "InvalidThemeError",
    "Theme",
    "parse_codebook",
    "read_yaml",
]

#: Theme keys are stable identifiers, like question keys in DESIGN.md.
_KEY_RE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")
_THEME_FIELDS = frozenset({"key", "labels", "keywords", "parent", "description", "exclude", "negated"})
#: What a theme's ``negated:`` may say besides naming a counterpart theme.
NEGATED_POLICIES = ("drop", "keep")
_CODEBOOK_FIELDS = frozenset({"name", "default_language", "description", "themes"})


class CodebookError(ValueError):
    """A codebook that cannot be used, with the theme, file and line at fault."""

    def __init__(self, message, *, key=None, source=None, line=None):
        where = ", ".join(
            part for part in (source, f"line {line}" if line else None) if part
        )
        what = f"theme {key!r}: {message}" if key else message
        super().__init__(f"{where}: {what}" if where else what)
        self.key, self.source, self.line = key, source, line


class DuplicateThemeError(CodebookError):
    """Two themes share a key."""


class UnknownParentError(CodebookError):
    """A sub-theme names a parent that is not in the codebook."""


class ThemeNestingError(CodebookError):
    """A sub-theme's parent is itself a sub-theme (one level only)."""


class EmptyKeywordsError(CodebookError):
    """A theme without keywords, or an empty keyword list or keyword."""


class InvalidThemeError(CodebookError):
    """A theme entry of the wrong shape: bad key, labels or fields."""


@dataclass(frozen=True)
class Theme:
    """One theme of a codebook (read-only).

    Attributes
    ----------
    key : str
        ASCII snake_case identifier.
    labels : Mapping[str, str]
        Label per language code.
    keywords : Mapping[str, tuple of str]
        Keywords and phrases per language code.
    parent : str or None
        Key of the top-level theme this sub-theme belongs to.
    description : str or None
        What the theme covers, for the people who code by hand.
    exclude : Mapping[str, tuple of str]
        Phrases per language inside which the theme's keywords do not count
        ("falling apart" for *apartment*).
    negated : str or None
        What a negated match does: ``"drop"`` (None means the same), ``"keep"``, or the key
        of the theme it counts for instead ("do not trust" -> ``distrust``).
    """

    key: str
    labels: Mapping
    keywords: Mapping
    parent: str | None = None
    description: str | None = None
    exclude: Mapping = field(default_factory=lambda: MappingProxyType({}))
    negated: str | None = None

    def to_dict(self):
        """Return the theme as plain data (the YAML shape)."""
        data = {"key": self.key}
        if self.parent:
            data["parent"] = self.parent
        if self.description:
            data["description"] = self.description
        data["labels"] = dict(self.labels)
        data["keywords"] = {lang: list(words) for lang, words in self.keywords.items()}
        if self.exclude:
            data["exclude"] = {lang: list(words) for lang, words in self.exclude.items()}
        if self.negated:
            data["negated"] = self.negated
        return data


def _read_source(text_or_path):
    if isinstance(text_or_path, os.PathLike) or (
        isinstance(text_or_path, str) and "\n" not in text_or_path
        and (text_or_path.endswith((".yaml", ".yml")) or os.path.isfile(text_or_path))
    ):
        path = os.fspath(text_or_path)
        try:
            with open(path, encoding="utf-8") as handle:
                return handle.read(), os.path.basename(path)
        except OSError as error:
            raise CodebookError(f"cannot read codebook file: {error.strerror}",
                                source=path) from None
    if not isinstance(text_or_path, str):
        raise CodebookError("give YAML text or a path to a YAML file")
    return text_or_path, None


def _theme_lines(node):
    """Line number (1-based) of each entry of the top-level ``themes`` list."""
    if not isinstance(node, yaml.MappingNode):
        return None
    for key_node, value_node in node.value:
        if key_node.value == "themes" and isinstance(value_node, yaml.SequenceNode):
            return [item.start_mark.line + 1 for item in value_node.value]
    return None


def read_yaml(text_or_path):
    """Read codebook YAML; return ``(data, source, lines)``.

    `source` is the file name (None for text) and `lines` the 1-based line of
    each entry of the ``themes`` list, so validation errors can point at it.
    """
    text, source = _read_source(text_or_path)
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        raise CodebookError(
            f"not valid YAML: {error.problem}", source=source,
            line=mark.line + 1 if mark else None,
        ) from None
    return data, source, _theme_lines(node)


def parse_codebook(data, *, source=None, lines=None):
    """Validate codebook data; return ``(themes, metadata)``.

    `themes` is a list of :class:`Theme`; `metadata` holds ``name``,
    ``default_language`` and ``description``.
    """
    if not isinstance(data, Mapping):
        raise CodebookError("a codebook is a mapping with a 'themes' list", source=source)
    unknown = sorted(set(data) - _CODEBOOK_FIELDS)
    if unknown:
        raise CodebookError(f"unknown field(s) {unknown}; expected {sorted(_CODEBOOK_FIELDS)}",
                            source=source)
    entries = data.get("themes")
    if not isinstance(entries, list) or not entries:
        raise CodebookError("'themes' must be a non-empty list", source=source)
    try:
        default_language = normalise_lang(data.get("default_language", "en"))
    except LanguageError as error:
        raise CodebookError(f"default_language: {error}", source=source) from None

    themes, seen = [], {}
    for index, entry in enumerate(entries):
        where = {"source": source, "line": lines[index] if lines else None}
        theme = _build_theme(entry, index, where)
        if theme.key in seen:
            raise DuplicateThemeError(
                f"duplicate key (first defined as theme #{seen[theme.key] + 1}); "
                "theme keys must be unique", key=theme.key, **where)
        seen[theme.key] = index
        themes.append((theme, where))

    by_key = {theme.key: theme for theme, _ in themes}
    for theme, where in themes:
        if theme.parent is None:
            continue
        parent = by_key.get(theme.parent)
        if parent is None:
            raise UnknownParentError(
                f"parent {theme.parent!r} is not a theme in this codebook; "
                "add it or fix the spelling", key=theme.key, **where)
        if parent.key == theme.key:
            raise ThemeNestingError("a theme cannot be its own parent", key=theme.key, **where)
        if parent.parent is not None:
            raise ThemeNestingError(
                f"parent {theme.parent!r} is itself a sub-theme; only one level of "
                "sub-themes is allowed, so the parent must be a top-level theme",
                key=theme.key, **where)
    for theme, where in themes:
        if theme.negated is None or theme.negated in NEGATED_POLICIES:
            continue
        if theme.negated == theme.key or theme.negated not in by_key:
            raise InvalidThemeError(
                f"negated: {theme.negated!r} must be 'drop', 'keep' or the key of another theme "
                "that negated matches count for", key=theme.key, **where)
    for field in ("name", "description"):
        if data.get(field) is not None and not isinstance(data[field], str):
            raise CodebookError(f"'{field}' must be text", source=source)
    metadata = {"name": data.get("name"), "default_language": default_language,
                "description": data.get("description")}
    return [theme for theme, _ in themes], metadata


def _build_theme(entry, index, where):
    if not isinstance(entry, Mapping):
        raise InvalidThemeError(f"theme #{index + 1} must be a mapping with a 'key'", **where)
    key = entry.get("key")
    if not isinstance(key, str) or not _KEY_RE.match(key):
        raise InvalidThemeError(
            f"theme #{index + 1}: key {key!r} must be ASCII snake_case (e.g. 'street_lighting')",
            **where)
    unknown = sorted(set(entry) - _THEME_FIELDS)
    if unknown:
        raise InvalidThemeError(f"unknown field(s) {unknown}; expected {sorted(_THEME_FIELDS)}",
                                key=key, **where)
    labels = _language_mapping(entry.get("labels"), "labels", key, where)
    for lang, label in labels.items():
        if not isinstance(label, str) or not label.strip():
            raise InvalidThemeError(f"label for {lang!r} must be non-empty text", key=key, **where)
    keywords = _language_mapping(entry.get("keywords"), "keywords", key, where,
                                 error=EmptyKeywordsError)
    cleaned = {}
    for lang, words in keywords.items():
        cleaned[lang] = _keyword_list(words, lang, key, where)
    parent = entry.get("parent")
    if parent is not None and not isinstance(parent, str):
        raise InvalidThemeError(f"parent must be a theme key, not {parent!r}", key=key, **where)
    description = entry.get("description")
    if description is not None and not isinstance(description, str):
        raise InvalidThemeError("description must be text", key=key, **where)
    exclude = {}
    if entry.get("exclude") is not None:
        exclude = {lang: _keyword_list(words, lang, key, where, field="exclude")
                   for lang, words in _language_mapping(entry["exclude"], "exclude", key,
                                                        where).items()}
    negated = entry.get("negated")
    if negated is not None and (not isinstance(negated, str) or not negated.strip()):
        raise InvalidThemeError("negated must be 'drop', 'keep' or a theme key", key=key, **where)
    return Theme(key=key, labels=MappingProxyType(dict(labels)),
                 keywords=MappingProxyType(cleaned), parent=parent or None,
                 description=description, exclude=MappingProxyType(exclude),
                 negated=negated.strip() if negated else None)


def _language_mapping(value, field, key, where, *, error=InvalidThemeError):
    if not isinstance(value, Mapping) or not value:
        raise error(f"'{field}' must map language codes to values (e.g. {{en: ...}})",
                    key=key, **where)
    result = {}
    for lang, item in value.items():
        if not isinstance(lang, str) or _primary_or_none(lang) != lang:
            raise InvalidThemeError(
                f"{field}: {lang!r} is not a primary ISO 639 language code such as 'en'",
                key=key, **where)
        result[lang] = item
    return result


def _primary_or_none(lang):
    try:
        return normalise_lang(lang)
    except LanguageError:
        return None


def _keyword_list(words, lang, key, where, field="keywords"):
    if isinstance(words, str) or not isinstance(words, list) or not words:
        raise EmptyKeywordsError(f"{field} for {lang!r} must be a non-empty list",
                                 key=key, **where)
    result = []
    for word in words:
        if not isinstance(word, str):
            raise InvalidThemeError(
                f"{field} entry {word!r} for {lang!r} is not text (in YAML, quote words such as "
                "'no', 'yes', 'on' or numbers)", key=key, **where)
        word = " ".join(word.split())
        bare = word.removeprefix(EXACT_PREFIX)
        if not bare.strip() or (lang not in SUBSTRING_LANGUAGES and not tokenize(bare)):
            raise EmptyKeywordsError(
                f"{field} for {lang!r} include {word!r}, which has no letters or digits",
                key=key, **where)
        if word not in result:
            result.append(word)
    return tuple(result)
