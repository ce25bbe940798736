"""Each contribution records the language it is written in (the session's unless the facilitator
says otherwise), on the page, in the API and in the export, and the tagger reads it with that
language's keywords: English notes in a Somali session get the English codebook."""
import csv
import io
import json
import uuid

import pytest
import sqlalchemy as sa

from app.core.extensions import db
from app.models import Contribution, ThemeTag
from tests.app.focus_groups.helpers import bearer, create_session_page, form_fields, post_form
from tests.conftest import make_token

#: A codebook whose English and Somali keywords differ, so the language read with is visible.
CODEBOOK = {"themes": [
    {"key": "transport", "labels": {"en": "Transport", "so": "Gaadiid"},
     "keywords": {"en": ["bus"], "so": ["baska"]}},
    {"key": "housing", "labels": {"en": "Housing", "so": "Guryaha"},
     "keywords": {"en": ["rent"], "so": ["kirada"]}},
]}


@pytest.fixture
def somali_session(client, auth, surveys):
    """A Somali session made through the facilitator's page; its id."""
    auth.login("facilitator")
    return create_session_page(client, lang="so")


def contribute(client, group_id, text, **extra):
    page = f"/facilitate/{group_id}"
    return post_form(client, page, f"{page}/contributions", {"c-text": text, "c-kind": "note", **extra})


def stored(app) -> dict[str, str]:
    with app.app_context():
        return dict(db.session.execute(sa.select(Contribution.text, Contribution.lang)).all())


def test_the_form_offers_the_language_with_the_sessions_chosen(client, somali_session):
    html = client.get(f"/facilitate/{somali_session}").get_data(as_text=True)
    select = html[html.index('<select id="c-lang"'):html.index("</select>", html.index('<select id="c-lang"'))]
    assert '<label for="c-lang">Written in</label>' in html
    assert '<option selected value="so">Soomaali</option>' in select and '<option value="en">English</option>' in select


def test_words_are_stored_in_the_language_chosen(client, app, somali_session):
    assert contribute(client, somali_session, "Baska waa daahay.").status_code == 302
    response = contribute(client, somali_session, "The bus is late again.", **{"c-lang": "en"})
    assert response.status_code == 302
    assert stored(app) == {"Baska waa daahay.": "so", "The bus is late again.": "en"}
    # The fresh form keeps the language last written in; the page marks words not in the session's.
    assert "written=en" in response.headers["Location"]
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert '<option selected value="en">English</option>' in html
    said = html[html.index("The bus is late again.") - 400:html.index("The bus is late again.")]
    assert "Written in English" in said and '<p class="fg-said" lang="en" dir="auto">' in said


