"""The baselines table: labels, totals that say whether figures add up, an all-or-nothing save."""
import re

import pytest
import sqlalchemy as sa

from app.core.extensions import db
from app.models import AuditEvent, PopulationBaseline
from tests.forms import hidden_fields

FIGURES = {  # city, 2024: age as counts that add up, gender as counts 100 short, language as shares
    ("age_band", "under_18"): 2200, ("age_band", "18_24"): 1000, ("age_band", "25_44"): 3000,
    ("age_band", "45_64"): 2300, ("age_band", "65_plus"): 1500,
    ("gender", "woman"): 5000, ("gender", "man"): 4800, ("gender", "non_binary"): 100,
    ("language", "english"): 700_000, ("language", "spanish"): 300_000,
}


@pytest.fixture
def admin(auth, client, app):
    from app.surveys.loader import load_surveys
    from tests.conftest import SURVEYS_DIR
    with app.app_context():
        load_surveys(SURVEYS_DIR)
        db.session.add_all(PopulationBaseline(geography="city", dimension=d, category=c, population=p, year=2024,
                                              source="Census") for (d, c), p in FIGURES.items())
        db.session.add(PopulationBaseline(geography="eastfield", dimension="age_band", category="under_18",
                                          population=350, year=2021, source=""))
        db.session.commit()
    auth.login("admin")
    return client


def stored(app, geography="city"):
    with app.app_context():
        return {(b.dimension, b.category): b.population for b in db.session.scalars(
            sa.select(PopulationBaseline).where(PopulationBaseline.geography == geography))}


def page_text(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def table_form(client, path="/admin/baselines?place=2024:city") -> dict:
    """Every input of the baselines form, as the page drew it."""
    html = client.get(path).get_data(as_text=True)
    form = html[html.index('action="/admin/baselines"'):]
    fields = dict(re.findall(r'<input (?:type="hidden" )?(?:class="num" )?(?:id="[^"]*" )?name="([^"]+)" value="([^"]*)"', form))
    return {**hidden_fields(html, -1), **fields}


def test_the_table_has_labels_and_totals(admin):
    page = page_text(admin.get("/admin/baselines?place=2024:city"))
    assert '<h2 id="d-age_band">Age <span class="cg-key">age_band</span></h2>' in page
    assert '<label for="c-age_band-45_64">45 to 64</label>' in page
    assert 'value="2300"' in page
    # Age adds up to 10,000, which gender misses by 100; language is shares, shown as percentages.
    assert "✓ Same as the geography&#39;s total." in page
    assert "⚠ 100 fewer than the geography&#39;s total of 10,000." in page
    assert 'name="c-language-english" value="70"' in page and "✓ The shares add up to 100 %." in page
    # a category the surveys offer but with no figure yet: an empty cell to fill in
    assert 'name="c-language-arabic" value=""' in page


def test_the_picker_chooses_geography_and_year(admin):
    page = page_text(admin.get("/admin/baselines?place=2021:eastfield"))
    assert 'name="c-age_band-under_18" value="350"' in page and 'value="2021:eastfield" selected' in page


def test_saving_the_table(admin, app):
    form = table_form(admin)
    form.update({"c-age_band-65_plus": "1,600", "c-gender-man": "4 900", "c-language-english": "69.5",
                 "c-language-arabic": "0.5", "src-gender": "Census 2024, table 2"})
    response = admin.post("/admin/baselines", data=form)
    assert response.status_code == 302
    assert "Saved: 5 changes." in page_text(admin.get(response.headers["Location"]))
    figures = stored(app)
    assert figures[("age_band", "65_plus")] == 1600 and figures[("gender", "man")] == 4900
    assert figures[("language", "english")] == 695_000 and figures[("language", "arabic")] == 5_000
    with app.app_context():
        sources = set(db.session.scalars(sa.select(PopulationBaseline.source).where(
            PopulationBaseline.dimension == "gender")))
        event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "baseline_change"))
    assert sources == {"Census 2024, table 2"}
    assert event.target == "baseline:city:2024"
    assert {"dimension": "age_band", "category": "65_plus", "before": 1500, "after": 1600} in event.details["changes"]


def test_a_bad_cell_saves_nothing_and_says_which(admin, app):
    before = stored(app)
    form = table_form(admin)
    form.update({"c-age_band-65_plus": "1600", "c-age_band-18_24": "-5", "c-gender-man": "1.5",
                 "c-gender-woman": "", "c-language-english": "80"})
    response = admin.post("/admin/baselines", data=form)
    page = page_text(response)
    assert response.status_code == 422
    assert "Nothing was saved. Correct the figures marked below and save again." in page
    assert re.search(r'id="c-age_band-18_24-error">Enter a whole number of people, 0 or more.</p> '
                     r'<input class="num" id="c-age_band-18_24" name="c-age_band-18_24" value="-5"', page)
    assert 'id="c-gender-man-error">Enter a whole number of people, 0 or more.' in page
    assert 'id="c-gender-woman-error">Enter a number (0 when there is nobody)' in page
    assert "The shares add up to 110 %, not 100 %." in page
    assert 'value="1600"' in page  # what was typed is kept to correct
    assert stored(app) == before
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)
                                 .where(AuditEvent.action == "baseline_change")) == 0


def test_a_save_on_an_out_of_date_table_is_refused(admin, app):
    form = table_form(admin)
    with app.app_context():  # another admin saves meanwhile
        row = db.session.scalar(sa.select(PopulationBaseline).where(PopulationBaseline.category == "65_plus"))
        row.population = 1700
        db.session.commit()
    response = admin.post("/admin/baselines", data={**form, "c-age_band-65_plus": "1600"})
    assert response.status_code == 409 and "Someone changed these figures" in page_text(response)
    assert stored(app)[("age_band", "65_plus")] == 1700


def test_no_figures_yet(auth, client):
    auth.login("admin")
    page = page_text(client.get("/admin/baselines"))
    assert "No population figures yet: import a baseline file first." in page
    assert client.post("/admin/baselines", data=hidden_fields(client.get("/admin/imports").get_data(as_text=True), -1)
                       ).status_code == 404
