"""An equity lead's month on the demo data, in a real browser: who is missing (the page and the
JSON agree, the chart is drawn, the CSV downloads), the review queue driven from the keyboard,
the network drawing zoomed, and the print view without the controls."""
import csv
import io
import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from app.core.extensions import db
from app.models import ThemeTag, User
from tests.browser.conftest import ARTIFACTS, sign_in
from tests.conftest import make_user

DESK = {"width": 1280, "height": 900}
EMAIL = "equity@example.org"


@pytest.fixture(scope="module")
def server(demo_server):
    """The demo server, with an equity lead's account on it."""
    make_user(demo_server[0], "equity_lead", EMAIL)
    return demo_server


@pytest.fixture
def page(server, browser):
    """A desk-sized page, signed in as the equity lead."""
    context = browser.new_context(viewport=DESK, accept_downloads=True)
    page = context.new_page()
    sign_in(page, server[1], EMAIL)
    yield page
    context.close()


def test_an_equity_lead_answers_who_is_missing(server, page):
    base = server[1]
    page.goto(f"{base}/reports/representation?survey=community-needs&geography=city")
    counted = int(re.search(r"([\d,]+) people counted", page.locator("main").inner_text()).group(1).replace(",", ""))
    report = page.request.get(f"{base}/api/v1/reports/representation?survey=community-needs&geography=city").json()
    assert counted == report["n"] == 420
    gaps = page.locator("h2:has-text('Who is missing') + ul li").all_inner_texts()
    assert gaps == [gap["text"] for gap in report["missing"]] and len(gaps) >= 3
    assert page.locator("section.dimension svg").count() == len(report["dimensions"])
    page.screenshot(path=str(ARTIFACTS / "representation.png"), full_page=True)

    with page.expect_download() as download:
        page.click("p.exports a:text-is('CSV')")
    rows = list(csv.reader(io.StringIO(download.value.path().read_text(encoding="utf-8-sig"))))
    under_18 = next(c for t in report["dimensions"] if t["dimension"] == "age_band" for c in t["categories"]
                    if c["category"] == "under_18")
    assert next(row for row in rows if row and row[0] == "under_18")[2] == str(under_18["n"])

    page.emulate_media(media="print")
    assert not page.locator("form.filters").is_visible() and not page.locator("p.exports").is_visible()
    assert page.locator("section.dimension").first.is_visible()


def test_the_review_queue_works_from_the_keyboard(server, page):
    app, base = server
    page.goto(f"{base}/reports/themes/review?survey=community-needs")
    first_item = page.locator("input[name=item]").input_value()
    boxes = page.locator(".cg-review-form input[type=checkbox]")
    theme = boxes.nth(1).get_attribute("value")
    ticked_before = boxes.nth(1).is_checked()
    page.keyboard.press("j")
    page.keyboard.press("j")  # the second theme has the focus
    page.keyboard.press("x")
    assert boxes.nth(1).is_checked() != ticked_before
    page.keyboard.press("s")
    expect(page.locator("input[name=item]")).not_to_have_value(first_item)  # no eval: the CSP forbids it
    with app.app_context():
        coder = f"user:{db.session.scalar(sa.select(User.id).where(User.email == EMAIL))}"
        mine = db.session.execute(sa.select(ThemeTag.theme, ThemeTag.status).where(ThemeTag.coder == coder)).all()
    assert (theme in {t for t, status in mine if status == "accepted"}) != ticked_before


def test_the_network_drawing_zooms(server, page):
    base = server[1]
    page.goto(f"{base}/reports/network")
    width = lambda: float(page.locator("svg#network").get_attribute("viewBox").split()[2])  # noqa: E731
    before = width()
    page.click("button[data-zoom=in]")
    assert width() < before
    page.click("button[data-zoom=reset]")
    assert width() == before
    assert page.locator("svg#network circle").count() == len(page.request.get(f"{base}/api/v1/reports/network").json()["nodes"])
