"""Issue 12 in the app: the tagger's evidence stored with its tags and shown in the review queue
(stem-only first), the codebook check on the codebook page and on the command line, exclusions
and negation edited in the theme form, and sentiment per theme from the clause around it."""
import pytest
import sqlalchemy as sa

from app.core.extensions import db
from app.models import CodebookTheme, TaggedText, ThemeTag
from tests.app.themes.conftest import api_report, item_of, review, submit, theme
from tests.app.themes.test_codebook import form_fields
from tests.conftest import SURVEYS_DIR, make_token


def auto_tags(app, item):
    with app.app_context():
        return {t.theme: (t.how, t.span_start, t.span_end, t.matched, round(t.score, 4))
                for t in db.session.scalars(sa.select(ThemeTag).where(ThemeTag.answer_id == int(item[1:]),
                                                                      ThemeTag.coder == "auto"))}


def test_machine_tags_store_how_they_matched_and_where(themes_app, client):
    item = item_of(themes_app, submit(client, "The landlords raised the renting fees"))
    # 6 tokens: "landlords" is a plural of landlord (weight 1), "renting" shares rent's stem only (0.4)
    assert auto_tags(themes_app, item) == {
        "housing": ("inflection", 4, 13, "landlords", round(1.4 / 6, 4)),
        "rent": ("stem", 25, 32, "renting", round(0.4 / 6, 4)),
    }


def test_the_review_queue_highlights_the_words_and_says_how(themes_app, client, auth):
    item = item_of(themes_app, submit(client, "The landlords raised the renting fees"))
    auth.login("equity_lead")
    html = client.get("/reports/themes/review", query_string={"item": item}).get_data(as_text=True)
    assert ('The <mark class="cg-review-match" title="Found for: Housing">landlords</mark> raised the '
            '<mark class="cg-review-match" title="Found for: Rent">renting</mark> fees</blockquote>') in html
    assert 'a form of the keyword: <q lang="en">landlords</q>' in html
    assert 'class="cg-review-why cg-review-how-stem">same stem only, check it: <q lang="en">renting</q>' in html


def test_texts_tagged_by_stem_alone_are_reviewed_first(themes_app, client, auth):
    exact = item_of(themes_app, submit(client, "Nice park."))
    weak = item_of(themes_app, submit(client, "We were renting."))
    other = item_of(themes_app, submit(client, "The bus is late."))
    auth.login("equity_lead")
    first = client.get("/reports/themes/review").get_data(as_text=True)
    assert f'name="item" value="{weak}"' in first
    following = client.get(review(client, weak, []).headers["Location"]).get_data(as_text=True)
    assert f'name="item" value="{exact}"' in following
    skipped = client.get(review(client, exact, [], action="skip").headers["Location"]).get_data(as_text=True)
    assert f'name="item" value="{other}"' in skipped


def test_the_codebook_page_lists_stem_collisions(themes_app, client, auth):
    auth.login("equity_lead")
    html = client.get("/reports/themes/codebook").get_data(as_text=True)
    assert "Keywords to check" in html
    assert "park (en, theme parks) also matches: parking, parked. Suggested: =park" in html
    assert "rent (en, theme rent) also matches: rented. Suggested: =rent" in html


def test_the_codebook_page_says_when_the_codebook_is_clean(app, client, auth, runner):
    assert runner.invoke(args=["themes", "import-codebook",
                               str(SURVEYS_DIR / "codebooks" / "community-themes.yaml")]).exit_code == 0
    auth.login("admin")
    html = client.get("/reports/themes/codebook").get_data(as_text=True)
    assert "Keywords to check" not in html and "no keyword is in two themes" in html
    assert "Negated keywords still count." in html


def test_cli_check_passes_the_shipped_codebook_and_fails_a_colliding_one(app, runner, tmp_path):
    shipped = runner.invoke(args=["themes", "check", str(SURVEYS_DIR / "codebooks" / "community-themes.yaml")])
    assert shipped.exit_code == 0 and "ok (32 themes, 7 languages" in shipped.output
    bad = tmp_path / "bad.yaml"
    bad.write_text("themes:\n  - key: housing\n    labels: {en: Housing}\n    keywords:\n      en: [apartment, =rent]\n"
                   "  - key: costs\n    labels: {en: Costs}\n    keywords:\n      en: [=rent]\n")
    result = runner.invoke(args=["themes", "check", str(bad)])
    assert result.exit_code == 1
    assert (f"{bad}:5: theme 'housing' (en): keyword 'apartment' also matches apart through its stem; "
            "write '=apartment' to match only its own forms") in result.output
    assert f"{bad}:5: keyword '=rent' (en) is in more than one theme: housing, costs; keep it in one" in result.output
    broken = tmp_path / "broken.yaml"
    broken.write_text("themes: [")
    assert runner.invoke(args=["themes", "check", str(broken)]).exit_code == 1


def test_cli_check_of_the_database_codebook(themes_app, runner):
    result = runner.invoke(args=["themes", "check"])
    assert result.exit_code == 1 and "codebook (database): theme 'parks' (en): keyword 'park'" in result.output


def test_the_theme_form_saves_exclusions_and_negation_and_tagging_follows(themes_app, client, auth):
    auth.login("admin")
    fields = form_fields(client, "/reports/themes/codebook/parks/edit", 'name="label_en"')
    response = client.post("/reports/themes/codebook/parks/edit", data={
        **fields, "parent": "", "label_en": "Parks", "keywords_en": "=park", "exclude_en": "car park\ncar park",
        "negated": "transport"})
    assert response.status_code == 302
    with themes_app.app_context():
        row = db.session.get(CodebookTheme, "parks")
        assert (row.exclude, row.negated) == ({"en": ["car park"]}, "transport")
    assert auto_tags(themes_app, item_of(themes_app, submit(client, "The car park is full."))) == {}
    moved = auto_tags(themes_app, item_of(themes_app, submit(client, "There is no park.")))
    assert moved == {"transport": ("exact", 12, 16, "park", 0.25)}
    html = client.get("/reports/themes/codebook").get_data(as_text=True)
    assert "Negated keywords count for transport." in html and "car park" in html


def test_the_theme_form_refuses_an_unknown_counterpart(themes_app, client, auth):
    auth.login("admin")
    fields = form_fields(client, "/reports/themes/codebook/parks/edit", 'name="label_en"')
    response = client.post("/reports/themes/codebook/parks/edit", data={
        **fields, "parent": "", "label_en": "Parks", "keywords_en": "park", "negated": "parks"})
    assert response.status_code == 422 and "Choose one of the choices offered." in response.get_data(as_text=True)


def test_sentiment_per_theme_comes_from_the_clause(themes_app, client):
    item = item_of(themes_app, submit(client, "The buses are great but the rent is terrible."))
    with themes_app.app_context():
        polarity = dict(db.session.execute(sa.select(ThemeTag.theme, ThemeTag.polarity).where(
            ThemeTag.answer_id == int(item[1:]), ThemeTag.coder == "auto")).all())
        whole = db.session.scalar(sa.select(TaggedText.polarity).where(TaggedText.answer_id == int(item[1:])))
    assert polarity == {"transport": 0.8, "rent": -1.0, "housing": -1.0}
    assert whole == pytest.approx(-0.1)
    report = api_report(client, make_token(themes_app, "equity_lead"))
    assert theme(report, "transport")["sentiment"]["mean_polarity"] == 0.8
    assert theme(report, "rent")["sentiment"]["mean_polarity"] == -1.0
    assert "always answering" in report["methods"]["sentiment_quality"]
