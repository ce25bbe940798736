"""The session page as a facilitator meets it (JavaScript off): parts in the order a session runs
with a menu to jump between them, labels in the interface language whatever the session's, errors
that go once the form is saved, and a host choice that says what it means."""
import re

import pytest

from tests.app.focus_groups.helpers import create_session_page, form_fields, post_form

#: Section ids in the order a session runs.
ORDER = ["participants", "notes", "themes", "organisations", "priorities", "close"]


@pytest.fixture
def facilitator(client, auth, surveys):
    auth.login("facilitator")
    return client


def register(client, group_id, code, **answers):
    data = {"p-code": code, "p-consent": "y", **{f"p-d_{k}": v for k, v in answers.items()}}
    response = post_form(client, f"/facilitate/{group_id}", f"/facilitate/{group_id}/participants", data)
    assert response.status_code == 302, response.get_data(as_text=True)


def section(html: str, fragment: str) -> str:
    """The HTML of one <section id=fragment>."""
    start = html.index(f'<section class="fg-section" id="{fragment}"')
    return html[start:html.index("</section>", start)]


def test_sections_run_in_session_order_and_the_menu_links_each(facilitator):
    group_id = create_session_page(facilitator)
    html = facilitator.get(f"/facilitate/{group_id}").get_data(as_text=True)
    starts = [html.index(f'<section class="fg-section" id="{fragment}"') for fragment in ORDER]
    assert starts == sorted(starts)
    menu = html[html.index('<nav class="fg-nav"'):html.index("</nav>", html.index('<nav class="fg-nav"'))]
    assert re.findall(r'href="#([a-z]+)"', menu) == ORDER
    assert html.index('<nav class="fg-nav"') < starts[0]  # the menu comes before the first part


def test_a_new_session_opens_on_the_participants(facilitator):
    response = post_form(facilitator, "/facilitate/", "/facilitate/", {
        "title": "Fresh", "date": "2026-03-14", "lang": "en", "host": "", "survey": "community-needs"})
    page = facilitator.get(response.headers["Location"]).get_data(as_text=True)
    assert "Session created. Register the participants first." in page
    first = min(page.index(f'id="{fragment}"') for fragment in ORDER)
    assert page[first:].startswith('id="participants"')
    assert "Register the participants first, so each quote can say who said it." in section(page, "notes")


def test_the_close_section_counts_what_was_recorded(facilitator):
    group_id = create_session_page(facilitator)
    register(facilitator, group_id, "P1")
    register(facilitator, group_id, "P2")
    page = f"/facilitate/{group_id}"
    post_form(facilitator, page, f"{page}/contributions", {"c-text": "The buses stop at nine.", "c-kind": "quote"})
    post_form(facilitator, page, f"{page}/votes", {"v-dots_housing": "5", "v-dots_jobs": "2"})
    close = section(facilitator.get(page).get_data(as_text=True), "close")
    for words in ("2 participants", "1 note or quote", "0 organisations named", "7 dots in the dot vote",
                  "0 rankings"):
        assert f"<li>{words}</li>" in close
    assert 'href="#participants">Withdraw a participant</a>' in close


# --- Labels follow the interface language; the consent wording stays in the session's -----------

def test_english_interface_somali_session_labels_in_english(facilitator):
    group_id = create_session_page(facilitator, lang="so")
    register(facilitator, group_id, "P1", age_band="25_44", gender="woman")
    post_form(facilitator, f"/facilitate/{group_id}", f"/facilitate/{group_id}/rankings",
              {"k-participant": "P1", "k-rank_1": "housing"})
    html = facilitator.get(f"/facilitate/{group_id}").get_data(as_text=True)
    people = section(html, "participants")
    assert "How old are you?" in people and "Immisa jir baad tahay?" not in people
    row = people[people.index('id="participant-P1"'):]
    assert "25 to 44" in row[:row.index("</tr>")] and "25 ilaa 44" not in people
    priorities = section(html, "priorities")
    assert "Affordable housing" in priorities and "Guryo la awoodi karo" not in priorities
    assert "<li>Affordable housing</li>" in priorities  # P1's ranking, as saved
    # The consent wording is read to the participants: Somali, marked so, with English alongside.
    said = re.search(r'<p class="fg-consent-said" lang="so" dir="ltr">Jawaabahaagu waa magac la&#39;aan', people)
    assert said and "What this says, in English" in people and "Your answers are anonymous" in people
    assert "The participant has heard or read this and agrees to take part." in people


