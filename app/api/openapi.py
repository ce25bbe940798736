"""The OpenAPI 3.1 description of /api/v1, served at /api/v1/openapi.json.

Written by hand from the contracts in DESIGN.md; tests/app/test_openapi.py checks it against the
real routes both ways, so a route cannot be added or dropped without this changing too.
"""
from __future__ import annotations

from app.api.openapi_answers import answers_schema, envelope_schema
from app.models.relationships import RELATIONSHIP_TYPES
from app.models.responses import CHANNELS

BEARER = [{"bearerAuth": []}]
FILTERS = [
    {"name": name, "in": "query", "required": False, "schema": {"type": "string"}, "description": text}
    for name, text in [
        ("survey", "survey slug, or all"),
        ("geography", "population baseline geography; representation counts the respondents who live there"),
        ("question", "question key: the weighted view (representation) or the ranking question (alignment)"),
        ("channel", "all, " + ", ".join(CHANNELS)), ("from", "YYYY-MM-DD"), ("to", "YYYY-MM-DD"),
        ("respondent_lang", "the respondents' language: answers given in it (was lang before)"),
        ("lang", "interface language of labels and method texts; never a filter"), ("type", "relationship types, comma-separated: " + ", ".join(RELATIONSHIP_TYPES)),
    ]
]
ERRORS = {"type": "object", "properties": {"error": {"type": "string"}, "errors": {}}}


def _json(schema: dict, description: str = "OK") -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _body(schema: dict) -> dict:
    return {"required": True, "content": {"application/json": {"schema": schema}}}


def _write(summary: str, body: dict, created: dict, *, idempotent: bool = False) -> dict:
    responses = {"201": _json(created, "Created (committed)"), "401": _json(ERRORS, "No or bad token"),
                 "403": _json(ERRORS, "Role may not do this"), "404": _json(ERRORS, "Not found"),
                 "422": _json(ERRORS, "Invalid, with errors per field; nothing stored")}
    if idempotent:
        responses["200"] = _json(created, "Already stored: the same id again, nothing stored twice")
    return {"summary": summary, "security": BEARER, "requestBody": _body(body), "responses": responses}


def _report(summary: str, required: list[str]) -> dict:
    return {"get": {"summary": summary, "security": BEARER, "parameters": FILTERS, "responses": {
        "200": _json({"type": "object", "required": required}), "400": _json(ERRORS, "Bad filters"),
        "401": _json(ERRORS, "Sign in or send a token"), "403": _json(ERRORS, "Role may not read reports")}}}


ID = {"type": "object", "properties": {"id": {"type": "integer"}}}
#: Any survey's submission; each loaded survey also has its own path with its exact answers.
ANSWERS = envelope_schema({"type": "object", "description": "question key → answer; see the survey's own path"})
ROWS = {"oneOf": [{"type": "object"}, {"type": "array", "items": {"type": "object"}}]}
IMPORTED = {"type": "object", "properties": {"created": {"type": "integer"}, "updated": {"type": "integer"},
                                             "ids": {"type": "array"}}}


def _submit(summary: str, parameters: list, body: dict) -> dict:
    return {"post": {
        "summary": summary, "parameters": parameters,
        "requestBody": _body(body), "responses": {
            "201": _json(ID, "Stored and committed"), "200": _json(ID, "Already stored: same id"),
            "400": _json(ERRORS, "Malformed JSON, or text or numbers that cannot be stored"),
            "401": _json(ERRORS, "A partner survey without a partner's or an invitation token"),
            "403": _json(ERRORS, "A partner survey with a token of another role"),
            "404": _json(ERRORS, "Unknown survey"), "413": _json(ERRORS, "Body too large"),
            "422": _json(ERRORS, "Errors per question, in the submission's language")}}}


def survey_paths(surveys=(), stakeholder_ids=()) -> dict:
    """A concrete `/surveys/<slug>/responses` for each loaded survey, with its exact answers."""
    paths = {}
    for survey in surveys:
        item = _submit(f"Submit a response to {survey.slug}", [],
                       envelope_schema(answers_schema(survey, stakeholder_ids)))
        if survey.kind == "partner":
            item["post"]["security"] = BEARER
            item["post"]["description"] = ("A partner's or an admin's API token, or an organisation's invitation "
                                           "token; the organisation it speaks for answers every `self` question.")
        paths[f"/surveys/{survey.slug}/responses"] = item
    return paths


def _query(name: str, text: str) -> dict:
    return {"name": name, "in": "query", "required": False, "schema": {"type": "string"}, "description": text}


INDICATOR_FILTERS = [
    _query("geography", "a geography with population figures, a neighbourhood, or one configured in "
                        "GEOGRAPHY_NEIGHBOURHOODS; left out: the whole area"),
    _query("dimension", "a dimension the indicator is broken down by: alone, the breakdown by its categories"),
    _query("category", "with dimension: only the people in that category"),
]
PERIOD_ROW = {"type": "object", "required": ["period", "value", "ci", "n"], "properties": {
    "period": {"type": "string"}, "value": {"type": ["number", "null"]},
    "ci": {"type": ["array", "null"], "items": {"type": "number"}}, "n": {"type": ["integer", "null"]},
    "suppressed": {"type": ["string", "null"]}, "weighted": {"type": "boolean"},
    "partner_reported": {"type": "boolean"}, "provenance": {"type": "object"}}}
SERIES = {"type": "object", "required": ["key", "periods", "forecast", "baseline", "targets", "status"],
          "properties": {
              "key": {"type": "string"}, "periods": {"type": "array", "items": PERIOD_ROW},
              "forecast": {"type": "array", "items": {"type": "object", "required": ["period", "value", "lo", "hi"]}},
              "baseline": {"type": ["object", "null"]}, "targets": {"type": "array"},
              "status": {"enum": ["on_track", "off_track", "no_data"]}, "status_detail": {"type": "object"},
              "disaggregation": {"type": ["object", "null"]}}}


