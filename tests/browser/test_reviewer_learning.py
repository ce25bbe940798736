"""A reviewer after the tagger has learned from earlier reviews, in a real browser on a tablet:
the queue ordered by uncertainty, a learned suggestion shown with its probability, confirmed."""
import re
import uuid

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from app.core.extensions import db
from app.models import Answer, ThemeTag
from tests.app.themes.conftest import CODEBOOK
from tests.app.themes.test_learning import NEGATIVE, POSITIVE, UNREVIEWED
from tests.browser.conftest import ARTIFACTS, sign_in
from tests.conftest import make_user

TABLET = {"width": 768, "height": 1024}
EMAIL = "reviewer@example.org"


@pytest.fixture(scope="module")
def server(live_server):
    """The codebook, 23 answers, 20 of them reviewed by someone else, and a tagger learned from them."""
    from analysis.themes import Codebook
    from app.themes.codebook import current_codebook, replace_codebook
    from app.themes.learning import learn
    from app.themes.review import find_item, save_review
    app, base = live_server
    with app.app_context():
        replace_codebook(Codebook.from_dict(CODEBOOK), source="test")
        db.session.commit()
    client = app.test_client()
    for text in POSITIVE + NEGATIVE + UNREVIEWED:
        body = {"submission_id": uuid.uuid4().hex, "lang": "en",
                "answers": {"priorities": ["housing"], "biggest_change": text}}
        assert client.post("/api/v1/surveys/community-needs/responses", json=body).status_code == 201
    make_user(app, "equity_lead", "first@example.org")
    make_user(app, "equity_lead", EMAIL)
    with app.app_context():
        codebook, tag_hash = current_codebook()
        answers = dict(db.session.execute(sa.select(Answer.text, Answer.id).where(Answer.question_key == "biggest_change")).all())
        for text in POSITIVE + NEGATIVE:
            item = find_item(f"a{answers[text]}", "user:1", "en")
            save_review(item, "user:1", {"transport"} if text in POSITIVE else set(), codebook)
        db.session.commit()
        learn(codebook, tag_hash, commit=db.session.commit)
    return app, base, answers


@pytest.fixture
def tablet(server, browser):
    context = browser.new_context(viewport=TABLET)
    page = context.new_page()
    sign_in(page, server[1], EMAIL)
    yield page
    context.close()


def test_a_reviewer_takes_the_least_certain_text_and_confirms_a_learned_suggestion(server, tablet):
    app, base, answers = server
    page = tablet
    page.goto(f"{base}/reports/themes/review")
    expect(page.locator("main")).to_contain_text("Learned from review in en: 20 reviewed texts")
    page.click("nav.cg-review-order a:text-is('Least certain first')")
    expect(page.locator("nav.cg-review-order a[aria-current=page]")).to_have_text("Least certain first")
    with app.app_context():
        from app.models import TaggedText
        uncertainty = dict(db.session.execute(sa.select(TaggedText.answer_id, TaggedText.uncertainty)).all())
    waiting = sorted((answers[t] for t in UNREVIEWED), key=lambda a: (-uncertainty[a], a))
    expect(page.locator("input[name=item]")).to_have_value(f"a{waiting[0]}")
    # Walk to the tram text (skipping keeps the order), where the learned tagger suggests transport.
    tram = f"a{answers['the tram is too full today']}"
    while page.locator("input[name=item]").input_value() != tram:
        page.click("button[value=skip]")
    with app.app_context():
        probability = db.session.scalar(sa.select(ThemeTag.score).where(
            ThemeTag.answer_id == answers["the tram is too full today"], ThemeTag.coder == "learned",
            ThemeTag.theme == "transport"))
    badge = page.locator("label.opt:has(input[value=transport]) .cg-review-learned")
    expect(badge).to_have_text(f"learned, {round(probability * 100)}% likely")
    expect(page.locator("input[value=transport]")).to_be_checked()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "review-learned-tablet.png"), full_page=True)
    page.click("button[value=save]")
    expect(page.locator("main")).to_contain_text("Saved. Here is the next text.")
    assert re.search(r"order=uncertain", page.url)
    with app.app_context():
        mine = db.session.execute(sa.select(ThemeTag.theme, ThemeTag.status).where(
            ThemeTag.answer_id == answers["the tram is too full today"], ThemeTag.coder.like("user:%"))).all()
    assert ("transport", "accepted") in mine
