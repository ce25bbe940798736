"""JSON API v1: survey definitions, GET /api/v1/surveys and /surveys/<slug> (DESIGN.md contracts)."""
from __future__ import annotations

from flask import jsonify, request, url_for

from app.core.localize import translator
from app.surveys.loader import latest_versions
from app.surveys.lookup import language_for, latest_or_404
from app.surveys.serialize import survey_json


def list_surveys():
    items = []
    for version in latest_versions():
        lang, languages = language_for(version, request.args.get("lang"))
        t = translator(version.survey_def, lang)
        items.append({"slug": version.survey_def.slug, "title": t("title", version.survey_def.title),
                      "kind": version.survey_def.kind, "version": version.number, "languages": languages,
                      "url": url_for("api.surveys.get_survey", slug=version.survey_def.slug, _external=False)})
    return jsonify(surveys=items)


def get_survey(slug: str):
    version = latest_or_404(slug)
    lang, languages = language_for(version, request.args.get("lang"))
    return jsonify(survey_json(version, translator(version.survey_def, lang), languages))
