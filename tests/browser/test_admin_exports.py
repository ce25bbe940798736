"""An admin exports a survey's responses from a phone with JavaScript off, in Arabic: the export
runs as a background task, its page says it is done and links to the file, which holds the same
bytes as `flask export responses`."""
import uuid

import pytest

from tests.browser.conftest import ARTIFACTS, sign_in
from tests.conftest import make_user

EMAIL = "exports-admin@example.org"


@pytest.fixture(scope="module")
def server(live_server):
    app, _base = live_server
    make_user(app, "admin", EMAIL)
    client = app.test_client()
    for text in ("The bus is late.", "=1+1", "Más parques, por favor."):
        body = {"submission_id": uuid.uuid4().hex, "lang": "en",
                "answers": {"priorities": ["housing"], "biggest_change": text}}
        assert client.post("/api/v1/surveys/community-needs/responses", json=body).status_code == 201
    return live_server


def test_an_admin_exports_responses_on_a_phone_in_arabic(server, browser):
    app, base = server
    context = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False,
                                  accept_downloads=True)
    page = context.new_page()
    page.goto(f"{base}/login?lang=ar")
    sign_in(page, base, EMAIL)
    page.goto(f"{base}/admin/exports")
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.select_option("#survey", "community-needs")
    page.click("main button[type=submit]")
    assert "/tasks/" in page.url
    assert "تم" in page.locator("#task-state").inner_text()
    page.screenshot(path=str(ARTIFACTS / "task-export-done-ar-360.png"), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360  # nothing wider than the phone
    with page.expect_download() as info:
        page.click("#task-download")
    with open(info.value.path(), "rb") as file:
        data = file.read()
    expected = app.test_cli_runner().invoke(args=["export", "responses", "--survey", "community-needs"])
    assert data == expected.stdout_bytes and b"'=1+1" in data
    context.close()
