"""Reading a request's JSON body the same way everywhere: malformed JSON is a bare 400."""
from __future__ import annotations

import json

from flask import abort, request


def json_body():
    """The parsed body (any JSON value). Not request.get_json(): that wants a JSON content type,
    which offline queues and shell scripts do not always send."""
    try:
        return json.loads(request.get_data(cache=False) or b"")
    except (ValueError, UnicodeDecodeError):
        abort(400)


def json_object_body() -> dict:
    """The parsed body, which must be a JSON object (400 otherwise)."""
    body = json_body()
    if not isinstance(body, dict):
        abort(400)
    return body
