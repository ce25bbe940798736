"""Learning from review through the real app: reviews train a tagger in the background, its
suggestions come with a probability, the queue can be ordered by uncertainty, people's decisions
are never overwritten, and the themes page shows the figures."""
import re

import pytest
import sqlalchemy as sa

from app.core.extensions import db
from app.models import LearnedModel, TaggedText, ThemeTag
from tests.app.themes.conftest import api_report, item_of, review, submit
from tests.conftest import make_token
from tests.forms import hidden_fields

#: Reviewers tag "shuttle" and "tram" texts as transport, which no keyword of the test codebook
#: finds, and give the others no theme (none of them holds a keyword either).
POSITIVE = [f"the {word} {tail}" for word in ("shuttle", "tram") for tail in
            ("was late again", "never comes", "is too full", "stopped running", "costs too much")]
NEGATIVE = [f"the {tail}" for tail in ("library is open", "school is fine", "shop closed", "market is busy",
                                      "garden is pretty", "pool is cold", "streets are clean", "cafe is nice",
                                      "choir sings", "bakery smells good")]
#: Not reviewed: what the learned tagger suggests for.
UNREVIEWED = ["the tram is too full today", "the shuttle never comes on sundays", "the choir is lovely"]


@pytest.fixture
def learning_app(themes_app):
    themes_app.config["THEMES_LEARN_EVERY"] = 10
    return themes_app


def models(app):
    with app.app_context():
        return [(m.lang, m.examples, m.decisions, m.learned_themes)
                for m in db.session.scalars(sa.select(LearnedModel).order_by(LearnedModel.id))]


def learned_tags(app, item):
    with app.app_context():
        return {theme: (status, score) for theme, status, score in db.session.execute(
            sa.select(ThemeTag.theme, ThemeTag.status, ThemeTag.score)
            .where(ThemeTag.answer_id == int(item[1:]), ThemeTag.coder == "learned"))}


@pytest.fixture
def reviewed(learning_app, client, auth):
    auth.login("equity_lead")
    items = {}
    # Interleaved, so the first ten reviews hold five of each kind.
    for text in [t for pair in zip(POSITIVE, NEGATIVE) for t in pair] + UNREVIEWED:
        items[text] = item_of(learning_app, submit(client, text))
    return items


def test_reviews_train_a_tagger_in_the_background_every_ten_decisions(learning_app, client, reviewed):
    texts = [t for pair in zip(POSITIVE, NEGATIVE) for t in pair]
    for number, text in enumerate(texts, start=1):
        assert review(client, reviewed[text], ["transport"] if text in POSITIVE else []).status_code == 303
        trained = models(learning_app)
        if number < 10:
            assert trained == []
        elif number < 20:
            assert [(m[0], m[1], m[2]) for m in trained] == [("en", 10, 10)]
    [(lang, examples, decisions, learned)] = models(learning_app)
    assert (lang, examples, decisions) == ("en", 20, 20)
    assert learned == ["transport"]
    # The unreviewed tram and shuttle texts get a learned transport suggestion; the choir does not.
    status, probability = learned_tags(learning_app, reviewed["the tram is too full today"])["transport"]
    assert status == "accepted" and 0.5 < probability <= 1
    assert learned_tags(learning_app, reviewed["the choir is lovely"]) == {}
    # The suggestion shows in the queue with its probability, ticked for the reviewer to confirm.
    page = client.get("/reports/themes/review", query_string={"item": reviewed["the tram is too full today"]})
    html = page.get_data(as_text=True)
    assert f"learned, {round(probability * 100)}% likely" in html
    assert re.search(r'<input type="checkbox" name="theme" value="transport" checked>', html)


def test_a_person_s_decision_wins_and_the_report_counts_people_not_suggestions(learning_app, client, reviewed, auth):
    for text in POSITIVE + NEGATIVE:
        review(client, reviewed[text], ["transport"] if text in POSITIVE else [])
    # A reviewer said "no theme" about a shuttle text: the learned tagger's later suggestion
    # does not tick it again for them.
    item = reviewed["the shuttle was late again"]
    review(client, item, [])
    html = client.get("/reports/themes/review", query_string={"item": item}).get_data(as_text=True)
    assert '<input type="checkbox" name="theme" value="transport" checked>' not in html
    token = make_token(learning_app, "equity_lead")
    report = api_report(client, token)
    transport = next(t for t in report["themes"] if t["key"] == "transport")
    assert transport["count"] == 9  # people's nine, not the two learned suggestions
    assert report["coders"] == 1  # the learned tagger is not a person


