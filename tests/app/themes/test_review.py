"""The review queue: the tagger's themes proposed, people's decisions stored as their own tags,
and agreement computed from them exactly as analysis.themes computes it from the same labels."""
import re

import pytest
import sqlalchemy as sa

from analysis.themes import cohens_kappa, percent_agreement
from app.core.extensions import db
from app.models import ThemeTag, User
from tests.app.themes.conftest import api_report, item_of, review, submit, withdraw
from tests.conftest import make_token

KEYS = ["housing", "rent", "transport", "parks"]


def human_tags(app, item):
    with app.app_context():
        return set(db.session.execute(sa.select(ThemeTag.theme, ThemeTag.status, ThemeTag.coder).where(
            ThemeTag.answer_id == int(item[1:]), ThemeTag.coder != "auto")))


def coder(app, email):
    with app.app_context():
        return f"user:{db.session.scalar(sa.select(User.id).where(User.email == email))}"


def checked(html):
    return set(re.findall(r'name="theme" value="(\w+)" checked', html))


def test_the_queue_proposes_the_taggers_themes(themes_app, client, auth):
    item = item_of(themes_app, submit(client, "El alquiler es muy caro.", lang="es"))
    auth.login("equity_lead")
    html = client.get("/reports/themes/review").get_data(as_text=True)
    assert f'name="item" value="{item}"' in html
    assert checked(html) == {"housing", "rent"}  # the sub-theme and, through it, its parent
    assert '<blockquote class="cg-review-text" lang="es"' in html
    assert 'accesskey="s"' in html and 'accesskey="n"' in html and "Alt+Shift+S" in html


def test_saving_stores_accepted_and_rejected_tags_and_moves_on(themes_app, client, auth):
    first = item_of(themes_app, submit(client, "The rent is too high, and the bus is late."))
    second = item_of(themes_app, submit(client, "Nice park."))
    auth.login("equity_lead")
    response = review(client, first, ["housing", "parks"])
    assert response.status_code == 303 and f"after={first}" in response.headers["Location"]
    me = coder(themes_app, "equity_lead@example.org")
    # housing and parks accepted; the tagger's rent and transport rejected
    assert human_tags(themes_app, first) == {("housing", "accepted", me), ("parks", "accepted", me),
                                             ("rent", "rejected", me), ("transport", "rejected", me)}
    following = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f'name="item" value="{second}"' in following and "Saved." in following


def test_a_sub_theme_ticked_counts_for_its_parent(themes_app, client, auth):
    item = item_of(themes_app, submit(client, "Nothing here."))
    auth.login("admin")
    review(client, item, ["rent"])
    assert {t for t, status, _c in human_tags(themes_app, item) if status == "accepted"} == {"rent", "housing"}


def test_reviewing_again_replaces_the_earlier_decision(themes_app, client, auth):
    item = item_of(themes_app, submit(client, "More buses."))
    auth.login("admin")
    review(client, item, [])
    html = client.get("/reports/themes/review", query_string={"item": item}).get_data(as_text=True)
    assert checked(html) == set() and "You reviewed this text before" in html
    review(client, item, ["transport"])
    assert {(t, s) for t, s, _c in human_tags(themes_app, item)} == {("transport", "accepted")}


def test_skipping_stores_nothing(themes_app, client, auth):
    item = item_of(themes_app, submit(client, "More buses."))
    later = item_of(themes_app, submit(client, "A park."))
    auth.login("admin")
    response = review(client, item, ["parks"], action="skip")
    assert human_tags(themes_app, item) == set()
    assert f'value="{later}"' in client.get(response.headers["Location"]).get_data(as_text=True)


def test_a_theme_not_in_the_codebook_is_refused(themes_app, client, auth):
    item = item_of(themes_app, submit(client, "More buses."))
    auth.login("admin")
    response = review(client, item, ["transport", "time_travel"])
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "time_travel" in html and 'id="themes-error"' in html
    assert human_tags(themes_app, item) == set()


def test_a_withdrawn_text_leaves_the_queue(themes_app, client, auth):
    response_id = submit(client, "More buses.")
    item = item_of(themes_app, response_id)
    auth.login("admin")
    page = client.get("/reports/themes/review", query_string={"item": item}).get_data(as_text=True)
    withdraw(themes_app, response_id)
    from tests.forms import hidden_fields
    fields = hidden_fields(page, page.count("<form", 0, page.index('name="item"')) - 1)
    response = client.post("/reports/themes/review", data={**fields, "theme": ["transport"], "action": "save"})
    assert response.status_code == 303 and human_tags(themes_app, item) == set()
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "not available any more" in html and "More buses." not in html and "Nothing left to review" in html


