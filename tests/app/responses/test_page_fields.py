"""The resident form through the test client, JavaScript off: same-page follow-ups, numbers in
the resident's locale, fields invalid only with an error, exclusive choices."""
import gzip
import io
import json
import re
import time
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
import sqlalchemy as sa

from app.reporting.export import write_responses
from app.core.extensions import db
from app.models import Draft
from tests.app.test_respond import post_page, start

MEDIDAS = Path(__file__).with_name("medidas.yaml")



def redirect_target(response) -> str:
    """The redirect's path and query, less the `lang` every resident link carries."""
    parts = urlsplit(response.headers["Location"])
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query) if k != "lang"])
    return parts.path + (f"?{query}" if query else "")

def draft_answers(app, sid):
    with app.app_context():
        return db.session.scalar(sa.select(Draft.answers).where(Draft.submission_id == sid))


def to_page(client, number, lang=None):
    """(submission id, URL of page `number`) of a new draft: page 1 answered with transport first."""
    if lang:
        client.get(f"/s/community-needs?lang={lang}")
    sid, location = start(client)
    if number > 1:
        location = post_page(client, location, {"priorities__1": "transport"}).headers["Location"]
    if number > 2:
        location = post_page(client, location, {"safety_rating": "4"}).headers["Location"]
    return sid, location


def exported(app) -> dict:
    out = io.StringIO()
    with app.app_context():
        write_responses("community-needs", "json", out)
    return {row["submission_id"]: row for row in json.loads(out.getvalue())}


# --- 1. A follow-up on the same page as its trigger is asked -------------------------------------

def test_same_page_follow_ups_come_back_with_a_notice_and_reach_the_export(client, surveys, app):
    sid, page2 = to_page(client, 2, lang="es")
    response = post_page(client, page2, {"safety_rating": "1"})
    assert response.status_code == 302 and redirect_target(response).endswith("/2?more=1")
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'role="status"' in html and "Su respuesta abre otra pregunta en esta página" in html
    where = html[html.index('id="q-safety_where"') - 300:html.index('id="q-safety_where"')]
    assert " hidden>" not in where and 'name="shown" value="safety_where">' in where
    assert 'value="1" checked' in html  # the answer that brought it is kept
    page3 = post_page(client, response.headers["Location"],
                      {"safety_rating": "1", "safety_where": "El paso subterráneo"})
    assert redirect_target(page3).endswith("/3")

    again = post_page(client, page3.headers["Location"], {"years_here": "0", "recommend": "yes"})
    assert redirect_target(again).endswith("/3?more=1")
    html = client.get(again.headers["Location"]).get_data(as_text=True)
    assert 'id="moved_in"' in html and 'name="shown" value="moved_in">' in html
    page4 = post_page(client, again.headers["Location"],
                      {"years_here": "0", "recommend": "yes", "moved_in": "2026-05-01"})
    assert redirect_target(page4).endswith("/4")
    done = post_page(client, page4.headers["Location"], {"age_band": "25_44"})
    assert "/done/" in done.headers["Location"]
    row = exported(app)[sid]
    assert row["safety_where"] == "El paso subterráneo" and row["moved_in"] == "2026-05-01"
    assert row["safety_rating"] == 1 and row["years_here"] == 0


def test_a_follow_up_seen_with_javascript_is_not_asked_twice(client, surveys, app):
    sid, page2 = to_page(client, 2)
    answered = post_page(client, page2, {"safety_rating": "2", "safety_where": "Bridge", "shown": "safety_where"})
    assert redirect_target(answered).endswith("/3")
    assert draft_answers(app, sid)["safety_where"] == "Bridge"
    sid, page2 = to_page(client, 2)
    left_blank = post_page(client, page2, {"safety_rating": "2", "shown": "safety_where"})
    assert redirect_target(left_blank).endswith("/3") and "safety_where" not in draft_answers(app, sid)


def test_a_follow_up_switched_off_again_keeps_no_answer(client, surveys, app):
    sid, page2 = to_page(client, 2)
    post_page(client, page2, {"safety_rating": "1", "safety_where": "Bridge", "shown": "safety_where"})
    post_page(client, page2, {"safety_rating": "5", "safety_where": "Bridge"})
    answers = draft_answers(app, sid)
    assert answers["safety_rating"] == 5 and "safety_where" not in answers


