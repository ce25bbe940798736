"""The themes report through the real app: counts from the database, groups with small cells
suppressed, channels, withdrawal, escaping in every output, filters and exports."""
import csv
import datetime as dt
import io
import json

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from app.core.extensions import db
from app.models import AuditEvent, Contribution, FocusGroup, Participant, ParticipantAttribute, ThemeTag
from tests.app.themes.conftest import api_report, item_of, review, submit, tag_waiting, theme, withdraw
from tests.conftest import make_token

MARKUP = '=HYPERLINK("http://x") <script>alert("x")</script> the rent is too high'


def test_counts_shares_and_the_design_shape(themes_app, client):
    for text in ("The rent is too high.", "More buses and trains.", "The bus is late.", "Nothing to add."):
        submit(client, text)
    report = api_report(client, make_token(themes_app, "equity_lead"))
    assert report["n"] == 4
    assert [(t["key"], t["count"]) for t in report["themes"]] == [("housing", 1), ("rent", 1), ("transport", 2), ("parks", 0)]
    assert theme(report, "transport")["share"] == pytest.approx(0.5)
    assert theme(report, "rent")["parent"] == "housing"
    assert {"key", "count", "sentiment", "quotes"} <= set(report["themes"][0])
    assert isinstance(report["agreement"], list) and isinstance(report["emerging"], list)
    assert set(report["methods"]) >= {"count", "sentiment", "quotes", "groups", "channels", "agreement", "emerging"}


def test_quotes_are_the_texts_on_the_theme(themes_app, client):
    submit(client, "The bus is late.")
    submit(client, "The rent is too high.")
    quotes = theme(api_report(client, make_token(themes_app, "admin")), "transport")["quotes"]
    assert [q["text"] for q in quotes] == ["The bus is late."] and quotes[0]["lang"] == "en"


def test_sentiment_is_english_only(themes_app, client):
    submit(client, "The park is wonderful.")
    submit(client, "El parque.", lang="es")  # parks has no Spanish keyword: not even tagged
    submit(client, "Vivienda cara.", lang="es")
    report = api_report(client, make_token(themes_app, "admin"))
    assert theme(report, "parks")["sentiment"]["n"] == 1 and theme(report, "parks")["sentiment"]["mean_polarity"] > 0
    assert theme(report, "housing")["count"] == 1 and theme(report, "housing")["sentiment"] is None


def test_a_people_correction_changes_the_count(themes_app, client, auth):
    item = item_of(themes_app, submit(client, "The bus to the park."))
    auth.login("equity_lead")
    review(client, item, ["transport"])  # the tagger's "parks" is rejected
    report = api_report(client, make_token(themes_app, "admin"))
    assert theme(report, "parks")["count"] == 0 and theme(report, "transport")["count"] == 1


def test_a_withdrawn_response_disappears_everywhere(themes_app, client, auth):
    keep = submit(client, "The bus is late.")
    gone = submit(client, "Secret words about the bus, secret words.")
    submit(client, "Secret words again.")
    submit(client, "Secret words once more.")
    token = make_token(themes_app, "admin")
    assert theme(api_report(client, token), "transport")["count"] == 2
    withdraw(themes_app, gone)
    report = api_report(client, token)
    assert theme(report, "transport")["count"] == 1 and report["n"] == 3
    assert "Secret words about" not in json.dumps(report)
    auth.login("admin")
    assert "Secret words about" not in client.get("/reports/themes").get_data(as_text=True)
    assert "Secret words about" not in client.get("/reports/themes?format=csv").get_data(as_text=True)
    assert keep


def test_markup_is_escaped_in_the_page(themes_app, client, auth):
    submit(client, MARKUP)
    auth.login("equity_lead")
    html = client.get("/reports/themes").get_data(as_text=True)
    assert "<script>alert" not in html and "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html


def test_markup_and_formulas_are_inert_in_csv(themes_app, client, auth):
    submit(client, MARKUP)
    auth.login("equity_lead")
    rows = list(csv.reader(io.StringIO(client.get("/reports/themes?format=csv").get_data(as_text=True))))
    quotes = [r for r in rows if len(r) > 4 and r[0] == "rent" and "alert" in r[4]]
    assert quotes and quotes[0][4] == "'" + MARKUP