def test_spanish_interface_english_session_labels_in_spanish(facilitator):
    group_id = create_session_page(facilitator, lang="en")
    register(facilitator, group_id, "P1", age_band="25_44")
    html = facilitator.get(f"/facilitate/{group_id}?lang=es").get_data(as_text=True)
    people, priorities = section(html, "participants"), section(html, "priorities")
    assert "¿Qué edad tiene?" in people and "25 a 44" in people and "How old are you?" not in people
    assert "Vivienda asequible" in priorities and "Affordable housing" not in priorities
    assert '<p class="fg-consent-said" lang="en" dir="ltr">Your answers are anonymous' in people
    assert "Sus respuestas son anónimas" in people  # the Spanish version, for the facilitator


def test_same_language_shows_the_consent_wording_once(facilitator):
    group_id = create_session_page(facilitator, lang="en")
    people = section(facilitator.get(f"/facilitate/{group_id}").get_data(as_text=True), "participants")
    assert people.count("Your answers are anonymous") == 1 and "What this says" not in people


# --- Errors go once the form is saved ------------------------------------------------------------

def test_an_error_then_a_save_leaves_no_error_on_the_page(facilitator):
    group_id = create_session_page(facilitator)
    page = f"/facilitate/{group_id}"
    html = facilitator.get(page).get_data(as_text=True)
    fields = form_fields(html, f"{page}/contributions")
    refused = facilitator.post(f"{page}/contributions", data={**fields, "c-text": "  ", "c-kind": "quote"})
    shown = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "Nothing was saved" in shown and 'id="c-text-error"' in shown
    # Each line of the summary names its form, so facilitate.js can clear that form's lines.
    assert '<li data-form="contribution"><a href="#c-text">Type what was said before saving.</a></li>' in shown
    saved = facilitator.post(f"{page}/contributions",
                             data={**form_fields(shown, f"{page}/contributions"), "c-text": "Now it is typed",
                                   "c-kind": "quote"})
    assert saved.status_code == 302
    after = facilitator.get(saved.headers["Location"]).get_data(as_text=True)
    assert "Nothing was saved" not in after and 'class="error"' not in after and "aria-invalid" not in after
    assert "Now it is typed" in section(after, "themes")


# --- The host choice ------------------------------------------------------------------------------

def test_the_no_host_choice_says_what_it_means(facilitator):
    html = facilitator.get("/facilitate/").get_data(as_text=True)
    host = html[html.index('<select id="host"'):html.index("</select>", html.index('<select id="host"'))]
    assert re.search(r'<option (selected )?value="">No host organisation</option>', host)
    assert ">None<" not in html


def test_no_host_creates_a_session_without_one(facilitator, app):
    from app.core.extensions import db
    from app.models import FocusGroup
    group_id = create_session_page(facilitator, host="")
    with app.app_context():
        assert db.session.get(FocusGroup, group_id).host_id is None
    html = facilitator.get(f"/facilitate/{group_id}").get_data(as_text=True)
    assert "<dt>Host</dt>" not in html and ">None<" not in html
    assert "Not in a particular note or quote" in section(html, "organisations")


def test_the_registration_form_stays_open_while_registering_and_folds_after(facilitator):
    group_id = create_session_page(facilitator)
    page = f"/facilitate/{group_id}"
    assert '<details class="fg-register" open>' in facilitator.get(page).get_data(as_text=True)
    response = post_form(facilitator, page, f"{page}/participants", {"p-code": "P1", "p-consent": "y"})
    again = facilitator.get(response.headers["Location"]).get_data(as_text=True)
    assert '<details class="fg-register" open>' in again and 'value="P2"' in again
    assert re.search(r'<input[^>]*autofocus[^>]*id="p-code"|<input[^>]*id="p-code"[^>]*autofocus', again)
    later = facilitator.get(page).get_data(as_text=True)  # the session has moved on
    assert '<details class="fg-register">' in later
    refused = post_form(facilitator, page, f"{page}/participants", {"p-code": "P2"})  # no consent
    assert '<details class="fg-register" open>' in refused.get_data(as_text=True)
