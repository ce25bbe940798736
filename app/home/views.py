"""The front page: surveys open to residents, in the reader's language; and the staff language picker."""
from urllib.parse import parse_qsl, urlencode, urlsplit

from flask import redirect, render_template, request
from flask_login import current_user

from app.core.extensions import db
from app.core.i18n import current_lang, normalise, remember_cookie, shipped_languages
from app.core.localize import translator
from app.surveys.loader import latest_versions


def index():
    lang = current_lang()
    surveys = [(v.survey_def, translator(v.survey_def, lang)) for v in latest_versions()
               if v.survey_def.kind == "resident" or current_user.is_authenticated]
    return render_template("home/index.html", surveys=surveys, languages=shipped_languages())


def language():
    """Keep the picked interface language on the account (and the device), then go back."""
    chosen = normalise(request.form.get("lang"), shipped_languages())
    response = redirect(_back_without_lang(request.form.get("next")))
    if chosen:
        if current_user.is_authenticated:
            current_user.locale = chosen
            db.session.commit()
        remember_cookie(response, chosen)
    return response


def _back_without_lang(target: str | None) -> str:
    """The same-site page the picker was on, minus any ?lang= that would override the new choice."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    parts = urlsplit(target)
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "lang"])
    return parts.path + (f"?{query}" if query else "")
