"""A facilitator's session on a 1024×768 tablet, JavaScript on, English interface, Somali session:
participants registered with demographics and consent, the menu that jumps between the parts of
the page, a quote saved after an error with no stale error left (while it waits offline, too),
the offline queue storing each quote once, the dot vote, a participant's withdrawal, and labels
in the interface language. Words the server refuses come back to the text box."""
import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from app.core.extensions import db
from app.models import Contribution, FocusGroup, Participant, ParticipantAttribute, Vote
from app.responses.withdrawal import withdraw_participant
from tests.browser.conftest import ARTIFACTS, sign_in
from tests.conftest import make_user

TABLET = {"width": 1024, "height": 768}
EMAIL = "tablet@example.org"
QUOTES = ("The last bus leaves before my shift ends.", "We need a crèche at the community centre.")


@pytest.fixture(scope="module")
def server(live_server):
    make_user(live_server[0], "facilitator", EMAIL)
    return live_server


@pytest.fixture
def tablet(server, browser):
    """(context, page): a landscape tablet in English, signed in as the facilitator."""
    context = browser.new_context(viewport=TABLET, has_touch=True, locale="en-GB")
    page = context.new_page()
    sign_in(page, server[1], EMAIL)
    yield context, page
    context.close()


def query(app, statement):
    with app.app_context():
        return db.session.execute(statement).all()


def create_session(page, base, title, lang):
    page.goto(f"{base}/facilitate/")
    assert page.locator("#host option").first.inner_text() == "No host organisation"
    page.fill("#title", title)
    page.fill("#date", "2026-05-01")
    page.select_option("#lang", lang)
    page.click("main form button[type=submit]")
    assert page.locator("h1").inner_text() == title
    return int(page.url.rstrip("/").split("/")[-1].split("#")[0])


def go_to(page, label, fragment):
    """Jump with the section menu; the part's heading ends up on screen, under the menu."""
    page.click(f"#fg-nav a[href='#{fragment}']")
    assert page.url.endswith(f"#{fragment}")
    expect(page.locator(f"#fg-nav a[href='#{fragment}']")).to_have_attribute("aria-current", re.compile(".*"))
    heading = page.locator(f"#{fragment} h2").bounding_box()
    menu = page.locator("#fg-nav").bounding_box()
    assert menu["y"] == 0 and heading["y"] >= menu["height"] and heading["y"] + heading["height"] <= TABLET["height"]
    assert page.locator("#fg-nav a[aria-current]").inner_text() == label


def register(page, code, age, gender):
    page.fill("#p-code", code)
    page.get_by_role("group", name="How old are you?").get_by_label(age, exact=True).check()
    page.get_by_role("group", name="What is your gender?").get_by_label(gender, exact=True).check()
    page.check("#p-consent")
    page.click("#participants button[type=submit]")
    page.locator(f"#participant-{code}").wait_for()


def no_stale_error(page):
    assert page.locator("#fg-error-summary").count() == 0
    assert page.locator("#fg-contribution-form .error, #fg-contribution-form .invalid, "
                        "#fg-contribution-form [aria-invalid]").count() == 0


