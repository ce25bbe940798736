"""Issue 10, item 4: the resident's language never drops mid-survey, and an ended session is
explained in that language (with the resume code), never as "a problem with one answer"."""
import re

import sqlalchemy as sa

from app.core.extensions import db
from app.models import Draft, Response
from tests.forms import form_action, hidden_fields

SLUG = "community-needs"
ARABIC = re.compile("[\u0600-\u06ff]")


def resident_urls(html: str) -> list[str]:
    """Every link and form action of a page that leads to another resident page."""
    return [u.replace("&amp;", "&") for u in re.findall(r'(?:href|action)="(/s/[^"]*)"', html)]


def start(client, lang: str):
    html = client.get(f"/s/{SLUG}?lang={lang}").get_data(as_text=True)
    fields = hidden_fields(html)
    response = client.post(form_action(html), data={**fields, "consent": "yes"})
    assert response.status_code == 302
    return fields["submission_id"], response.headers["Location"]


def drop_cookies(client, *names):
    for name in names or ("lang", "session"):
        client.delete_cookie(name)


def test_every_resident_link_and_form_carries_the_language(client, surveys, app):
    sid, location = start(client, "ar")
    assert location.endswith("?lang=ar")
    pages = [client.get(f"/s/{SLUG}?lang=ar"), client.get(location), client.get(f"/s/{SLUG}/resume?lang=ar"),
             client.get(f"/s/{SLUG}/withdraw?lang=ar")]
    html = pages[1].get_data(as_text=True)
    saved = client.post(form_action(html), data={**hidden_fields(html), "action": "save"})
    assert saved.headers["Location"].endswith("?lang=ar")
    pages.append(client.get(saved.headers["Location"]))
    for page in pages:
        html = page.get_data(as_text=True)
        urls = resident_urls(html)
        assert urls and all(re.search(r"[?&]lang=ar(&|$)", u) for u in urls), urls
        assert '<html lang="ar" dir="rtl">' in html


def test_cookies_cleared_mid_survey_keep_the_language(client, surveys, app):
    sid, location = start(client, "so")
    answers = [{"priorities__1": "housing", "biggest_change": "Baska fiidkii"},
               {"safety_rating": "4"}, {"years_here": "3"}, {"age_band": "25_44"}]
    for data in answers:
        drop_cookies(client, "lang")  # the language cookie is lost; the session still holds
        html = client.get(location).get_data(as_text=True)
        assert '<html lang="so"' in html, location
        response = client.post(form_action(html), data={**hidden_fields(html), **data, "action": "next"})
        assert response.status_code == 302, response.get_data(as_text=True)
        location = response.headers["Location"]
    assert f"/done/{sid}?lang=so" in location
    drop_cookies(client, "lang")
    assert '<html lang="so"' in client.get(location).get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(Response.lang).where(Response.submission_id == sid)) == "so"


def test_an_ended_session_on_a_page_is_explained_in_the_residents_language(client, surveys, app):
    sid, location = start(client, "ar")
    html = client.get(location).get_data(as_text=True)
    drop_cookies(client)  # browser closed: the session, and with it the form's token, are gone
    posted = {**hidden_fields(html), "priorities__1": "jobs", "biggest_change": "حافلات", "action": "next"}
    response = client.post(form_action(html), data=posted)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and '<html lang="ar" dir="rtl">' in page
    with app.app_context():
        code = db.session.scalar(sa.select(Draft.resume_code).where(Draft.submission_id == sid))
        assert db.session.scalar(sa.select(Draft.answers).where(Draft.submission_id == sid)) == {}
    summary = re.search(r'<div class="summary notice".*?</div>', page, re.S).group(0)
    assert code in summary and ARABIC.search(summary)
    assert "There is a problem" not in page and "aria-invalid" not in summary
    assert '<option value="jobs" selected>' in page  # the answers are still on screen
    # Pressing the button again (the page drew a new token) saves and moves on.
    again = client.post(form_action(page), data={**hidden_fields(page), "priorities__1": "jobs", "action": "next"})
    assert again.status_code == 302 and again.headers["Location"].endswith("?lang=ar")


def test_the_ended_session_heading_is_its_own_not_the_error_summary(client, surveys):
    _sid, location = start(client, "en")
    html = client.get(location).get_data(as_text=True)
    drop_cookies(client)
    page = client.post(form_action(html), data={**hidden_fields(html), "action": "next"}).get_data(as_text=True)
    assert "<h2>Your session had ended</h2>" in page and "There is a problem with one answer" not in page


def test_an_ended_session_at_start_says_so_and_keeps_the_tick(client, surveys, app):
    html = client.get(f"/s/{SLUG}?lang=es").get_data(as_text=True)
    drop_cookies(client)
    response = client.post(form_action(html), data={**hidden_fields(html), "consent": "yes"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and '<html lang="es"' in page
    assert 'id="expired"' in page and "Su sesión había terminado" in page
    assert re.search(r'id="consent" checked', page)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Draft)) == 0
    # Start again from the redrawn form: the same submission id, so no second draft is ever made.
    again = client.post(form_action(page), data={**hidden_fields(page), "consent": "yes"})
    assert again.status_code == 302 and hidden_fields(page)["submission_id"] == hidden_fields(html)["submission_id"]


def test_an_ended_session_on_resume_asks_for_the_code_again(client, surveys):
    html = client.get(f"/s/{SLUG}/resume?lang=vi").get_data(as_text=True)
    drop_cookies(client)
    page = client.post(form_action(html), data={**hidden_fields(html), "code": "ABCD3467"}).get_data(as_text=True)
    assert '<html lang="vi"' in page and 'id="expired"' in page and "code-error" not in page


def test_a_link_without_the_language_opens_in_the_drafts_language(client, surveys):
    _sid, location = start(client, "ar")
    drop_cookies(client, "lang")
    bare = location.split("?")[0]  # an old bookmark, from before links carried the language
    html = client.get(bare, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in html
