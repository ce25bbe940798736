"""Fuzzing the JSON API from its own OpenAPI document (issue 14, item 2).

Every operation is sent bodies drawn from its request schema and arbitrary JSON (with hostile
strings), path ids of any size and query strings of any text, as nobody, an admin and a
facilitator: no answer may be a 5xx. And bodies valid under a survey's own schema are never
refused for their shape. Runs are bounded and repeatable (tests/fuzz.py), well under a minute.
"""
import json
import os
import uuid
from urllib.parse import quote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.schema_strategies import from_schema

from tests.conftest import make_token
from tests.fuzz import FUZZ, JSON_TEXT, JSON_VALUE

#: Requests per run; raise FUZZ_EXAMPLES locally for a longer hunt.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "150"))
#: Bodies per survey in the shape test.
SHAPE_EXAMPLES = int(os.environ.get("FUZZ_SHAPE_EXAMPLES", "30"))
RAW_BODIES = [b"", b"[" * 100_000, b"{" * 50, b"1e400", b"NaN", b'"\\ud800"', b"\xff\xfe", b'{"a":' * 40]


@pytest.fixture
def api(surveys, client):
    """The demo surveys and registry, a focus group with a participant, and tokens."""
    app = surveys
    tokens = {"nobody": None, "admin": make_token(app, "admin"), "facilitator": make_token(app, "facilitator")}
    headers = {"Authorization": f"Bearer {tokens['facilitator']}"}
    group = client.post("/api/v1/focus-groups", json={"title": "Fuzz", "date": "2026-04-02", "lang": "en"},
                        headers=headers).get_json()["id"]
    client.post(f"/api/v1/focus-groups/{group}/participants",
                json={"code": "P1", "consent": {"version": 1, "given": True}}, headers=headers)
    document = client.get("/api/v1/openapi.json").get_json()
    return app, document, tokens, group


def operations(document):
    return [(path, method, op) for path, item in sorted(document["paths"].items())
            for method, op in sorted(item.items()) if method in ("get", "post")]


def parameter_values(op, group):
    def value(parameter):
        schema = parameter.get("schema", {})
        if schema.get("type") == "integer":
            return st.one_of(st.just(group), st.integers(min_value=-(2**80), max_value=2**80)).map(str)
        return JSON_TEXT.filter(lambda s: "\ud800" not in s)
    path_params = {p["name"]: value(p) for p in op.get("parameters", []) if p["in"] == "path"}
    query_params = {p["name"]: value(p) for p in op.get("parameters", []) if p["in"] == "query"}
    return st.fixed_dictionaries(path_params), st.fixed_dictionaries({}, optional=query_params)


def body_strategy(op):
    schema = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
    choices = [JSON_VALUE.map(lambda v: json.dumps(v).encode()), st.sampled_from(RAW_BODIES)]
    if schema:
        choices.append(from_schema(schema).map(lambda v: json.dumps(v).encode()))
    return st.one_of(*choices)


def test_no_request_made_from_the_document_is_a_5xx(api, client):
    app, document, tokens, group = api
    ops = operations(document)
    assert len(ops) >= 15
    statuses = []

    @settings(FUZZ, max_examples=EXAMPLES)
    @given(st.data())
    def run(data):
        path, method, op = data.draw(st.sampled_from(ops), label="operation")
        path_params, query_params = parameter_values(op, group)
        url = "/api/v1" + path
        for name, value in data.draw(path_params, label="path").items():
            url = url.replace("{" + name + "}", quote(value, safe=""))
        who = data.draw(st.sampled_from(sorted(tokens)), label="who")
        headers = {"Authorization": f"Bearer {tokens[who]}"} if tokens[who] else {}
        query = data.draw(query_params, label="query")
        body = data.draw(body_strategy(op), label="body") if method == "post" else None
        response = client.open(url, method=method.upper(), query_string=query, data=body, headers=headers,
                               content_type="application/json" if body is not None else None)
        assert response.status_code < 500, (method, url, query, body[:300] if body else None,
                                            response.get_data(as_text=True)[:500])
        statuses.append(response.status_code)

    run()
    # The run reached past the doors: some requests were stored or read, some refused for content.
    assert any(200 <= s < 300 for s in statuses) and 422 in statuses and 401 in statuses, sorted(set(statuses))


@pytest.mark.parametrize("slug", ["community-needs", "partner-survey"])
def test_bodies_valid_under_a_surveys_schema_are_not_refused_for_shape(api, client, slug):
    """The document's schema for a survey is what the API accepts: no 422, no 400."""
    app, document, tokens, _group = api
    schema = document["paths"][f"/surveys/{slug}/responses"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    headers = {"Authorization": f"Bearer {tokens['admin']}"}  # partner surveys take a partner's or admin's answer

    @settings(FUZZ, max_examples=SHAPE_EXAMPLES)
    @given(from_schema(schema))
    def run(body):
        body = {**body, "submission_id": uuid.uuid4().hex}  # each a new response, not a replay
        response = client.post(f"/api/v1/surveys/{slug}/responses", json=body, headers=headers)
        assert response.status_code in (200, 201), (body, response.get_json())
        created.append(response.status_code == 201)

    created = []
    run()
    assert sum(created) >= SHAPE_EXAMPLES // 2