def test_a_facilitators_session(server, tablet):
    app, base = server
    context, page = tablet
    group_id = create_session(page, base, "Somali evening", "so")

    # It opens on the participants, as the flash asks, with the menu in session order.
    assert "Register the participants first." in page.locator(".flash").inner_text()
    assert page.locator("#fg-nav a").all_inner_texts() == [
        "Participants", "Notes and quotes", "Themes", "Organisations", "Priorities", "Close"]
    assert page.locator("#participants h2").bounding_box()["y"] < TABLET["height"]
    assert page.evaluate("document.documentElement.scrollWidth") <= TABLET["width"]

    # Participants: questions in English (the interface), the consent read out in Somali.
    consent = page.locator(".fg-consent-said")
    assert consent.get_attribute("lang") == "so" and consent.inner_text().startswith("Jawaabahaagu waa magac")
    page.fill("#p-code", "P1")
    page.click("#participants button[type=submit]")  # consent not ticked: refused, nothing stored
    assert "agreed to take part" in page.locator("#fg-error-summary").inner_text()
    register(page, "P1", "25 to 44", "Woman")
    assert page.locator("#fg-error-summary").count() == 0
    register(page, "P2", "65 or older", "Man")
    register(page, "P3", "18 to 24", "Woman")
    assert page.locator("#participant-P1 td").first.inner_text() == "25 to 44; Woman"
    attrs = dict(query(app, sa.select(ParticipantAttribute.dimension, ParticipantAttribute.category)
                       .join(Participant).where(Participant.focus_group_id == group_id, Participant.code == "P2")))
    assert attrs == {"age_band": "65_plus", "gender": "man"}
    assert all(given for (given,) in query(app, sa.select(Participant.consent_given)
                                                .where(Participant.focus_group_id == group_id)))

    # A quote saved after an error, while the connection is down: the error goes at once.
    go_to(page, "Notes and quotes", "notes")
    page.click("#fg-contribution-form button[type=submit]")  # nothing typed: the server says so
    assert "Type what was said" in page.locator("#fg-error-summary").inner_text()
    assert page.locator("#c-text").get_attribute("aria-invalid") == "true"
    context.set_offline(True)
    page.fill("#c-text", QUOTES[0])
    page.select_option("#c-participant", "P1")
    page.check("#c-kind-1")
    page.select_option("#c-lang", "en")
    page.click("#fg-contribution-form button[type=submit]")
    no_stale_error(page)
    assert page.url == f"{base}/facilitate/{group_id}#notes"  # a reload shows the session, not the refused post
    page.fill("#c-text", QUOTES[1])
    page.click("#fg-contribution-form button[type=submit]")
    assert page.locator("#fg-queue-status").inner_text() == "Waiting to send: 2"
    assert page.evaluate("document.activeElement.id") == "c-text"  # ready for the next one
    assert page.input_value("#c-lang") == "en"  # the next one is most likely in the same language
    assert query(app, sa.select(Contribution.text)) == []
    no_stale_error(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "facilitator-offline-1024x768.png"))

    context.set_offline(False)
    expect(page.locator("#fg-queue-status")).to_have_text("", timeout=30_000)
    said = query(app, sa.select(Contribution.text, Contribution.lang, Contribution.participant_id)
                 .order_by(Contribution.id))
    assert [(text, lang) for text, lang, _p in said] == [(QUOTES[0], "en"), (QUOTES[1], "en")]
    page.reload()  # nothing left to send, nothing sent twice
    page.wait_for_timeout(500)
    assert len(query(app, sa.select(Contribution.id))) == 2
    feed = page.locator("#fg-feed").inner_text()
    assert all(feed.count(words) == 1 for words in QUOTES) and "Written in English" in feed
    no_stale_error(page)

    # The dot vote, labelled in English.
    go_to(page, "Priorities", "priorities")
    page.get_by_label("Affordable housing", exact=True).fill("5")
    page.get_by_label("Getting around (buses, safe streets)", exact=True).fill("3")
    page.click("#priorities form >> nth=0 >> button[type=submit]")
    assert page.locator(".flash").inner_text() == "Dot vote saved."
    dots = dict(query(app, sa.select(Vote.priority, Vote.votes).where(Vote.focus_group_id == group_id,
                                                                     Vote.participant_id.is_(None))))
    assert (dots["housing"], dots["transport"], dots["jobs"]) == (5, 3, 0)

    # P3 withdraws: confirmed, then out of the list and the counts.
    go_to(page, "Participants", "participants")
    page.click("#participant-P3 a.fg-button")
    page.click("main form button[type=submit]")
    assert "Participant P3 has been withdrawn." in page.locator(".flash").inner_text()
    assert "Withdrawn" in page.locator("#participant-P3").inner_text()
    [(withdrawn_at,)] = query(app, sa.select(Participant.withdrawn_at).where(
        Participant.focus_group_id == group_id, Participant.code == "P3"))
    assert withdrawn_at is not None

    go_to(page, "Close", "close")
    counts = page.locator("#close .fg-counts").inner_text()
    assert "2 participants (1 withdrawn)" in counts and "2 notes and quotes" in counts
    assert "8 dots in the dot vote" in counts
    page.screenshot(path=str(ARTIFACTS / "facilitator-session-1024.png"), full_page=True)
    [(lang,)] = query(app, sa.select(FocusGroup.lang).where(FocusGroup.id == group_id))
    assert lang == "so"