def test_markup_in_a_text_is_escaped_in_the_queue(themes_app, client, auth):
    item = item_of(themes_app, submit(client, '<script>alert("x")</script> the <b>bus</b>'))
    auth.login("equity_lead")
    html = client.get("/reports/themes/review", query_string={"item": item}).get_data(as_text=True)
    assert '<script>alert("x")' not in html and "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    assert "<b>bus</b>" not in html


TEXTS = {"rent": "The rent is too high.", "buses": "More buses please.", "park": "The park is lovely.",
         "landlord": "Our landlord is fine.", "nothing": "The library closes early."}
#: What each of two people ticks (their "yes" themes; parents follow from sub-themes).
FIRST = {"rent": ["housing"], "buses": ["transport", "parks"], "park": [], "landlord": ["housing", "rent"],
         "nothing": ["parks"]}
SECOND = {"rent": ["rent"], "buses": ["transport"], "park": ["parks"], "landlord": ["housing"]}


@pytest.fixture
def reviewed(themes_app, client, auth):
    """Five texts reviewed by one person (equity lead), four of them also by another (admin)."""
    items = {name: item_of(themes_app, submit(client, text)) for name, text in TEXTS.items()}
    for role, choices in (("equity_lead", FIRST), ("admin", SECOND)):
        auth.login(role)
        for name, themes in choices.items():
            assert review(client, items[name], themes).status_code == 303
        auth.logout()
    return items


def labels(choices, names, key, parents=True):
    from analysis.themes import Codebook
    from tests.app.themes.conftest import CODEBOOK
    codebook = Codebook.from_dict(CODEBOOK)
    return [key in (codebook.with_parents(choices[n]) if parents else set(choices[n])) for n in names]


def test_tagger_agreement_is_cohens_kappa_of_the_stored_labels(themes_app, client, reviewed):
    report = api_report(client, make_token(themes_app, "equity_lead"))
    tagger = {"rent": ["rent", "housing"], "buses": ["transport"], "park": ["parks"], "landlord": ["housing"],
              "nothing": []}
    # One unit per (text, person): the first person's five texts, then the second person's four.
    units = [(n, FIRST) for n in FIRST] + [(n, SECOND) for n in SECOND]
    for key in KEYS:
        row = next(a for a in report["agreement"] if a["theme"] == key)
        machine = [key in tagger[n] for n, _who in units]
        people = [labels(who, [n], key)[0] for n, who in units]
        assert row["n"] == 9
        assert row["kappa"] == pytest.approx(cohens_kappa(machine, people)) if cohens_kappa(machine, people) is not None \
            else row["kappa"] is None
        assert row["percent_agreement"] == pytest.approx(percent_agreement(machine, people))


def test_agreement_between_two_people(themes_app, client, reviewed):
    report = api_report(client, make_token(themes_app, "admin"))
    names = list(SECOND)  # the texts both people coded, the first person first
    assert report["agreement_units"]["people"] == 4
    for key in KEYS:
        row = next(a for a in report["agreement_people"] if a["theme"] == key)
        expected = cohens_kappa(labels(FIRST, names, key), labels(SECOND, names, key))
        assert row["n"] == 4
        assert (row["kappa"] is None) if expected is None else row["kappa"] == pytest.approx(expected)


def test_alpha_over_all_coders_matches_an_independent_implementation(themes_app, client, reviewed):
    krippendorff = pytest.importorskip("krippendorff")
    import numpy as np
    report = api_report(client, make_token(themes_app, "admin"))
    tagger = {"rent": ["rent", "housing"], "buses": ["transport"], "park": ["parks"], "landlord": ["housing"],
              "nothing": []}
    names = list(TEXTS)
    key = "parks"
    data = [[float(key in tagger[n]) for n in names],
            [float(labels(FIRST, [n], key)[0]) for n in names],
            [float(labels(SECOND, [n], key)[0]) if n in SECOND else np.nan for n in names]]
    row = next(a for a in report["agreement"] if a["theme"] == key)
    assert row["alpha"] == pytest.approx(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))
    assert row["alpha_n"] == 5
