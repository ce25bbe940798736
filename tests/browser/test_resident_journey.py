"""A resident's whole walk through the demo survey on a 360×740 phone, JavaScript off and on, in
English, Spanish, Arabic and Somali: every follow-up is asked when it applies (on the same page
as its trigger and on a later one) and reaches the export; no field is exposed as invalid before
an error; "None of these" is never stored with other services; a Spanish decimal is stored as
meant. Screenshots go to tests/artifacts/."""
import io
import json
import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from app.reporting.export import write_responses
from app.core.extensions import db
from app.models import Answer, Response
from tests.app.responses.test_page_fields import MEDIDAS
from tests.app.surveydef.test_relevance import EVALUATE_CASES
from tests.browser.conftest import ARTIFACTS, serve
from tests.conftest import BACKENDS

#: The message "None of these" with other services gets, in each language.
EXCLUSIVE = {"en": "cannot be chosen together", "es": "no puede elegirse junto", "ar": "لا يمكن اختيار",
             "so": "lama dooran karo"}


@pytest.fixture(scope="module", params=BACKENDS)
def server(request, tmp_path_factory):
    """The shipped surveys, the registry, and a survey written in Spanish with a decimal question."""
    from app.demo import _seed_stakeholders
    from app.surveys.loader import load_surveys

    def seed():
        _seed_stakeholders()
        load_surveys(MEDIDAS)
    yield from serve(request, tmp_path_factory, seed)


@pytest.fixture
def resident(browser, request):
    """(page, JavaScript on?) of a 360×740 phone, JavaScript on or off as the test's parameter says."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=request.param)
    yield context.new_page(), request.param
    context.close()


def invalid_fields(page) -> list[str]:
    """Names of the nodes Chromium's accessibility tree exposes as invalid (what a screen reader hears)."""
    cdp = page.context.new_cdp_session(page)
    nodes = cdp.send("Accessibility.getFullAXTree")["nodes"]
    cdp.detach()
    found = []
    for node in nodes:
        for prop in node.get("properties", []):
            if prop["name"] == "invalid" and prop["value"].get("value") not in ("false", False, None):
                found.append(node.get("name", {}).get("value", "?"))
    return found


def next_page(page, button: str = "next"):
    """Press a page's button and wait for the next page to load (with its deferred script run)."""
    with page.expect_navigation(wait_until="load"):
        page.click(f"button[value={button}]")


def sid_of(page) -> str:
    return re.search(r"/r/([0-9a-f]+)/", page.url).group(1)


def exported(app, slug: str = "community-needs") -> dict:
    out = io.StringIO()
    with app.app_context():
        write_responses(slug, "json", out)
    return {row["submission_id"]: row for row in json.loads(out.getvalue())}


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # nothing wider than the phone