def test_labels_follow_the_interface_language(server, tablet):
    """The same Somali session read by a facilitator whose interface is Spanish."""
    app, base = server
    _context, page = tablet
    group_id = create_session(page, base, "Sesión en somalí", "so")
    register(page, "P1", "25 to 44", "Woman")
    page.goto(f"{base}/facilitate/{group_id}?lang=es")
    assert page.locator("#participant-P1 td").first.inner_text() == "De 25 a 44 años; Mujer"
    assert page.get_by_label("Vivienda asequible", exact=True).count() == 1
    assert page.locator("#fg-nav a").first.inner_text() == "Participantes"
    assert page.locator(".fg-consent-said").get_attribute("lang") == "so"


def test_the_menu_works_without_javascript(server, browser):
    context = browser.new_context(viewport=TABLET, java_script_enabled=False, locale="en-GB")
    page = context.new_page()
    sign_in(page, server[1], EMAIL)
    create_session(page, server[1], "No script session", "en")
    for fragment in ("priorities", "notes", "close"):
        page.click(f"#fg-nav a[href='#{fragment}']")
        heading = page.locator(f"#{fragment} h2").bounding_box()
        menu = page.locator("#fg-nav").bounding_box()
        assert menu["y"] == 0 and menu["height"] <= heading["y"] < TABLET["height"], fragment
    context.close()


def test_words_the_server_refuses_come_back_to_the_text_box(server, tablet):
    app, base = server
    _context, page = tablet
    group_id = create_session(page, base, "Refusal session", "en")
    register(page, "P1", "25 to 44", "Woman")
    with app.app_context():  # P1 withdraws on another device while this page still offers them
        participant = db.session.scalar(sa.select(Participant).where(
            Participant.focus_group_id == group_id, Participant.code == "P1"))
        withdraw_participant(participant, None)
        db.session.commit()
    page.select_option("#c-participant", "P1")
    page.fill("#c-text", "Words worth keeping")
    page.click("#fg-contribution-form button[type=submit]")
    expect(page.locator("#fg-failed")).not_to_have_text("")
    assert page.input_value("#c-text") == "Words worth keeping"
    assert "Participant P1 has withdrawn." in page.locator("#fg-failed").inner_text()
    assert "Words worth keeping" not in [text for (text,) in query(app, sa.select(Contribution.text))]


def test_a_503_from_the_server_keeps_the_contribution_queued_and_retries_when_told(server, tablet):
    """The database is away: the server answers 503 with Retry-After; nothing is lost, and the
    queue sends again after the time the server gave (well before its 15-second timer)."""
    (app, base), (_context, page) = server, tablet
    create_session(page, base, "Database away", "en")
    endpoint = page.get_attribute("#fg-contribution-form", "data-endpoint")
    refused = []

    def database_away(route):
        refused.append(route.request.url)
        route.fulfill(status=503, headers={"Retry-After": "1", "Content-Type": "application/json"},
                      body='{"error": "database_unavailable", "saved": false}')
    page.route(f"**{endpoint}", database_away)
    page.fill("#c-text", "Evening buses, please.")
    page.click("#fg-contribution-form button[type=submit]")
    expect(page.locator("#fg-queue-status")).not_to_have_text("")
    page.wait_for_timeout(1500)  # one Retry-After later it was tried again, and refused again
    texts = lambda: [text for (text,) in query(app, sa.select(Contribution.text).order_by(Contribution.id))]  # noqa: E731
    assert len(refused) >= 2 and "Evening buses, please." not in texts()
    page.unroute(f"**{endpoint}")
    expect(page.locator("#fg-queue-status")).to_have_text("", timeout=5_000)
    assert texts()[-1:] == ["Evening buses, please."]
