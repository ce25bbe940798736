"""A facilitator on a tablet, JavaScript on: contributions typed while the connection is down wait
on the device, are sent when the network comes back and are stored exactly once; words the
server refuses come back to the text box instead of being lost."""
import sqlalchemy as sa

from app.extensions import db
from app.models import Contribution, Participant
from app.withdrawal import withdraw_participant
from tests.browser.conftest import ARTIFACTS, sign_in
from tests.conftest import make_user

TABLET = {"width": 768, "height": 1024}
WORDS = ("The last bus leaves before my shift ends.", "We need a crèche at the community centre.")


def stored(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(sa.select(Contribution.text).order_by(Contribution.id)))


def open_new_session(browser, base, email, title):
    """A tablet-sized page, signed in as a new facilitator, on a new session's page."""
    context = browser.new_context(viewport=TABLET, has_touch=True)
    page = context.new_page()
    sign_in(page, base, email)
    page.goto(f"{base}/facilitate/")
    page.fill("#title", title)
    page.fill("#date", "2026-05-01")
    page.click("main form button[type=submit]")
    assert page.locator("h1").inner_text() == title
    return context, page


def test_contributions_typed_offline_are_stored_once(live_server, browser):
    app, base = live_server
    make_user(app, "facilitator", "tablet@example.org")
    context, page = open_new_session(browser, base, "tablet@example.org", "Tablet session")
    # Nothing wider than the tablet, and the main buttons big enough to tap.
    assert page.evaluate("document.documentElement.scrollWidth") <= TABLET["width"]
    assert page.locator("#fg-contribution-form button[type=submit]").bounding_box()["height"] >= 44

    context.set_offline(True)
    for words in WORDS:
        page.fill("#c-text", words)
        page.click("#fg-contribution-form button[type=submit]")
    assert page.locator("#fg-queue-status").inner_text() == "Waiting to send: 2"
    assert page.evaluate("document.activeElement.id") == "c-text"  # ready for the next one
    assert stored(app) == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "facilitate-offline-768x1024.png"))

    context.set_offline(False)
    page.wait_for_function("document.getElementById('fg-queue-status').textContent === ''", timeout=30_000)
    assert stored(app) == list(WORDS)
    page.reload()  # a reload finds nothing left to send, and nothing is sent twice
    page.wait_for_timeout(500)
    assert stored(app) == list(WORDS)
    feed = page.locator("#fg-feed").inner_text()
    assert all(feed.count(words) == 1 for words in WORDS)
    context.close()


def test_words_the_server_refuses_come_back_to_the_text_box(live_server, browser):
    app, base = live_server
    make_user(app, "facilitator", "refused@example.org")
    context, page = open_new_session(browser, base, "refused@example.org", "Refusal session")
    page.fill("#p-code", "P1")
    page.check("#p-consent")
    page.click("#participants button[type=submit]")
    with app.app_context():  # P1 withdraws on another device while this page still offers them
        participant = db.session.scalar(sa.select(Participant).where(Participant.code == "P1")
                                        .order_by(Participant.id.desc()))
        withdraw_participant(participant, None)
        db.session.commit()
    page.select_option("#c-participant", "P1")
    page.fill("#c-text", "Words worth keeping")
    page.click("#fg-contribution-form button[type=submit]")
    page.wait_for_function("document.getElementById('fg-failed').textContent !== ''")
    assert page.input_value("#c-text") == "Words worth keeping"
    assert "Participant P1 has withdrawn." in page.locator("#fg-failed").inner_text()
    assert "Words worth keeping" not in stored(app)
    context.close()


def test_a_503_from_the_server_keeps_the_contribution_queued_and_retries_when_told(live_server, browser):
    """The database is away: the server answers 503 with Retry-After; nothing is lost, and the
    queue sends again after the time the server gave (well before its 15-second timer)."""
    app, base = live_server
    make_user(app, "facilitator", "away@example.org")
    context, page = open_new_session(browser, base, "away@example.org", "Database away")
    endpoint = page.get_attribute("#fg-contribution-form", "data-endpoint")
    refused = []

    def database_away(route):
        refused.append(route.request.url)
        route.fulfill(status=503, headers={"Retry-After": "1", "Content-Type": "application/json"},
                      body='{"error": "database_unavailable", "saved": false}')
    page.route(f"**{endpoint}", database_away)
    page.fill("#c-text", "Evening buses, please.")
    page.click("#fg-contribution-form button[type=submit]")
    page.wait_for_function("document.getElementById('fg-queue-status').textContent !== ''")
    page.wait_for_timeout(1500)  # one Retry-After later it was tried again, and refused again
    assert len(refused) >= 2 and stored(app)[-1:] != ["Evening buses, please."]
    page.unroute(f"**{endpoint}")
    page.wait_for_function("document.getElementById('fg-queue-status').textContent === ''", timeout=5_000)
    assert stored(app)[-1:] == ["Evening buses, please."]
    context.close()
