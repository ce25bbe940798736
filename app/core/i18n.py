"""Languages: locale choice per request, catalogs compiled from translations/*.po, survey texts.

One catalog per language, translations/<lang>/LC_MESSAGES/messages.po, holds the interface
strings and every survey's texts; survey texts carry a message context "<slug>:<path>", so the
same English label in two surveys can be translated differently and translators need one file.
"""
from __future__ import annotations

import functools
import threading
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from flask import current_app, g, has_request_context, request

from app.core.extensions import babel

TRANSLATIONS_DIR = Path(__file__).resolve().parents[2] / "translations"
SOURCE_LANGUAGE = "en"
LANG_COOKIE = "lang"
#: A year: the picked language is remembered on the resident's device.
LANG_COOKIE_MAX_AGE = 365 * 24 * 3600


def init_app(app) -> None:
    compiled = Path(app.instance_path) / "translations"
    compile_catalogs(TRANSLATIONS_DIR, compiled)
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(compiled))
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.globals.update(html_lang=html_lang, text_direction=text_direction,
                                 language_name=language_name, shipped_languages=shipped_languages,
                                 current_lang=current_lang)
    app.after_request(_remember_choice)


def compile_catalogs(source: Path, target: Path) -> None:
    """Compile every .po under `source` into .mo files under `target`, where older or missing.

    Done at start-up so a fresh checkout serves every language with no build step; the
    .po files are what the repository keeps and translators edit.
    """
    for po in sorted(source.glob("*/LC_MESSAGES/*.po")):
        mo = target / po.relative_to(source).with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        mo.parent.mkdir(parents=True, exist_ok=True)
        with po.open("rb") as handle:
            catalog = read_po(handle, locale=po.parts[-3])
        tmp = mo.with_suffix(f".{threading.get_ident()}.tmp")
        with tmp.open("wb") as handle:
            write_mo(handle, catalog, use_fuzzy=False)
        tmp.replace(mo)


def shipped_languages() -> list[str]:
    """The source language and every language with an interface catalog, in a stable order.

    Every request asks (the language picker, the remembered choice), so the folder is listed again
    only when it changed: a new language's catalog adds a folder, which changes its mtime."""
    try:
        stamp = TRANSLATIONS_DIR.stat().st_mtime_ns
    except OSError:
        stamp = None
    return list(_languages_in(TRANSLATIONS_DIR, stamp))


@functools.lru_cache(maxsize=8)
def _languages_in(folder: Path, _stamp: int | None) -> tuple[str, ...]:
    found = sorted(p.parent.parent.name for p in folder.glob("*/LC_MESSAGES/messages.po"))
    return (SOURCE_LANGUAGE, *(code for code in found if code != SOURCE_LANGUAGE))


def normalise(code: str | None, allowed: list[str]) -> str | None:
    """Match a code such as 'es-MX', 'zh-CN' or 'ar' to one of `allowed`; None when nothing fits."""
    if not code or len(code) > 35:
        return None
    try:
        wanted = Locale.parse(code.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return None
    for candidate in allowed:
        if str(wanted) == candidate:
            return candidate
    for candidate in allowed:
        have = Locale.parse(candidate)
        if have.language == wanted.language and (have.script or "Hans") == (wanted.script or _script(wanted)):
            return candidate
    for candidate in allowed:
        if Locale.parse(candidate).language == wanted.language and wanted.language != "zh":
            return candidate
    return None


def _script(locale: Locale) -> str:
    # Chinese without a script: Taiwan, Hong Kong and Macau write Traditional, others Simplified.
    return "Hant" if locale.territory in ("TW", "HK", "MO") else "Hans"


def select_locale() -> str:
    """Explicit choice (?lang=, then the signed-in account's language, then the cookie, then the
    language a resident's draft was last saved in) → Accept-Language → the page's source language.

    Resident pages carry ?lang= in every link and form (app.responses), so the language holds
    even when the cookie is gone; staff keep theirs on their account (users.locale).
    """
    allowed = getattr(g, "languages", None) or shipped_languages()
    fallback = getattr(g, "source_language", None) or SOURCE_LANGUAGE
    if not has_request_context():
        return fallback
    for explicit in (request.args.get("lang"), _account_locale(), request.cookies.get(LANG_COOKIE),
                     getattr(g, "draft_language", None)):
        chosen = normalise(explicit, allowed)
        if chosen:
            return chosen
    for code, _quality in request.accept_languages:
        chosen = normalise(code, allowed)
        if chosen:
            return chosen
    return fallback


def _account_locale() -> str | None:
    from flask_login import current_user  # the login manager is bound after the locale selector
    from sqlalchemy.exc import SQLAlchemyError
    try:
        return current_user.locale if current_user and current_user.is_authenticated else None
    except (AttributeError, SQLAlchemyError):  # a bare app with no login manager; the database away (500/503 pages)
        return None


def current_lang() -> str:
    """The locale this request speaks, as a code ("ar", "zh_Hans"); for templates that get no `lang`."""
    from flask_babel import get_locale
    return str(get_locale() or SOURCE_LANGUAGE) if has_request_context() else SOURCE_LANGUAGE


def remember_cookie(response, code: str):
    """Keep `code` on the device (a year), as the picker's choice."""
    response.set_cookie(LANG_COOKIE, code, max_age=LANG_COOKIE_MAX_AGE, samesite="Lax",
                        httponly=True, secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response


def _remember_choice(response):
    if has_request_context():
        chosen = normalise(request.args.get("lang"), shipped_languages())
        if chosen and request.cookies.get(LANG_COOKIE) != chosen:
            remember_cookie(response, chosen)
    return response


def html_lang(code: str) -> str:
    """BCP 47 tag for HTML's lang attribute: zh_Hans → zh-Hans."""
    return str(code).replace("_", "-")


def text_direction(code: str) -> str:
    try:
        rtl = Locale.parse(str(code)).character_order == "right-to-left"
    except (ValueError, UnknownLocaleError):
        return "ltr"
    return "rtl" if rtl else "ltr"


def language_name(code: str) -> str:
    """A language's name in itself ("Español", "العربية", "中文"), for the picker."""
    locale = Locale.parse(code)
    name = locale.get_display_name(locale) or code
    if locale.language == "zh":
        name = locale.get_language_name(locale)
    return name[:1].upper() + name[1:]


_catalogs: dict[tuple[str, float], Translations | NullTranslations] = {}


def survey_catalog(lang: str) -> Translations | NullTranslations:
    """The compiled catalog for `lang`, in any request's locale (an empty one if there is none)."""
    configured = current_app.config.get("BABEL_TRANSLATION_DIRECTORIES")
    if not configured:  # an app without our catalogs (a bare test app): every text in its source
        return NullTranslations()
    directory = Path(configured)
    mo = directory / lang / "LC_MESSAGES" / "messages.mo"
    stamp = mo.stat().st_mtime if mo.exists() else 0.0
    key = (str(mo), stamp)
    catalog = _catalogs.get(key)
    if catalog is None:
        catalog = Translations.load(str(directory), [lang]) if stamp else NullTranslations()
        _catalogs[key] = catalog
    return catalog
