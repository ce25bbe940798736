"""Reading a report through the JSON API with an equity lead's token."""
from tests.conftest import make_token


def get_report(client, app, report: str, **params) -> dict:
    """GET /api/v1/reports/<report> with `params`; asserts 200 and returns the JSON."""
    response = client.get(f"/api/v1/reports/{report}", query_string=params,
                          headers={"Authorization": f"Bearer {make_token(app, 'equity_lead')}"})
    assert response.status_code == 200, response.get_json()
    return response.get_json()
