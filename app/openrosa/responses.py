"""OpenRosa's answers: the form list, and the ``<OpenRosaResponse>`` message of a submission.

Every response carries ``X-OpenRosa-Version: 1.0`` (clients check it) and the body size the
server accepts, so ODK Collect knows how much it may send in one post.
"""
from __future__ import annotations

from xml.sax.saxutils import escape

from flask import Response, current_app

OPENROSA_VERSION = "1.0"
RESPONSE_NS = "http://openrosa.org/http/response"
FORM_LIST_NS = "http://openrosa.org/xforms/xformsList"


def openrosa_headers(response: Response) -> Response:
    response.headers["X-OpenRosa-Version"] = OPENROSA_VERSION
    response.headers["X-OpenRosa-Accept-Content-Length"] = str(current_app.config["MAX_CONTENT_LENGTH"])
    return response


def xml_response(body: str | bytes, status: int = 200, headers: dict | None = None) -> Response:
    response = Response(body, status=status, mimetype="text/xml", headers=headers)
    response.charset = "utf-8"
    return openrosa_headers(response)


def message(text: str, status: int, *, nature: str = "", headers: dict | None = None) -> Response:
    """An ``<OpenRosaResponse>`` with one message: ODK Collect shows it to the person sending."""
    body = (f'<OpenRosaResponse xmlns="{RESPONSE_NS}" items="0">'
            f'<message nature="{nature}">{escape(text)}</message></OpenRosaResponse>')
    return xml_response(body, status, headers)


def error(text: str, status: int, headers: dict | None = None) -> Response:
    return message(text, status, nature="error", headers=headers)


def form_list(forms: list[dict]) -> Response:
    """The OpenRosa form list: each form's id, name, version, md5 hash and download URL."""
    items = "".join(
        "<xform>"
        f"<formID>{escape(f['form_id'])}</formID><name>{escape(f['name'])}</name>"
        f"<version>{escape(f['version'])}</version><hash>md5:{f['md5']}</hash>"
        f"<downloadUrl>{escape(f['url'])}</downloadUrl>"
        "</xform>"
        for f in forms
    )
    return xml_response(f'<?xml version="1.0" encoding="UTF-8"?><xforms xmlns="{FORM_LIST_NS}">{items}</xforms>')