def test_a_language_we_do_not_have_is_refused_with_the_words_kept(client, app, somali_session):
    response = contribute(client, somali_session, "Words worth keeping", **{"c-lang": "tlh"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and 'id="c-lang-error"' in html and "Choose one of the languages" in html
    assert "Words worth keeping</textarea>" in html and stored(app) == {}


# --- API --------------------------------------------------------------------------------------------

def api_post(client, token, group_id, **body):
    body = {"client_id": uuid.uuid4().hex, "kind": "note", "text": "The bus is late.", **body}
    return client.post(f"/api/v1/focus-groups/{group_id}/contributions", json=body, headers=bearer(token))


@pytest.fixture
def api_somali(client, app, surveys):
    token = make_token(app, "facilitator")
    response = client.post("/api/v1/focus-groups", headers=bearer(token),
                           json={"title": "Somali evening", "date": "2026-04-02", "lang": "so"})
    return token, response.get_json()["id"]


def test_api_takes_and_returns_the_language(client, app, api_somali):
    token, group_id = api_somali
    client_id = uuid.uuid4().hex
    first = api_post(client, token, group_id, client_id=client_id, lang="en")
    again = api_post(client, token, group_id, client_id=client_id, lang="en")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.get_json() == {"id": first.get_json()["id"], "client_id": client_id, "lang": "en"}
    assert again.get_json() == first.get_json()
    assert stored(app) == {"The bus is late.": "en"}


def test_api_defaults_to_the_sessions_language(client, app, api_somali):
    token, group_id = api_somali
    response = api_post(client, token, group_id, text="Baska waa daahay.")
    assert response.status_code == 201 and response.get_json()["lang"] == "so"


@pytest.mark.parametrize("lang", ["tlh", 7, ["en"], "x" * 50])
def test_api_refuses_a_language_it_cannot_read(client, app, api_somali, lang):
    token, group_id = api_somali
    response = api_post(client, token, group_id, lang=lang)
    assert response.status_code == 422 and list(response.get_json()["errors"]) == ["lang"]
    assert stored(app) == {}


def test_api_normalises_a_regional_code(client, app, api_somali):
    token, group_id = api_somali
    assert api_post(client, token, group_id, lang="en-GB").get_json()["lang"] == "en"


# --- Tagging and export -----------------------------------------------------------------------------

def auto_tags(app) -> dict[str, set[str]]:
    with app.app_context():
        rows = db.session.execute(sa.select(Contribution.text, ThemeTag.theme).join(
            ThemeTag, ThemeTag.contribution_id == Contribution.id).where(ThemeTag.coder == "auto")).all()
    found: dict[str, set[str]] = {}
    for text, theme in rows:
        found.setdefault(text, set()).add(theme)
    return found


def test_the_tagger_reads_each_contribution_in_its_own_language(client, app, runner, api_somali):
    from analysis.themes import Codebook
    from app.themes.codebook import replace_codebook
    with app.app_context():
        replace_codebook(Codebook.from_dict(CODEBOOK), source="test")
        db.session.commit()
    token, group_id = api_somali
    api_post(client, token, group_id, text="The bus is late and the rent went up.", lang="en")
    api_post(client, token, group_id, text="Baska waa daahay, kirada way kacday.")  # the session's: Somali
    api_post(client, token, group_id, text="The bus again.")  # English words left as Somali: no English read
    result = runner.invoke(args=["themes", "tag"])
    assert result.exit_code == 0, result.output
    assert auto_tags(app) == {"The bus is late and the rent went up.": {"transport", "housing"},
                              "Baska waa daahay, kirada way kacday.": {"transport", "housing"}}


def test_the_export_says_the_language_of_each_contribution(client, app, runner, api_somali):
    token, group_id = api_somali
    api_post(client, token, group_id, text="The bus is late.", lang="en")
    api_post(client, token, group_id, text="Baska waa daahay.")
    result = runner.invoke(args=["export", "focus-groups", "--format", "json"])
    [session] = json.loads(result.output)
    assert session["lang"] == "so"
    assert [(c["text"], c["lang"]) for c in session["contributions"]] == [
        ("The bus is late.", "en"), ("Baska waa daahay.", "so")]
    rows = list(csv.DictReader(io.StringIO(runner.invoke(args=["export", "focus-groups", "--format", "csv"]).output)))
    said = {r["text"]: (r["lang"], r["text_lang"]) for r in rows if r["record"] == "contribution"}
    assert said == {"The bus is late.": ("so", "en"), "Baska waa daahay.": ("so", "so")}


def test_the_queue_endpoint_takes_the_language_too(client, app, somali_session):
    html = client.get(f"/facilitate/{somali_session}").get_data(as_text=True)
    token = form_fields(html, f"/facilitate/{somali_session}/contributions")["c-csrf_token"]
    response = client.post(f"/facilitate/{somali_session}/contributions.json", headers={"X-CSRFToken": token},
                           json={"client_id": uuid.uuid4().hex, "text": "Typed offline in English", "lang": "en"})
    assert response.status_code == 201 and response.get_json()["lang"] == "en"
    assert stored(app) == {"Typed offline in English": "en"}
