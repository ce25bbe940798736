"""JSON API v1, at /api/v1: the OpenAPI document, and each feature's API blueprint as a child
(endpoints `api.<feature>.<view>`), listed in the feature's blueprint.py and attached by
`make_blueprint`, which the app factory calls once per app."""
from __future__ import annotations

from flask import Blueprint, jsonify


def openapi_json():
    from app.api.openapi import openapi_document
    from app.models import Stakeholder
    from app.surveys.loader import latest_versions
    return jsonify(openapi_document([v.survey_def for v in latest_versions()], sorted(Stakeholder.all_ids())))


def make_blueprint(children) -> Blueprint:
    """The `api` blueprint with the OpenAPI document and `children`; a new one per app, so that
    attaching the children twice (a second app in tests) never repeats a route."""
    bp = Blueprint("api", __name__)
    bp.add_url_rule("/openapi.json", "openapi", openapi_json, methods=["GET"])
    for child in children:
        bp.register_blueprint(child)
    return bp