def test_the_queue_orders_by_uncertainty(learning_app, client, reviewed):
    for text in POSITIVE + NEGATIVE:
        review(client, reviewed[text], ["transport"] if text in POSITIVE else [])
    with learning_app.app_context():
        uncertainty = {f"a{a}": u for a, u in db.session.execute(
            sa.select(TaggedText.answer_id, TaggedText.uncertainty).where(TaggedText.answer_id.is_not(None)))}
    waiting = sorted((reviewed[t] for t in UNREVIEWED), key=lambda key: (-uncertainty[key], int(key[1:])))
    assert all(uncertainty[key] is not None for key in waiting)
    first = client.get("/reports/themes/review", query_string={"order": "uncertain"}).get_data(as_text=True)
    assert f'name="item" value="{waiting[0]}"' in first and 'name="order" value="uncertain"' in first
    # Skipping moves to the next most uncertain, and keeps the order.
    skipped = client.get("/reports/themes/review", query_string={"order": "uncertain", "after": waiting[0]})
    assert f'name="item" value="{waiting[1]}"' in skipped.get_data(as_text=True)
    # Saving keeps the order too: the form carries it.
    fields = hidden_fields(first, first.count("<form", 0, first.index('name="item"')) - 1)
    saved = client.post("/reports/themes/review", data={**fields, "action": "save"})
    assert saved.status_code == 303
    assert saved.headers["Location"] == f"/reports/themes/review?after={waiting[0]}&order=uncertain"
    following = client.get(saved.headers["Location"]).get_data(as_text=True)
    assert f'name="item" value="{waiting[1]}"' in following


def test_the_themes_page_shows_the_tagger_against_people(learning_app, client, reviewed, auth):
    for text in POSITIVE + NEGATIVE:
        review(client, reviewed[text], ["transport"] if text in POSITIVE else [])
    token = make_token(learning_app, "equity_lead")
    evaluation = api_report(client, token)["evaluation"]
    # 20 reviewed texts; the codebook finds no theme in any, people gave 10 transport:
    # transport tp 0, fp 0, fn 10 -> precision undefined, recall 0, F1 0; kappa: agree 10 of 20,
    # chance S = 10*0 + 10*20 = 200 -> (20*10 - 200) / (400 - 200) = 0.
    assert evaluation["n"] == 20
    assert evaluation["tagger"]["micro"] == {"precision": None, "recall": 0.0, "f1": 0.0}
    row = next(r for r in evaluation["tagger"]["themes"] if r["theme"] == "transport")
    assert (row["support"], row["tp"], row["fn"], row["kappa"]) == (10, 0, 10, 0.0)
    [learned] = evaluation["learned"]
    assert (learned["lang"], learned["examples"], learned["folds"]) == ("en", 20, 5)
    assert learned["codebook"]["micro"]["f1"] == 0.0
    assert learned["learned"]["micro"]["f1"] > 0.5
    html = client.get("/reports/themes").get_data(as_text=True)
    assert "How well the tagger matches people" in html
    assert "5-fold cross-validation on 20 reviewed texts" in html


def test_the_refi_qda_project_marks_learned_codings(learning_app, client, reviewed):
    import io
    import xml.etree.ElementTree as ET
    import zipfile
    for text in POSITIVE + NEGATIVE:
        review(client, reviewed[text], ["transport"] if text in POSITIVE else [])
    response = client.get("/reports/themes/codings.qdpx")
    assert response.status_code == 200 and response.headers["Content-Type"] == "application/zip"
    ns = {"q": "urn:QDA-XML:project:1.0"}
    root = ET.fromstring(zipfile.ZipFile(io.BytesIO(response.data)).read("project.qde"))
    users = {u.get("guid"): u.get("name") for u in root.iterfind("q:Users/q:User", ns)}
    assert sorted(users.values()) == ["Common Ground tagger (codebook)", "Common Ground tagger learned from review",
                                      "Reviewer 1"]
    codes = {c.get("guid"): c.get("name") for c in root.iter(f"{{{ns['q']}}}Code")}
    tram = next(s for s in root.iterfind("q:Sources/q:TextSource", ns) if s.get("name") == reviewed[UNREVIEWED[0]])
    assert tram.findtext("q:PlainTextContent", namespaces=ns) == "the tram is too full today"
    [selection] = tram.findall("q:PlainTextSelection", ns)
    probability = learned_tags(learning_app, reviewed[UNREVIEWED[0]])["transport"][1]
    assert users[selection.get("creatingUser")] == "Common Ground tagger learned from review"
    assert selection.findtext("q:Description", namespaces=ns) == (
        f"Learned from review, not decided by a person: probability {probability:.2f}")
    assert (selection.get("startPosition"), selection.get("endPosition")) == ("0", str(len(UNREVIEWED[0])))
    assert codes[selection.find("q:Coding/q:CodeRef", ns).get("targetGUID")] == "Transport"
    # A reviewed text holds the reviewer's coding, with no description; a learned one beside it is marked.
    shuttle = next(s for s in root.iterfind("q:Sources/q:TextSource", ns) if s.get("name") == reviewed[POSITIVE[0]])
    by = {users[s.get("creatingUser")]: s for s in shuttle.findall("q:PlainTextSelection", ns)}
    assert by["Reviewer 1"].find("q:Description", ns) is None
    assert set(by) <= {"Reviewer 1", "Common Ground tagger learned from review"}
    if "Common Ground tagger learned from review" in by:
        assert by["Common Ground tagger learned from review"].findtext("q:Description", namespaces=ns).startswith(
            "Learned from review, not decided by a person")
