"""An admin sets up a tablet for ODK Collect: makes a device token for a survey, sees the server
URL and the QR code Collect scans (once), and the URL answers as an OpenRosa server; then revokes it."""
import re
import urllib.error
import urllib.request

import pytest

from app.openrosa.devices import settings_qr_svg
from tests.browser.conftest import ARTIFACTS, sign_in
from tests.conftest import make_user

EMAIL = "devices-admin@example.org"


@pytest.fixture(scope="module")
def server(live_server):
    app, _base = live_server
    make_user(app, "admin", EMAIL)
    return live_server


def _get(url: str) -> tuple[int, dict, bytes]:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers={"X-OpenRosa-Version": "1.0"})) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_an_admin_makes_a_device_token_and_sees_its_qr_code(server, browser):
    app, base = server
    context = browser.new_context(viewport={"width": 1024, "height": 900})
    page = context.new_page()
    sign_in(page, base, EMAIL)
    page.goto(f"{base}/admin")
    page.click("text=Devices for ODK Collect")
    page.fill("#name", "Tablet 3")
    page.check("#survey-community-needs")
    page.click("main form.cg-admin-form button[type=submit]")

    assert page.locator("h2").inner_text() == "Set up “Tablet 3”"
    url = page.locator("#server-url").input_value()
    assert url.startswith(f"{base}/openrosa/key/cgd_")
    qr = page.locator(".cg-device-qr svg")
    box = qr.bounding_box()
    assert box["width"] >= 200 and abs(box["width"] - box["height"]) < 1  # square, large enough to scan
    # The code on the page is the one Collect's settings make for this URL.
    expected = re.search(r' d="([^"]+)"', settings_qr_svg(url, "Common Ground · Tablet 3")).group(1)
    assert qr.locator("path").get_attribute("d") == expected
    page.screenshot(path=str(ARTIFACTS / "admin-device-qr.png"), full_page=True)

    status, headers, body = _get(f"{url}/formList")
    assert status == 200 and headers["X-OpenRosa-Version"] == "1.0"
    assert b"<formID>community-needs</formID>" in body and b"partner-survey" not in body

    page.goto(f"{base}/admin/devices")
    assert url not in page.content()  # shown once
    page.click("text=Revoke the token of Tablet 3")
    assert "The device token was revoked" in page.locator("main").inner_text()
    assert _get(f"{url}/formList")[0] == 401
    context.close()
