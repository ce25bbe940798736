"""The OpenAPI 3.1 description of /api/v1, served at /api/v1/openapi.json.

Written by hand from the contracts in DESIGN.md; tests/app/test_openapi.py checks it against the
real routes both ways, so a route cannot be added or dropped without this changing too.
"""
from __future__ import annotations

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
ANSWERS = {"type": "object", "required": ["submission_id", "answers"], "properties": {
    "submission_id": {"type": "string", "pattern": "^[A-Za-z0-9_-]{8,64}$"}, "lang": {"type": "string"},
    "answers": {"type": "object", "additionalProperties": True},
    "channel": {"type": "string", "enum": ["api", "web", "paper", "import"]},
    "consent": {"type": "object", "properties": {"version": {"type": "integer"}, "given": {"type": "boolean"}}}}}
ROWS = {"oneOf": [{"type": "object"}, {"type": "array", "items": {"type": "object"}}]}
IMPORTED = {"type": "object", "properties": {"created": {"type": "integer"}, "updated": {"type": "integer"},
                                             "ids": {"type": "array"}}}


def openapi_document() -> dict:
    group = {"name": "group_id", "in": "path", "required": True, "schema": {"type": "integer"}}
    code = {"name": "code", "in": "path", "required": True, "schema": {"type": "string"}}
    slug = {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}
    lang = {"name": "lang", "in": "query", "required": False, "schema": {"type": "string"}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Common Ground API", "version": "1",
                 "description": "Surveys, idempotent responses, focus groups, stakeholders and reports."},
        "servers": [{"url": "/api/v1"}],
        "components": {"securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer",
                                                          "description": "flask --app wsgi tokens create EMAIL"}}},
        "paths": {
            "/openapi.json": {"get": {"summary": "This document", "responses": {"200": _json({"type": "object"})}}},
            "/surveys": {"get": {"summary": "Every survey's latest version", "parameters": [lang],
                                 "responses": {"200": _json({"type": "object"})}}},
            "/surveys/{slug}": {"get": {"summary": "A survey definition in a language", "parameters": [slug, lang],
                                        "responses": {"200": _json({"type": "object"}), "404": _json(ERRORS)}}},
            "/surveys/{slug}/responses": {"post": {
                "summary": "Submit a response, stored once per submission_id", "parameters": [slug],
                "requestBody": _body(ANSWERS), "responses": {
                    "201": _json(ID, "Stored and committed"), "200": _json(ID, "Already stored: same id"),
                    "400": _json(ERRORS, "Malformed JSON"), "404": _json(ERRORS, "Unknown survey"),
                    "413": _json(ERRORS, "Body too large"),
                    "422": _json(ERRORS, "Errors per question, in the submission's language")}}},
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
        },
    }