def test_markup_and_formulas_are_inert_in_xlsx(themes_app, client, auth):
    submit(client, MARKUP)
    auth.login("equity_lead")
    response = client.get("/reports/themes?format=xlsx")
    sheet = load_workbook(io.BytesIO(response.data))["Quotes"]
    cells = [row[4] for row in sheet.iter_rows(min_row=2) if row[0].value == "rent"]
    assert cells[0].value == "'" + MARKUP and cells[0].data_type == "s"
    with themes_app.app_context():
        assert db.session.scalar(sa.select(AuditEvent.details).where(AuditEvent.action == "export"))["format"] == "xlsx"


def test_markup_is_escaped_in_json(themes_app, client):
    submit(client, MARKUP)
    response = client.get("/api/v1/reports/themes", headers={"Authorization": f"Bearer {make_token(themes_app, 'admin')}"})
    assert b"<script>" not in response.data and b"\\u003cscript\\u003e" in response.data
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert theme(response.get_json(), "rent")["quotes"][0]["text"] == MARKUP


def test_groups_hide_small_cells(themes_app, client):
    for _ in range(6):
        submit(client, "The rent is too high.", age_band="65_plus")
    for _ in range(2):
        submit(client, "The rent is too high.", age_band="18_24")
    submit(client, "The rent, and the park.", age_band="25_44")
    report = api_report(client, make_token(themes_app, "equity_lead"), dimension="age_band")
    groups = report["groups"]
    head = {c["category"]: c for c in groups["categories"]}
    assert head["65_plus"]["n"] == 6 and not head["65_plus"]["suppressed"]
    assert head["18_24"]["suppressed"] and head["18_24"]["n"] is None
    assert head["25_44"]["suppressed"] and head["25_44"]["n"] is None
    rows = {r["key"]: {c["category"]: c for c in r["cells"]} for r in groups["themes"]}
    assert rows["rent"]["65_plus"]["count"] == 6 and rows["rent"]["65_plus"]["share"] == pytest.approx(1.0)
    assert rows["rent"]["18_24"]["suppressed"] and rows["rent"]["18_24"]["count"] is None
    assert rows["rent"]["18_24"]["share"] is None
    # parks: one person; with the theme's total published, a second cell (a zero) is hidden too.
    assert [c["suppressed"] for c in rows["parks"].values()].count(True) == 2


def test_an_admin_may_lift_suppression_and_it_is_audited(themes_app, client):
    for _ in range(2):
        submit(client, "The rent is too high.", age_band="18_24")
    report = api_report(client, make_token(themes_app, "admin"), dimension="age_band", unsuppressed="1")
    head = {c["category"]: c for c in report["groups"]["categories"]}
    assert head["18_24"]["n"] == 2 and report["k"] == 1
    with themes_app.app_context():
        assert db.session.scalar(sa.select(AuditEvent.target).where(AuditEvent.action == "lift_suppression")) == "report:api.themes.themes"


def test_channels_and_the_channel_filter(themes_app, client):
    for _ in range(5):
        submit(client, "The bus is late.", channel="paper")
    for _ in range(6):
        submit(client, "The bus is late.", channel="import")
    submit(client, "The rent is too high.")
    token = make_token(themes_app, "equity_lead")
    channels = {c["category"]: c["n"] for c in api_report(client, token)["channels"]["categories"]}
    # One API text is hidden; suppression is per cell, so no other channel is hidden with it.
    assert channels == {"api": None, "import": 6, "paper": 5}
    only_paper = api_report(client, token, channel="paper")
    assert only_paper["n"] == 5 and theme(only_paper, "rent")["count"] == 0


def test_the_respondent_lang_filter_is_the_language_of_the_text(themes_app, client):
    submit(client, "The rent is too high.")
    submit(client, "El alquiler es caro.", lang="es")
    report = api_report(client, make_token(themes_app, "equity_lead"), respondent_lang="es")
    assert report["n"] == 1 and theme(report, "rent")["quotes"][0]["text"] == "El alquiler es caro."


@pytest.mark.parametrize("params, field", [({"dimension": "shoe_size"}, "dimension"), ({"from": "soon"}, "from"),
                                           ({"channel": "telegraph"}, "channel")])
def test_bad_filters_are_400(themes_app, client, params, field):
    response = client.get("/api/v1/reports/themes", query_string=params,
                          headers={"Authorization": f"Bearer {make_token(themes_app, 'equity_lead')}"})
    assert response.status_code == 400 and field in response.get_json()["errors"]


