"""A reviewer sees why the tagger suggested each theme (issue 12): the matched words highlighted
in the text, how each matched, the text tagged through a stem alone first; on a tablet."""
import time
import uuid

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from app.core.extensions import db
from app.models import TaggedText, ThemeTag, User
from tests.browser.conftest import ARTIFACTS, serve, sign_in
from tests.conftest import BACKENDS, SURVEYS_DIR, make_user

TABLET = {"width": 768, "height": 1024}
EMAIL = "reviewer@example.org"
#: How long to wait for the background tagging thread of the live server.
TAGGING_WAIT = 30.0


def _seed():
    from analysis.themes import Codebook
    from app.themes.codebook import replace_codebook
    replace_codebook(Codebook.from_yaml(SURVEYS_DIR / "codebooks" / "community-themes.yaml"), source="test")


@pytest.fixture(scope="module", params=BACKENDS)
def server(request, tmp_path_factory):
    """Surveys and the shipped codebook; an equity lead's account."""
    for app, base in serve(request, tmp_path_factory, _seed):
        make_user(app, "equity_lead", EMAIL)
        yield app, base


def submit(page, base, text):
    body = {"submission_id": uuid.uuid4().hex, "lang": "en",
            "answers": {"priorities": ["housing"], "biggest_change": text}}
    response = page.request.post(f"{base}/api/v1/surveys/community-needs/responses", data=body)
    assert response.status == 201, response.text()


def wait_for_tags(app, count):
    deadline = time.monotonic() + TAGGING_WAIT
    while time.monotonic() < deadline:
        with app.app_context():
            if db.session.scalar(sa.select(sa.func.count()).select_from(TaggedText)) >= count:
                return
        time.sleep(0.2)
    raise AssertionError("the texts were not tagged")


def test_a_reviewer_sees_why_each_theme_was_suggested(server, browser):
    app, base = server
    context = browser.new_context(viewport=TABLET)
    page = context.new_page()
    submit(page, base, "The rent is too high and the buses are late.")
    submit(page, base, "Our landlord keeps evicting families, and the hospitl is far.")
    wait_for_tags(app, 2)
    sign_in(page, base, EMAIL)
    page.goto(f"{base}/reports/themes/review?survey=community-needs")

    # The text with a stem-only tag comes first, though it was sent second.
    quote = page.locator("blockquote.cg-review-text")
    expect(quote).to_contain_text("Our landlord keeps evicting families")
    marks = quote.locator("mark.cg-review-match")
    expect(marks).to_have_text(["landlord", "evicting", "hospitl"])
    expect(marks.nth(1)).to_have_attribute("title", "Found for: Homelessness and eviction")
    evicting = page.locator("label.opt", has=page.locator("input[value=homelessness]"))
    expect(evicting.locator(".cg-review-why")).to_have_text("same stem only, check it: evicting")
    expect(evicting.locator("input")).to_be_checked()
    health = page.locator("label.opt", has=page.locator("input[value=health_care]"))
    expect(health.locator(".cg-review-why")).to_have_text("one letter off a keyword: hospitl")
    page.screenshot(path=str(ARTIFACTS / "review-why-tablet.png"), full_page=True)

    # The reviewer disagrees with the stem-only suggestion and saves; the next text is the other one.
    evicting.locator("input").uncheck()
    page.click("button[value=save]")
    expect(quote).to_contain_text("The rent is too high")
    expect(quote.locator("mark.cg-review-match")).to_have_text(["rent", "buses"])
    with app.app_context():
        coder = f"user:{db.session.scalar(sa.select(User.id).where(User.email == EMAIL))}"
        rejected = set(db.session.scalars(sa.select(ThemeTag.theme).where(ThemeTag.coder == coder,
                                                                          ThemeTag.status == "rejected")))
    assert rejected == {"homelessness"}
    context.close()
