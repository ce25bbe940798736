"""The OpenAPI document describes exactly the real /api/v1 routes, with their methods."""
import re

from app.api.openapi import openapi_document


def real_routes(app) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1/"):
            path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule[len("/api/v1"):])
            found.setdefault(path, set()).update(m.lower() for m in rule.methods - {"HEAD", "OPTIONS"})
    return found


def documented(document) -> dict[str, set[str]]:
    return {path: {m for m in item if m in ("get", "post", "put", "patch", "delete")}
            for path, item in document["paths"].items()}


def test_document_matches_routes(app):
    assert documented(openapi_document()) == real_routes(app)


def test_served_as_json(client):
    data = client.get("/api/v1/openapi.json").get_json()
    assert data["openapi"].startswith("3.") and "/surveys/{slug}/responses" in data["paths"]
    assert data["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


def test_each_loaded_survey_has_its_own_exact_path(client, surveys):
    """Concrete paths are matched before the templated one; each is a real route for that slug."""
    data = client.get("/api/v1/openapi.json").get_json()
    for slug in ("community-needs", "partner-survey"):
        body = data["paths"][f"/surveys/{slug}/responses"]["post"]["requestBody"]["content"]["application/json"]["schema"]
        answers = body["properties"]["answers"]
        assert answers["additionalProperties"] is False
        assert set(answers["properties"]) >= ({"priorities"})
    needs = data["paths"]["/surveys/community-needs/responses"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    answers = needs["properties"]["answers"]
    assert answers["required"] == ["priorities"]
    assert answers["properties"]["age_band"]["enum"][0] == "under_18"
    assert answers["properties"]["priorities"] == {"type": "array", "uniqueItems": True, "items": {
        "enum": sorted(answers["properties"]["priorities"]["items"]["enum"])}, "minItems": 1, "maxItems": 3}
    assert needs["properties"]["consent"]["properties"]["given"] == {"const": True}
    partner = data["paths"]["/surveys/partner-survey/responses"]["post"]
    assert partner["security"] == [{"bearerAuth": []}]
    assert "rfb" in partner["requestBody"]["content"]["application/json"]["schema"]["properties"]["answers"][
        "properties"]["organisation"]["items"]["enum"]