@pytest.mark.parametrize("resident, lang", [
    (False, "en"), (False, "es"), (False, "ar"), (False, "so"), (True, "es"), (True, "ar"),
], indirect=["resident"], ids=["nojs-en", "nojs-es", "nojs-ar", "nojs-so", "js-es", "js-ar"])
def test_whole_demo_survey_with_every_follow_up(server, resident, lang):
    app, base = server
    page, js = resident
    page.goto(f"{base}/s/community-needs?lang={lang}")
    assert page.get_attribute("html", "lang") == lang
    page.check("#consent")
    with page.expect_navigation(wait_until="load"):
        page.click("main button[type=submit]")

    # Page 1: transport among the priorities brings the bus question on page 2.
    assert invalid_fields(page) == [] and page.locator("[aria-invalid=true]").count() == 0
    page.select_option("#priorities__1", "transport")
    page.select_option("#priorities__2", "housing")
    page.fill("#biggest_change", "Buses after ten")
    next_page(page)

    # Page 2: the bus question (a later page's follow-up) is there; safety 1 brings safety_where.
    expect(page.locator("#q-bus_often")).to_be_visible()
    assert invalid_fields(page) == []
    expect(page.locator("#safety_where")).to_be_hidden()
    page.check("input[name=bus_often][value=disagree]")
    page.check("input[name=services_used][value=library]")
    page.check("input[name=services_used][value=none]")
    if js:  # ticking "None of these" clears the others at once
        expect(page.locator("input[name=services_used][value=library]")).not_to_be_checked()
        page.check("input[name=services_used][value=library]")
        expect(page.locator("input[name=services_used][value=none]")).not_to_be_checked()
        page.check("input[name=services_used][value=none]")
    page.check("input[name=safety_rating][value='1']")
    if js:
        expect(page.locator("#safety_where")).to_be_visible()
        page.fill("#safety_where", "The underpass")
        next_page(page)
    else:
        next_page(page)  # refused: "None of these" with the library; the follow-up is there too
        expect(page.locator("#services_used-error")).to_contain_text(EXCLUSIVE[lang])
        assert len(invalid_fields(page)) == 1 and page.locator("[aria-invalid=true]").count() == 1
        expect(page.locator("#more")).to_be_visible()
        expect(page.locator("#safety_where")).to_be_visible()
        if lang == "ar":
            shot(page, "journey-ar-exclusive-and-follow-up-360.png")
        page.uncheck("input[name=services_used][value=library]")
        page.fill("#safety_where", "The underpass")
        next_page(page)

    # Page 3: no years here yet brings "when did you move?".
    assert "/3" in page.url and invalid_fields(page) == []
    page.fill("#years_here", "0")
    page.check("input[name=recommend][value=yes]")
    if js:
        expect(page.locator("#moved_in")).to_be_visible()
    else:  # the same page again, now with the follow-up and a note
        next_page(page)
        expect(page.locator("#more")).to_be_visible()
        assert re.search(r"/3\?(lang=\w+&)?more=1", page.url) and invalid_fields(page) == []
    page.fill("#moved_in", "2026-05-01")
    if lang == "ar":
        shot(page, f"journey-ar-{'js' if js else 'nojs'}-moved-in-360.png")
    next_page(page)

    # Page 4: about you, then send.
    assert invalid_fields(page) == []
    page.check("input[name=age_band][value='25_44']")
    page.check("input[name=home_language][value=english]")
    sid = sid_of(page)
    next_page(page)
    assert "/done/" in page.url
    row = exported(app)[sid]
    assert row["lang"] == lang and row["services_used"] == ["none"]
    assert row["bus_often"] == "disagree" and row["safety_rating"] == 1
    assert row["safety_where"] == "The underpass" and row["years_here"] == 0 and row["moved_in"] == "2026-05-01"


@pytest.mark.parametrize("resident", [False], indirect=True, ids=["nojs"])
def test_a_spanish_decimal_is_stored_as_meant(server, resident):
    app, base = server
    page, _js = resident
    page.goto(f"{base}/s/medidas")
    page.check("#consent")
    with page.expect_navigation(wait_until="load"):
        page.click("main button[type=submit]")
    assert page.get_attribute("#distancia", "inputmode") == "decimal"
    assert invalid_fields(page) == []
    page.fill("#distancia", "1.000")  # one, or a thousand? asked again, in Spanish
    next_page(page)
    expect(page.locator("#distancia-error")).to_contain_text("sin separadores de miles")
    assert page.input_value("#distancia") == "1.000"
    assert page.locator("[aria-invalid=true]").count() == 1
    assert page.get_attribute("#distancia", "aria-describedby") == "distancia-error"
    assert len(invalid_fields(page)) == 1
    page.fill("#distancia", "2.5")
    next_page(page)
    next_page(page, "back")
    assert page.input_value("#distancia") == "2,5"  # shown back the Spanish way
    next_page(page)
    sid = sid_of(page)
    next_page(page)
    assert "/done/" in page.url
    with app.app_context():
        response_id = db.session.scalar(sa.select(Response.id).where(Response.submission_id == sid))
        stored = db.session.scalar(sa.select(Answer.number).where(
            Answer.response_id == response_id, Answer.question_key == "distancia"))
    assert stored == 2.5


@pytest.mark.parametrize("resident", [True], indirect=True, ids=["js"])
def test_the_browser_reads_conditions_as_the_server_does(server, resident):
    """Every case of the server's own relevance tests, evaluated by respond.js from the JSON tree."""
    from app.surveydef.relevance import parse_expression
    app, base = server
    page, _js = resident
    page.goto(f"{base}/s/community-needs")
    page.check("#consent")
    with page.expect_navigation(wait_until="load"):
        page.click("main button[type=submit]")
    page.select_option("#priorities__1", "jobs")
    next_page(page)  # page 2 carries the script
    for source, answers, expected in EVALUATE_CASES:
        tree = parse_expression(source).to_json()
        assert page.evaluate("([t, a]) => window.cgRelevant(t, a)", [tree, answers]) is expected, source