def test_back_and_save_never_stop_for_a_follow_up(client, surveys):
    _sid, page2 = to_page(client, 2)
    assert redirect_target(post_page(client, page2, {"safety_rating": "1"}, action="save")).endswith("/saved")


def test_the_condition_is_shipped_as_a_json_tree_with_the_script(client, surveys):
    _sid, page2 = to_page(client, 2)
    html = client.get(page2).get_data(as_text=True)
    tree = json.loads(re.search(r"data-relevant='([^']+)'", html).group(1))
    assert tree == {"cmp": ["<="], "args": [{"var": "safety_rating"}, {"lit": 2}]}
    types = json.loads(re.search(r"data-types='([^']+)'", html).group(1))
    assert types["safety_rating"] == "rating"
    assert '<script src="/static/respond.js" defer></script>' in html
    # bus_often depends on page 1 only: drawn when relevant, never hidden on this page
    assert 'id="q-bus_often"' in html and html.count("data-relevant=") == 1
    page1 = client.get(start(client)[1]).get_data(as_text=True)
    assert "respond.js" not in page1 and "data-relevant" not in page1
    with client.get("/static/respond.js") as script:
        assert script.status_code == 200 and b"data-relevant" in script.data


@pytest.mark.parametrize("lang", ["en", "es", "ar", "so"])
def test_the_first_pages_fit_in_the_first_round_trip(client, surveys, lang):
    consent = client.get(f"/s/community-needs?lang={lang}").get_data()
    assert b"<script" not in consent and len(gzip.compress(consent, 6)) <= 14336
    _sid, page2 = to_page(client, 2, lang=lang)
    assert len(gzip.compress(client.get(page2).get_data(), 6)) <= 14336


# --- 2. Numbers are read the resident's way ------------------------------------------------------

@pytest.fixture
def medidas(surveys):
    from app.surveys.loader import load_surveys
    with surveys.app_context():
        load_surveys(MEDIDAS)
        db.session.commit()
    return surveys


@pytest.mark.parametrize("typed, stored", [("2.5", 2.5), ("2,5", 2.5), ("1.234,5", 1234.5), ("1500", 1500)])
def test_a_spanish_decimal_is_stored_as_meant_and_shown_back_the_spanish_way(client, medidas, app, typed, stored):
    sid, page1 = start(client, "medidas")
    html = client.get(page1).get_data(as_text=True)
    assert 'inputmode="decimal"' in html and '<html lang="es"' in html
    assert 'inputmode="text"' in html  # saldo may be negative: phone number pads have no minus
    response = post_page(client, page1, {"distancia": typed, "saldo": "-3,75"})
    assert response.status_code == 302
    assert draft_answers(app, sid) == {"distancia": stored, "saldo": -3.75}
    back = post_page(client, response.headers["Location"], {}, action="back")
    html = client.get(back.headers["Location"]).get_data(as_text=True)
    shown = str(stored).replace(".", ",").removesuffix(",0")
    assert f'value="{shown}"' in html and 'value="-3,75"' in html


@pytest.mark.parametrize("typed", ["1.000", "1,000", "1,234.5"])
def test_a_number_that_reads_two_ways_is_asked_again_in_spanish(client, medidas, app, typed):
    sid, page1 = start(client, "medidas")
    response = post_page(client, page1, {"distancia": typed})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Escriba el número sin separadores de miles, por ejemplo 1500 o 2,5." in html
    assert f'value="{typed}"' in html  # what was typed stays on screen
    assert "distancia" not in (draft_answers(app, sid) or {})


def test_whole_numbers_get_the_digit_keypad(client, surveys):
    _sid, page3 = to_page(client, 3)
    html = client.get(page3).get_data(as_text=True)
    assert re.search(r'<input[^>]*id="years_here"[^>]*inputmode="numeric"', html)