def focus_group(app, *, withdrawn: bool):
    """A session with one participant (withdrawn or not) who said something about buses, tagged by
    the facilitator, and one note not linked to anyone."""
    with app.app_context():
        group = FocusGroup(title="Seniors' lunch", date=dt.date(2026, 10, 1), lang="en")
        db.session.add(group)
        db.session.flush()
        person = Participant(focus_group_id=group.id, code="P1", consent_given=True, consent_version=1,
                             withdrawn_at=dt.datetime(2026, 10, 2) if withdrawn else None)
        db.session.add(person)
        db.session.flush()
        db.session.add(ParticipantAttribute(participant_id=person.id, dimension="age_band", category="65_plus"))
        said = Contribution(client_id="c1", focus_group_id=group.id, participant_id=person.id, kind="quote",
                            text="The bus never comes on Sundays.", lang="en")
        note = Contribution(client_id="c2", focus_group_id=group.id, participant_id=None, kind="note",
                            text="Group agreed parks need toilets.", lang="en")
        db.session.add_all([said, note])
        db.session.flush()
        db.session.add(ThemeTag(contribution_id=said.id, theme="transport", coder="user:999", status="accepted"))
        db.session.commit()
    tag_waiting(app)


def test_focus_group_contributions_count_under_their_channel(themes_app, client):
    focus_group(themes_app, withdrawn=False)
    report = api_report(client, make_token(themes_app, "admin"), unsuppressed="1")
    assert theme(report, "transport")["count"] == 1 and theme(report, "parks")["count"] == 1
    assert {c["category"]: c["n"] for c in report["channels"]["categories"]} == {"focus_group": 2}
    # The facilitator's tag is a person's coding: compared with the tagger's.
    assert next(a for a in report["agreement"] if a["theme"] == "transport")["n"] == 1


def test_a_withdrawn_participant_disappears(themes_app, client):
    focus_group(themes_app, withdrawn=True)
    report = api_report(client, make_token(themes_app, "admin"))
    assert theme(report, "transport")["count"] == 0 and report["n"] == 1
    assert "Sundays" not in json.dumps(report)


def test_emerging_phrases_with_counts_and_examples(themes_app, client):
    for text in ("The food pantry closed.", "Food pantry hours are short.", "We need a food pantry near us."):
        submit(client, text)
    emerging = api_report(client, make_token(themes_app, "admin"))["emerging"]
    pantry = next(e for e in emerging if e["phrase"] == "food pantry")
    assert pantry["count"] == 3 and len(pantry["examples"]) == 3


def test_the_page_gives_n_and_method_under_every_figure(themes_app, client, auth):
    submit(client, "The rent is too high.", age_band="65_plus")
    auth.login("equity_lead")
    html = client.get("/reports/themes").get_data(as_text=True)
    for sentence in ("1 text counted", "Out of 1 text counted.", "clauses around the theme", "always answering", "Cohen&#39;s kappa per theme",
                     "People, not texts", "newest 1 texts", "Nobody has reviewed a text yet."):
        assert sentence in html, sentence
    assert 'href="/api/v1/reports/themes?dimension=age_band"' in html


def test_without_a_codebook_the_page_says_so(app, client, auth):
    auth.login("equity_lead")
    html = client.get("/reports/themes").get_data(as_text=True)
    assert "There is no codebook of themes yet" in html and "Ask an admin" in html


def test_a_sub_theme_tag_counts_for_its_parent_once(themes_app, client, auth):
    """A person's tag on a sub-theme counts for the parent (the tagger already did so for its own
    keyword matches); a text tagged with the parent and the sub-theme counts once for the parent."""
    auth.login("equity_lead")
    only_rent = item_of(themes_app, submit(client, "Nothing to add."))
    both = item_of(themes_app, submit(client, "Nothing more."))
    assert review(client, only_rent, ["rent"]).status_code == 303
    assert review(client, both, ["rent", "housing"]).status_code == 303
    report = api_report(client, make_token(themes_app, "equity_lead"))
    assert (theme(report, "rent")["count"], theme(report, "housing")["count"]) == (2, 2)


def test_the_channel_table_is_labelled_and_suppressed_per_cell(themes_app, client, auth):
    for _ in range(6):
        submit(client, "The bus is late.")
    submit(client, "The bus is late.", channel="paper")
    report = api_report(client, make_token(themes_app, "equity_lead"))
    head = {c["category"]: (c["label"], c["n"]) for c in report["channels"]["categories"]}
    assert head == {"api": ("API", 6), "paper": ("Paper", None)}
    auth.login("equity_lead")
    html = client.get("/reports/themes").get_data(as_text=True)
    assert '<th scope="col" class="num">Paper</th>' in html and '<th scope="col" class="num">paper</th>' not in html
