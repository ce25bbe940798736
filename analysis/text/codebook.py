"""The theme codebook: themes, sub-themes, labels and keywords per language.

A codebook file looks like this (see ``surveys/codebooks/community-themes.yaml``)::

    name: community-themes
    default_language: en
    themes:
      - key: housing
        labels: {en: Housing, es: Vivienda}
        keywords:
          en: [housing, landlord, apartment]
          es: [vivienda, casero, apartamento]
      - key: rent
        parent: housing          # one level of sub-themes only
        labels: {en: Rent and affordability, es: Alquiler}
        keywords:
          en: [rent, "cost of housing"]
          es: [alquiler, renta]

Write keywords in their base (singular) form: plurals and inflections are
matched by stemming and by plural variants generated when the codebook is
compiled (see :mod:`analysis.text.matcher`).
"""

import threading

from analysis.text._codebook_parse import (
    CodebookError,
    DuplicateThemeError,
    EmptyKeywordsError,
    InvalidThemeError,
    Theme,
    ThemeNestingError,
    UnknownParentError,
    parse_codebook,
    read_yaml,
)
from analysis.text.matcher import compile_language
from analysis.text.normalise import LanguageError, normalise_lang

__all__ = [
    "CodebookError",
    "DuplicateThemeError",
    "UnknownParentError",
    "ThemeNestingError",
    "EmptyKeywordsError",
    "InvalidThemeError",
    "Theme",
    "Codebook",
]


class Codebook:
    """An ordered set of themes with one level of sub-themes.

    Build one with :meth:`from_yaml` or :meth:`from_dict`. It is read-only
    afterwards and caches one compiled matcher per language.

    Parameters
    ----------
    themes : iterable of Theme
        Already validated themes (use the constructors below instead).
    name, description : str, optional
    default_language : str, default "en"
        Language of the labels used when a requested language is missing.

    Examples
    --------
    >>> cb = Codebook.from_dict({"themes": [
    ...     {"key": "transport", "labels": {"en": "Transport"},
    ...      "keywords": {"en": ["bus", "train"]}},
    ...     {"key": "buses", "parent": "transport", "labels": {"en": "Buses"},
    ...      "keywords": {"en": ["bus stop"]}}]})
    >>> cb.keys, cb.children("transport"), cb.label("buses", "es")
    (('transport', 'buses'), ('buses',), 'Buses')
    >>> Codebook.from_dict(cb.to_dict()) == cb
    True
    """

    def __init__(self, themes, *, name=None, default_language="en", description=None):
        self.themes = tuple(themes)
        self.name = name
        self.default_language = default_language
        self.description = description
        self._by_key = {theme.key: theme for theme in self.themes}
        self._children = {theme.key: [] for theme in self.themes}
        for theme in self.themes:
            if theme.parent:
                self._children[theme.parent].append(theme.key)
        self._compiled = {}
        self._compile_lock = threading.Lock()

    @classmethod
    def from_dict(cls, data):
        """Build and validate a codebook from plain data.

        Parameters
        ----------
        data : mapping
            ``{"name", "default_language", "description", "themes": [...]}``;
            each theme ``{"key", "labels": {lang: text}, "keywords": {lang:
            [text, ...]}, "parent", "description"}``.

        Returns
        -------
        Codebook

        Raises
        ------
        CodebookError
            A subclass naming the theme and the problem: duplicate keys
            (:class:`DuplicateThemeError`), unknown parent
            (:class:`UnknownParentError`), two-level nesting
            (:class:`ThemeNestingError`), empty keywords
            (:class:`EmptyKeywordsError`), bad shape (:class:`InvalidThemeError`).
        """
        themes, metadata = parse_codebook(data)
        return cls(themes, **metadata)

    @classmethod
    def from_yaml(cls, text_or_path):
        """Load a codebook from a YAML file path or from YAML text.

        Parameters
        ----------
        text_or_path : str or os.PathLike
            A path (``os.PathLike``, or a one-line string naming an existing
            file or ending in ``.yaml``/``.yml``); any other string is YAML text.

        Returns
        -------
        Codebook

        Raises
        ------
        CodebookError
            As :meth:`from_dict`, plus unreadable files and YAML syntax
            errors; the message names the file and the line.
        """
        data, source, lines = read_yaml(text_or_path)
        themes, metadata = parse_codebook(data, source=source, lines=lines)
        return cls(themes, **metadata)

    def to_dict(self):
        """Return the codebook as plain data; :meth:`from_dict` reads it back."""
        data = {}
        if self.name:
            data["name"] = self.name
        data["default_language"] = self.default_language
        if self.description:
            data["description"] = self.description
        data["themes"] = [theme.to_dict() for theme in self.themes]
        return data

    @property
    def keys(self):
        """Theme keys in codebook order."""
        return tuple(theme.key for theme in self.themes)

    @property
    def languages(self):
        """Sorted language codes that have keywords in at least one theme."""
        return tuple(sorted({lang for theme in self.themes for lang in theme.keywords}))

    def __contains__(self, key):
        return key in self._by_key

    def __len__(self):
        return len(self.themes)

    def __eq__(self, other):
        return isinstance(other, Codebook) and self.to_dict() == other.to_dict()

    __hash__ = object.__hash__

    def __repr__(self):
        return (f"Codebook(name={self.name!r}, themes={len(self.themes)}, "
                f"languages={self.languages})")

    def theme(self, key):
        """Return the :class:`Theme` with this key (KeyError if absent)."""
        return self._by_key[key]

    def children(self, key):
        """Return the keys of a theme's sub-themes, in codebook order."""
        return tuple(self._children[key])

    def parent(self, key):
        """Return the key of a theme's parent, or None for a top-level theme."""
        return self._by_key[key].parent

    def label(self, key, lang=None):
        """Return a theme's label in `lang`, else the default language, else the key.

        `lang` may be a regional tag (``"zh-Hans"``, ``"es_MX"``): labels are
        kept per primary language.
        """
        labels = self._by_key[key].labels
        try:
            lang = normalise_lang(lang) if lang else None
        except LanguageError:
            lang = None
        for candidate in (lang, self.default_language):
            if candidate and candidate in labels:
                return labels[candidate]
        return key

    def with_parents(self, keys):
        """Return the set of `keys` plus the parent of every sub-theme among them.

        A sub-theme always counts for its parent too: a comment tagged
        ``rent`` is also about ``housing``.

        Raises
        ------
        KeyError
            If a key is not a theme of this codebook.
        """
        result = set()
        for key in keys:
            result.add(key)
            parent = self._by_key[key].parent
            if parent:
                result.add(parent)
        return result

    def compiled(self, lang):
        """Return the codebook compiled for one language (built once, cached).

        Parameters
        ----------
        lang : str
            Language tag; regional variants share the primary language.

        Returns
        -------
        analysis.text.matcher.CompiledLanguage

        Raises
        ------
        analysis.text.normalise.LanguageError
            If `lang` is malformed or no theme has keywords in it.
        """
        lang = normalise_lang(lang)
        compiled = self._compiled.get(lang)
        if compiled is None:
            with self._compile_lock:
                compiled = self._compiled.get(lang)
                if compiled is None:
                    compiled = compile_language(self.themes, lang)
                    self._compiled[lang] = compiled
        return compiled
