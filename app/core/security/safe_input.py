"""Refuse text that no database column can hold, in one place, before any view runs.

PostgreSQL refuses NUL characters in text (psycopg raises DataError), and no UTF-8 encoder can
write a lone surrogate ("\\ud800", which JSON escapes can carry). Either would reach the database
as a 500 halfway through a request; instead the whole request is refused with a 400 that says
why, so nothing is stored. The path, the query string and form posts are checked here; JSON
bodies are checked by app.core.json_body as they are parsed.
"""
from __future__ import annotations

import re

from flask import current_app, request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import BadRequest, RequestEntityTooLarge

#: NUL, and the UTF-16 surrogate range, which is never valid on its own in UTF-8 text.
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
#: Form bodies we read here; anything else (JSON, uploads' raw bytes) is read by its own view.
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class ClearBadRequest(BadRequest):
    """A 400 whose own (translated) description is what the person is shown (app.core.errors)."""

    clear_message = True


class UnstorableText(ClearBadRequest):
    """400 for text with a NUL character or a lone surrogate; the message says what to do."""

    description = _l("The request contains a character that cannot be stored (a NUL character or "
                     "half of an encoded character). Remove it and send again.")


def has_unstorable(text: str) -> bool:
    return UNSTORABLE.search(text) is not None


def _pairs(multidict):
    for key, values in multidict.lists():
        yield key
        yield from (v for v in values if isinstance(v, str))


def refuse_unstorable_input(_endpoint=None, _values=None) -> None:
    """400 when the path, a query parameter or a form field holds NUL or a lone surrogate.

    Registered as an app-wide url_value_preprocessor, so it runs before the blueprints' own
    preprocessors look anything up. A form body is cached before it is parsed, so a JSON view
    can still read it (shell scripts often post JSON with curl's default form content type)."""
    if has_unstorable(request.path) or any(has_unstorable(s) for s in _pairs(request.args)):
        raise UnstorableText()
    if request.mimetype not in FORM_TYPES:
        return
    limit = _body_limit()
    if limit is not None and (request.content_length or 0) > limit:
        return  # too large: the view (or Werkzeug) answers 413 in its own words
    try:
        if request.mimetype == FORM_TYPES[0]:
            request.get_data(cache=True)  # the body limit bounds it
        if any(has_unstorable(s) for s in _pairs(request.form)):
            raise UnstorableText()
        if any(has_unstorable(f.filename or "") for f in request.files.values()):
            raise UnstorableText()
    except RequestEntityTooLarge:
        return  # a body sent without its length, over the limit: the view says so


def _body_limit() -> int | None:
    """The request's body limit: MAX_CONTENT_LENGTH, or a larger one a view declares for its
    uploads as `view.max_body()` (set here, before the form is read, so the view's own limit holds)."""
    view = current_app.view_functions.get(request.endpoint)
    max_body = getattr(view, "max_body", None)
    if max_body is not None:
        request.max_content_length = max_body()
    return request.max_content_length


def init_app(app) -> None:
    app.url_value_preprocessor(refuse_unstorable_input)