@pytest.mark.parametrize("typed, message", [
    ("1e1000000".ljust(135, "0"), "This number is too large: enter at most 15 digits."),
    ("9" * 30, "This number is too large: enter at most 15 digits."),
    ("NaN", "Enter a whole number of years from 0 to 100."),
    ("Infinity", "Enter a whole number of years from 0 to 100."),
    ("1e1000000", "Enter a whole number of years from 0 to 100."),
])
def test_hostile_numbers_are_refused_quickly_with_a_message(client, surveys, typed, message):
    _sid, page3 = to_page(client, 3)
    started = time.perf_counter()
    response = post_page(client, page3, {"years_here": typed})
    assert time.perf_counter() - started < 2
    assert response.status_code == 200 and message in response.get_data(as_text=True)


API = "/api/v1/surveys/community-needs/responses"


@pytest.mark.parametrize("raw", ["1e1000000", "NaN", "-Infinity", "9" * 4000])
def test_the_api_refuses_non_finite_numbers_as_it_reads_the_body(client, surveys, raw):
    """JSON's reader refuses what no number column can hold, before any arithmetic (issue 14)."""
    body = ('{"submission_id": "%s", "lang": "en", "answers": {"priorities": ["jobs"], "household_size": %s}}'
            % ("a" * 32, raw))
    response = client.post(API, data=body, content_type="application/json")
    assert response.status_code == 400 and "Numbers must be finite" in response.get_json()["message"]


def test_the_api_refuses_a_finite_number_too_large_for_the_question(client, surveys):
    body = ('{"submission_id": "%s", "lang": "en", "answers": {"priorities": ["jobs"], "household_size": 1e20}}'
            % ("a" * 32))
    response = client.post(API, data=body, content_type="application/json")
    assert response.status_code == 422
    assert response.get_json()["errors"]["household_size"] == "This number is too large: enter at most 15 digits."


# --- 3. Only fields with an error are invalid ----------------------------------------------------

def test_untouched_fields_are_not_invalid_and_an_error_is_tied_to_its_field(client, surveys):
    _sid, page3 = to_page(client, 3)
    html = client.get(page3).get_data(as_text=True)
    assert "aria-invalid" not in html and 'aria-describedby=""' not in html
    html = post_page(client, page3, {"years_here": "abc"}).get_data(as_text=True)
    field = re.search(r'<input[^>]*id="years_here"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in field and 'aria-describedby="years_here-error"' in field
    assert html.count("aria-invalid") == 1
    _sid, page1 = start(client)
    html = client.get(page1).get_data(as_text=True)
    textarea = re.search(r"<textarea[^>]*>", html).group(0)
    assert "aria-invalid" not in textarea and 'aria-describedby="biggest_change-hint"' in textarea


# --- 5. Exclusive choices ------------------------------------------------------------------------

def test_an_exclusive_choice_with_others_is_refused_in_the_residents_language(client, surveys, app):
    sid, page2 = to_page(client, 2, lang="es")
    html = client.get(page2).get_data(as_text=True)
    assert 'value="none" data-exclusive>' in html and 'value="library">' in html
    response = post_page(client, page2, {"services_used": ["library", "none"]})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "«Ninguno de estos» no puede elegirse junto con otras respuestas." in html
    assert 'aria-describedby="services_used-hint services_used-error" aria-invalid="true"' in html
    assert "services_used" not in draft_answers(app, sid)
    assert post_page(client, page2, {"services_used": ["none"]}).status_code == 302
    assert draft_answers(app, sid)["services_used"] == ["none"]


def test_the_api_refuses_an_exclusive_choice_with_others_and_marks_it(client, surveys):
    body = {"submission_id": "b" * 32, "lang": "es",
            "answers": {"priorities": ["jobs"], "services_used": ["none", "clinic"]}}
    response = client.post(API, json=body)
    assert response.status_code == 422
    assert response.get_json()["errors"]["services_used"].startswith("«Ninguno de estos» no puede")
    choices = {q["key"]: q.get("choices") for p in client.get("/api/v1/surveys/community-needs").get_json()["pages"]
               for q in p["questions"]}
    assert choices["services_used"][-1] == {"value": "none", "label": "None of these", "exclusive": True}
    assert all("exclusive" not in c for c in choices["services_used"][:-1])
