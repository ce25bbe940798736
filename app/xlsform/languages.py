"""XLSForm language names → our language codes, as Kobo reads them.

XLSForm names a language in the column header: ``label::English (en)`` (the form Kobo and ODK
recommend), ``label::English``, ``label::EN``; a plain ``label`` column is pyxform's ``default``
language, which the settings sheet's ``default_language`` names when it is set.
"""
from __future__ import annotations

import re

from babel import Locale, UnknownLocaleError

from app.core.i18n import normalise, shipped_languages

_CODE_IN_NAME = re.compile(r"\(\s*([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*)\s*\)\s*$")
#: pyxform's name for texts in a column with no language.
DEFAULT = "default"
#: The language an unnamed `label` column is taken to be in when nothing says otherwise.
ASSUMED_SOURCE = "en"


def _english_names() -> dict[str, str]:
    names = {name.lower(): code for code, name in Locale("en").languages.items() if "_" not in code}
    names.update({"chinese": "zh", "swahili": "sw", "kiswahili": "sw", "somali": "so", "español": "es",
                  "français": "fr", "arabic": "ar"})
    return names


_NAMES = _english_names()


def language_code(name: str) -> str | None:
    """Our code for an XLSForm language name, or None when it names no language we can tell.

    ``English (en)`` → ``en``, ``Chinese (zh)`` → ``zh_Hans`` (the catalog we ship), ``french`` →
    ``fr``, ``EN`` → ``en``, ``Kiswahili (sw)`` → ``sw``.
    """
    name = name.strip()
    match = _CODE_IN_NAME.search(name)
    candidate = match.group(1) if match else None
    if candidate is None:
        bare = name.lower()
        candidate = _NAMES.get(bare) or (bare if re.fullmatch(r"[a-z]{2,3}([-_][a-z0-9]{2,8})*", bare) else None)
    if candidate is None:
        return None
    shipped = normalise(candidate, shipped_languages())
    if shipped:
        return shipped
    try:
        locale = Locale.parse(candidate.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return None
    return str(locale)


def display_name(code: str) -> str:
    """``Name (code)`` for an XLSForm column header: ``English (en)``, ``Español (es)``."""
    try:
        name = Locale.parse(code).get_display_name("en") or code
    except (ValueError, UnknownLocaleError):
        name = code
    return f"{name} ({code})"