def _indicator_paths() -> dict:
    key = {"name": "key", "in": "path", "required": True, "schema": {"type": "string"}}
    reads = {"401": _json(ERRORS, "Sign in or send a token"), "403": _json(ERRORS, "Role may not read indicators")}
    return {
        "/indicators": {"get": {"summary": "Every indicator's definition", "security": BEARER, "responses": {
            "200": _json({"type": "object", "required": ["indicators"]}), **reads}}},
        "/indicators/{key}": {"get": {
            "summary": "An indicator per period, with intervals, forecast, baseline, targets and status",
            "security": BEARER, "parameters": [key, _query("period", "one period (2025, 2025-Q3 or 2025-07)"),
                                               *INDICATOR_FILTERS],
            "responses": {"200": _json(SERIES), "400": _json(ERRORS, "A filter the indicator cannot take"),
                          "404": _json(ERRORS, "Unknown indicator"), **reads}}},
        "/indicators/values": {"post": {
            **_write("Reported values (all or nothing); a partner only for its own indicators",
                     {"oneOf": [VALUE_ROW, {"type": "array", "items": VALUE_ROW}]}, IMPORTED),
            "description": "Fields of `flask import indicator-values`; loading a cell again replaces its value."}},
        "/scorecard": {"get": {
            "summary": "Every indicator grouped by result, as JSON, CSV or XLSX", "security": BEARER,
            "parameters": [_query("format", "json (default), csv or xlsx"), *INDICATOR_FILTERS],
            "responses": {"200": _json({"type": "object", "required": ["filters", "results"]}),
                          "400": _json(ERRORS, "Bad filters"), **reads}}},
    }


VALUE_ROW = {"type": "object", "required": ["indicator", "period", "value"], "properties": {
    "indicator": {"type": "string"}, "period": {"type": "string"}, "geography": {"type": "string"},
    "dimension": {"type": "string"}, "category": {"type": "string"}, "value": {"type": "number"},
    "numerator": {"type": "number"}, "denominator": {"type": "number"}, "source": {"type": "string"}}}


def openapi_document(surveys=(), stakeholder_ids=()) -> dict:
    """The document; with `surveys` (SurveyDefs) and the registry's ids, their exact answer schemas too."""
    group = {"name": "group_id", "in": "path", "required": True, "schema": {"type": "integer"}}
    code = {"name": "code", "in": "path", "required": True, "schema": {"type": "string"}}
    slug = {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}
    lang = {"name": "lang", "in": "query", "required": False, "schema": {"type": "string"}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Common Ground API", "version": "1",
                 "description": "Surveys, idempotent responses, focus groups, stakeholders, reports and indicators."},
        "servers": [{"url": "/api/v1"}],
        "components": {"securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer",
                                                          "description": "flask --app wsgi tokens create EMAIL"}}},
        "paths": {
            "/openapi.json": {"get": {"summary": "This document", "responses": {"200": _json({"type": "object"})}}},
            "/surveys": {"get": {"summary": "Every survey's latest version", "parameters": [lang],
                                 "responses": {"200": _json({"type": "object"})}}},
            "/surveys/{slug}": {"get": {"summary": "A survey definition in a language", "parameters": [slug, lang],
                                        "responses": {"200": _json({"type": "object"}), "404": _json(ERRORS)}}},
            "/surveys/{slug}/responses": _submit("Submit a response, stored once per submission_id", [slug], ANSWERS),
            **survey_paths(surveys, stakeholder_ids),
            "/stakeholders": {"post": _write("Create or update stakeholders (all or nothing)", ROWS, IMPORTED)},
            "/relationships": {"post": _write("Add relationships (all or nothing)", ROWS, IMPORTED)},
            "/focus-groups": {"post": _write("Create a focus group", {"type": "object", "required": ["title", "date", "lang"]}, ID)},
            "/focus-groups/{group_id}/participants": {"parameters": [group], "post": _write(
                "Register a participant by anonymous code", {"type": "object", "required": ["code", "consent"]}, ID)},
            "/focus-groups/{group_id}/contributions": {"parameters": [group], "post": _write(
                "Record a quote or note (idempotent by client_id)",
                {"type": "object", "required": ["client_id", "kind", "text"], "properties": {
                    "lang": {"type": "string", "description": "The language the text is written in "
                             "(the session's when left out); the themes tagger reads it in this language."}}},
                ID, idempotent=True)},
            "/focus-groups/{group_id}/votes": {"parameters": [group], "post": _write(
                "Dot votes for a priority, or a participant's ranking", {"type": "object"}, ID)},
            "/focus-groups/{group_id}/participants/{code}/withdraw": {"parameters": [group, code], "post": {
                **_write("Withdraw a participant from every report and export", {"type": "object"}, ID),
                "requestBody": {"required": False, "content": {"application/json": {"schema": {"type": "object"}}}}}},
            "/reports/representation": _report("Who is missing", ["n", "score", "dimensions"]),
            "/reports/themes": _report("What people say", ["themes", "agreement", "emerging"]),
            "/reports/network": _report("Who works with whom", ["nodes", "edges", "isolates", "brokers",
                                                                "articulation_points", "sector_pairs_without_ties"]),
            "/reports/alignment": _report("Where priorities line up", ["kendalls_w", "priorities", "groups"]),
            "/reports/partners": _report("Partner responses: organisations, not people",
                                         ["n_organisations", "n_answered", "sectors", "not_answered"]),
            **_indicator_paths(),
        },
    }
