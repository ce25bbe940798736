"""Forms for the codebook pages: a theme (labels and keywords per language), and a YAML import.

The forms collect and check what a person typed, with messages next to the fields; the whole
codebook is then validated by analysis.themes before anything is stored (app.themes.codebook).
"""
from __future__ import annotations

import re

from babel import Locale, UnknownLocaleError
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice

from app.core.i18n import language_name, shipped_languages
from app.themes.codebook import DEFAULT_LANGUAGE

#: Theme keys are stable ids, as analysis.themes requires (ASCII snake_case).
KEY_PATTERN = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")
#: Longest key (the column's size), label and keyword we accept.
MAX_KEY, MAX_LABEL, MAX_KEYWORD = 100, 200, 100
#: Most keywords per language: a theme with more is really several themes.
MAX_KEYWORDS = 300
#: Largest codebook file (the shipped one is about 30 KB); the request limit is 256 KB.
MAX_IMPORT_BYTES = 200 * 1024


def primary(code: str) -> str:
    """The language part of a locale (zh_Hans → zh): codebooks keep labels per language."""
    try:
        return Locale.parse(code).language
    except (ValueError, UnknownLocaleError):
        return code


def form_languages(rows) -> list[str]:
    """Languages to edit: the default first, then every shipped one, then any other the codebook has."""
    found = [DEFAULT_LANGUAGE]
    for code in [primary(c) for c in shipped_languages()] + sorted(
            {lang for row in rows for lang in (*(row.labels or {}), *(row.keywords or {}))}):
        if code not in found:
            found.append(code)
    return found


def display_language(code: str) -> str:
    try:
        return f"{language_name(code)} ({code})"
    except (ValueError, UnknownLocaleError):
        return code


class ThemeForm(FlaskForm):
    key = StringField(_l("Key"), description=_l(
        "A stable id in lower-case letters, digits and underscores, such as street_lighting. "
        "Tags and exports use it, so it cannot be changed later."))
    parent = SelectField(_l("Sub-theme of"), validate_choice=False, description=_l(
        "Leave empty for a top-level theme. A sub-theme also counts for its parent; only one level is allowed."))
    description = TextAreaField(_l("Description"), description=_l("What the theme covers, for the people who review texts."))
    negated = SelectField(_l("When a keyword is negated"), validate_choice=False, description=_l(
        "What happens to a keyword found just after a negation such as “not”, “never” or “without”."))


def theme_form(languages: list[str], parents: list[tuple[str, str]], counterparts: list[tuple[str, str]] = (),
               **kwargs) -> ThemeForm:
    """A ThemeForm with label, keywords and exclusions fields per language; `counterparts` are the
    themes a negated keyword may count for instead."""
    class Form(ThemeForm):
        pass

    for lang in languages:
        name = display_language(lang)
        setattr(Form, f"label_{lang}", StringField(_l("Label in %(language)s", language=name)))
        setattr(Form, f"keywords_{lang}", TextAreaField(_l("Keywords in %(language)s", language=name), description=_l(
            "One keyword or phrase per line, in its base form: plurals and other endings match too. "
            "Write =word to match a word without stemming.")))
        setattr(Form, f"exclude_{lang}", TextAreaField(_l("Exclusions in %(language)s", language=name), description=_l(
            "One phrase per line inside which the keywords do not count, such as “falling apart”.")))
    form = Form(**kwargs)
    form.parent.choices = [SelectChoice("", _("None: a top-level theme"))] + [SelectChoice(k, label) for k, label in parents]
    form.negated.choices = [SelectChoice("", _("Leave it out (the default)")),
                            SelectChoice("keep", _("Count it for this theme all the same"))] + [
        SelectChoice(k, _("Count it for %(theme)s instead", theme=label)) for k, label in counterparts]
    return form


