"""Issue 14, item 6: resume and withdrawal codes cannot be guessed freely; each address gets a
few tries, then a 429 that says when to come back, and other addresses are not affected."""
import pytest

from app.responses.code_throttle import MAX_TRIES
from tests.forms import hidden_fields


@pytest.mark.parametrize("path", ["/s/community-needs/resume", "/s/community-needs/withdraw"])
def test_codes_are_throttled_per_address(client, surveys, path):
    html = client.get(path).get_data(as_text=True)
    fields = hidden_fields(html)
    for attempt in range(MAX_TRIES):
        response = client.post(path, data={**fields, "code": f"WRONG{attempt:03d}"})
        assert response.status_code in (200, 422)
    refused = client.post(path, data={**fields, "code": "WRONG999"})
    assert refused.status_code == 429
    assert "Wait 15 minutes" in refused.get_data(as_text=True)
    assert refused.headers["Retry-After"] == "900"
    other = client.post(path, data={**fields, "code": "WRONG999"}, environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert other.status_code in (200, 422)


def test_the_other_kind_of_code_has_its_own_count(client, surveys):
    html = client.get("/s/community-needs/resume").get_data(as_text=True)
    for attempt in range(MAX_TRIES):
        client.post("/s/community-needs/resume", data={**hidden_fields(html), "code": f"WRONG{attempt:03d}"})
    html = client.get("/s/community-needs/withdraw").get_data(as_text=True)
    confirmed = {**hidden_fields(html), "code": "X", "confirm": "yes"}
    assert client.post("/s/community-needs/withdraw", data=confirmed).status_code == 422
