"""Helpers for the admin page tests: post a page's form as a browser would (CSRF token included)."""
from tests.forms import hidden_fields


def submit(client, path: str, data: dict, form: int = -1, action: str | None = None):
    """GET `path`, then POST `data` with the hidden fields of its `form`th form (the last by default,
    after the sign-out form in the header) to `action` (default: `path`)."""
    html = client.get(path).get_data(as_text=True)
    return client.post(action or path, data={**hidden_fields(html, form), **data})