def theme_from_form(form: ThemeForm, languages: list[str], key: str, *, new: bool, existing: set[str],
                    top_level: set[str], has_children: bool) -> dict | None:
    """The theme the form describes, or None with errors put on the fields. `existing` holds every
    theme key, `top_level` those without a parent (the only possible parents)."""
    if new:
        if not KEY_PATTERN.match(key) or len(key) > MAX_KEY:
            form.key.errors = [_("Use lower-case letters, digits and single underscores, starting with a letter, "
                                 "for example street_lighting (at most %(max)s characters).", max=MAX_KEY)]
        elif key in existing:
            form.key.errors = [_("There is a theme with the key %(key)s already.", key=key)]
    parent = (form.parent.data or "").strip() or None
    if parent is not None and (parent not in top_level or parent == key):
        form.parent.errors = [_("Choose a top-level theme, or none.")]
    elif parent is not None and has_children:
        form.parent.errors = [_("This theme has sub-themes, so it cannot become a sub-theme itself. "
                                "Move or remove its sub-themes first.")]
    labels, keywords, exclude = {}, {}, {}
    for lang in languages:
        label_field, keyword_field = form[f"label_{lang}"], form[f"keywords_{lang}"]
        label = " ".join((label_field.data or "").split())
        if len(label) > MAX_LABEL:
            label_field.errors = [_("Keep the label under %(max)s characters.", max=MAX_LABEL)]
        elif label:
            labels[lang] = label
        words = _lines(keyword_field.data)
        if any(len(word) > MAX_KEYWORD for word in words) or len(words) > MAX_KEYWORDS:
            keyword_field.errors = [_("Give at most %(count)s keywords of at most %(max)s characters each.",
                                      count=MAX_KEYWORDS, max=MAX_KEYWORD)]
        elif words:
            keywords[lang] = words
        exclude_field = form[f"exclude_{lang}"]
        phrases = _lines(exclude_field.data)
        if any(len(p) > MAX_KEYWORD for p in phrases) or len(phrases) > MAX_KEYWORDS:
            exclude_field.errors = [_("Give at most %(count)s phrases of at most %(max)s characters each.",
                                      count=MAX_KEYWORDS, max=MAX_KEYWORD)]
        elif phrases:
            exclude[lang] = phrases
    if DEFAULT_LANGUAGE not in labels and not form[f"label_{DEFAULT_LANGUAGE}"].errors:
        form[f"label_{DEFAULT_LANGUAGE}"].errors = [_("Give the theme a label in this language: the others fall back to it.")]
    if not keywords and not form[f"keywords_{DEFAULT_LANGUAGE}"].errors:
        form[f"keywords_{DEFAULT_LANGUAGE}"].errors = [_("Give at least one keyword, in this or another language, "
                                                         "so the tagger can find the theme.")]
    if any(f.errors for f in form):
        return None
    negated = (form.negated.data or "").strip() or None
    if negated is not None and negated != "keep" and (negated not in existing or negated == key):
        form.negated.errors = [_("Choose one of the choices offered.")]
        return None
    return {"key": key, "parent": parent, "labels": labels, "keywords": keywords,
            "description": " ".join((form.description.data or "").split()) or None,
            "exclude": exclude or None, "negated": negated}


def _lines(text: str | None) -> list[str]:
    """Non-empty lines of a text area, spaces tidied, each once."""
    found = []
    for line in (text or "").splitlines():
        item = " ".join(line.split())
        if item and item not in found:
            found.append(item)
    return found


class DeleteThemeForm(FlaskForm):
    """Only the CSRF token: the confirmation page's button."""


class ImportForm(FlaskForm):
    file = FileField(_l("Codebook file (YAML)"), description=_l(
        "The whole codebook: it replaces the current one. Export the current codebook first to keep a copy."))
    text = TextAreaField(_l("Or paste the YAML here"))


def import_text(form: ImportForm) -> str | None:
    """The YAML to import (the file, else the pasted text), or None with an error on the field."""
    upload = form.file.data
    if upload and getattr(upload, "filename", ""):
        raw = upload.read(MAX_IMPORT_BYTES + 1)
        if len(raw) > MAX_IMPORT_BYTES:
            form.file.errors = [_("The file is larger than %(kb)s KB; a codebook is much smaller.", kb=MAX_IMPORT_BYTES // 1024)]
            return None
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            form.file.errors = [_("The file is not UTF-8 text. Save it as UTF-8 and try again.")]
            return None
    text = form.text.data or ""
    if not text.strip():
        form.file.errors = [_("Choose a YAML file, or paste the codebook below.")]
        return None
    return text
