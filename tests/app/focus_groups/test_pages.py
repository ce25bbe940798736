"""A whole focus group through the facilitator's pages with JavaScript off: plain form posts
answered by redirects, CSRF on, the real database."""
import re

import pytest
import sqlalchemy as sa

from app.core.extensions import db
from app.models import (
    Contribution, FocusGroup, Mention, Participant, ParticipantAttribute, Relationship, SurveyVersion, ThemeTag, Vote,
)
from tests.app.focus_groups.helpers import create_session_page, form_fields, post_form


@pytest.fixture
def facilitator(client, auth, surveys):
    auth.login("facilitator")
    return client


def rows(app, model, *where):
    with app.app_context():
        return db.session.scalars(sa.select(model).where(*where)).all()


def register(client, group_id, code, **answers):
    data = {"p-code": code, "p-consent": "y", **{f"p-d_{k}": v for k, v in answers.items()}}
    return post_form(client, f"/facilitate/{group_id}", f"/facilitate/{group_id}/participants", data)


def contribute(client, group_id, text, **extra):
    data = {"c-text": text, "c-kind": "quote", **extra}
    return post_form(client, f"/facilitate/{group_id}", f"/facilitate/{group_id}/contributions", data)


def test_create_session_stores_what_was_entered(facilitator, app):
    group_id = create_session_page(facilitator)
    with app.app_context():
        group = db.session.get(FocusGroup, group_id)
        version = db.session.get(SurveyVersion, group.survey_version_id)
        assert (group.title, group.lang, group.host_id) == ("Eastfield evening", "es", "rfb")
        assert (group.place, str(group.date)) == ("Eastfield Library", "2026-03-14")
        assert version.survey_def.slug == "community-needs"


def test_create_form_preselects_the_community_survey(facilitator):
    html = facilitator.get("/facilitate/").get_data(as_text=True)
    assert re.search(r'<option selected value="community-needs">', html)
    assert re.search(r'<option selected value="en">English</option>', html)


@pytest.mark.parametrize("field, value, message", [
    ("title", "", "Give the session a title."),
    ("date", "14/03/2026", "Enter the date as YYYY-MM-DD"),
    ("lang", "xx", "Choose one of the languages"),
    ("host", "nobody", "There is no organisation with that id"),
    ("survey", "nope", "There is no loaded survey called nope"),
])
def test_create_session_errors_name_the_field(facilitator, app, field, value, message):
    data = {"title": "T", "date": "2026-03-14", "lang": "en", "host": "", "survey": "community-needs", field: value}
    response = post_form(facilitator, "/facilitate/", "/facilitate/", data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and message in html
    assert f'id="{field}-error"' in html and f'aria-describedby="{field}-error"' in html
    assert rows(app, FocusGroup) == []


def test_session_page_reads_the_consent_in_the_session_language(facilitator):
    group_id = create_session_page(facilitator, lang="es")
    html = facilitator.get(f"/facilitate/{group_id}").get_data(as_text=True)
    assert "Sus respuestas son anónimas" in html  # read to the participants
    assert "How old are you?" in html and "Affordable housing" in html  # the facilitator's labels
    assert 'value="P1"' in html  # the suggested code


@pytest.fixture
def walked(facilitator):
    """A whole session through the pages, JavaScript off: three participants registered with
    demographics and consent, two contributions (one tagged afterwards), an organisation named,
    a tie mentioned, a dot vote and two rankings. Returns the session id."""
    group_id = create_session_page(facilitator)
    page = f"/facilitate/{group_id}"
    for code, age, gender in (("P1", "25_44", "woman"), ("P2", "65_plus", "man"), ("P3", "18_24", "woman")):
        assert f'value="{code}"' in facilitator.get(page).get_data(as_text=True)  # the suggested code
        response = register(facilitator, group_id, code, age_band=age, gender=gender, neighbourhood="eastfield")
        assert response.status_code == 302 and response.headers["Location"].endswith(f"{page}?focus=register#participants")
    buses = {"c-participant": "P1", "c-themes": ["buses", "transport"]}
    assert contribute(facilitator, group_id, "The buses stop at nine.", **buses).status_code == 302
    contribute(facilitator, group_id, "Rent went up again.", **{"c-participant": "P2", "c-kind": "note"})
    rent = contribution_id(facilitator.application, "Rent went up again.")
    for action, data in (
        (f"contributions/{rent}/themes", {f"t{rent}-theme": "rent_affordability"}),
        ("mentions", {"m-stakeholder": "tenants", "m-contribution": str(rent)}),
        ("relationships", {"r-source": "tenants", "r-target": "legal_aid", "r-type": "referral"}),
        ("votes", {"v-dots_housing": "7", "v-dots_transport": "4"}),
        ("rankings", {"k-participant": "P1", "k-rank_1": "transport", "k-rank_2": "housing"}),
        ("rankings", {"k-participant": "P3", "k-rank_1": "youth"}),
    ):
        response = post_form(facilitator, page, f"{page}/{action}", data)
        assert response.status_code == 302, response.get_data(as_text=True)
    return group_id


def contribution_id(app, text: str) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(Contribution.id).where(Contribution.text == text))


def participant_ids(app, group_id) -> dict[str, int]:
    with app.app_context():
        return dict(db.session.execute(sa.select(Participant.code, Participant.id)
                                       .where(Participant.focus_group_id == group_id)).all())


def test_walk_registers_participants_with_demographics_and_consent(walked, app):
    ids = participant_ids(app, walked)
    assert sorted(ids) == ["P1", "P2", "P3"]
    assert all(p.consent_given and p.consent_version == 1 for p in rows(app, Participant))
    attrs = {(a.participant_id, a.dimension): a.category for a in rows(app, ParticipantAttribute)}
    assert attrs[(ids["P2"], "age_band")] == "65_plus" and attrs[(ids["P3"], "gender")] == "woman"
    assert attrs[(ids["P1"], "neighbourhood")] == "eastfield"


def test_walk_stores_contributions_in_the_session_language(walked, app):
    said = {c.text: c for c in rows(app, Contribution)}
    buses, rent = said["The buses stop at nine."], said["Rent went up again."]
    assert buses.participant_id == participant_ids(app, walked)["P1"]
    assert (buses.kind, rent.kind, buses.lang) == ("quote", "note", "es")


def test_walk_tags_contributions_as_it_goes(walked, app):
    buses = contribution_id(app, "The buses stop at nine.")
    rent = contribution_id(app, "Rent went up again.")
    tags = {(t.contribution_id, t.theme) for t in rows(app, ThemeTag)}
    assert tags == {(buses, "buses"), (buses, "transport"), (rent, "rent_affordability")}


def test_walk_records_the_organisation_and_the_tie(walked, app):
    [mention] = rows(app, Mention)
    assert (mention.stakeholder_id, mention.contribution_id) == ("tenants", contribution_id(app, "Rent went up again."))
    [tie] = rows(app, Relationship)
    assert (tie.source_id, tie.target_id, tie.type, tie.provenance, tie.focus_group_id) == (
        "tenants", "legal_aid", "referral", "focus_group", walked)


def test_walk_records_the_dot_vote_and_rankings(walked, app):
    ids = participant_ids(app, walked)
    votes = rows(app, Vote)
    dots = {v.priority: v.votes for v in votes if v.participant_id is None}
    assert dots == {"housing": 7, "transport": 4, "safety": 0, "jobs": 0, "health": 0, "youth": 0}
    ranks = {(v.participant_id, v.priority): v.rank for v in votes if v.participant_id}
    assert ranks == {(ids["P1"], "transport"): 1, (ids["P1"], "housing"): 2, (ids["P3"], "youth"): 1}


def test_walk_shows_what_was_recorded_in_each_part_newest_first(walked, facilitator):
    html = facilitator.get(f"/facilitate/{walked}").get_data(as_text=True)
    themes = html[html.index('id="themes"'):html.index('id="organisations"')]
    assert themes.index("Rent went up again.") < themes.index("The buses stop at nine.")
    assert "Rent and housing costs" in themes
    organisations = html[html.index('id="organisations"'):html.index('id="priorities"')]
    assert organisations.index("Riverton Legal Aid: Referral.") < organisations.index("Eastfield Tenants&#39; Union was named")
    priorities = html[html.index('id="priorities"'):html.index('id="close"')]
    assert priorities.index("Ranking by P3") < priorities.index("Ranking by P1")


def test_text_box_is_focused_again_after_a_contribution(facilitator):
    group_id = create_session_page(facilitator)
    response = contribute(facilitator, group_id, "First")
    assert response.status_code == 302 and "focus=text" in response.headers["Location"]
    assert 'autofocus' in facilitator.get(response.headers["Location"]).get_data(as_text=True)
    assert 'autofocus' not in facilitator.get(f"/facilitate/{group_id}").get_data(as_text=True)


def test_replayed_contribution_is_stored_once(facilitator, app):
    group_id = create_session_page(facilitator)
    html = facilitator.get(f"/facilitate/{group_id}").get_data(as_text=True)
    data = {**form_fields(html, f"/facilitate/{group_id}/contributions"), "c-text": "Same words", "c-kind": "note"}
    first = facilitator.post(f"/facilitate/{group_id}/contributions", data=data)
    again = facilitator.post(f"/facilitate/{group_id}/contributions", data=data)  # the browser re-sent it
    assert (first.status_code, again.status_code) == (302, 302)
    assert len(rows(app, Contribution)) == 1


def test_each_drawn_form_has_a_new_client_id(facilitator):
    group_id = create_session_page(facilitator)
    action = f"/facilitate/{group_id}/contributions"
    ids = {form_fields(facilitator.get(f"/facilitate/{group_id}").get_data(as_text=True), action)["c-client_id"]
           for _ in range(3)}
    assert len(ids) == 3


def test_contribution_error_keeps_the_text(facilitator, app):
    group_id = create_session_page(facilitator)
    response = contribute(facilitator, group_id, "Words worth keeping", **{"c-participant": "P9"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "There is no participant P9 in this session." in html
    assert "Words worth keeping</textarea>" in html and 'aria-describedby="c-participant-error"' in html
    assert rows(app, Contribution) == []


@pytest.mark.parametrize("data, field, message", [
    ({"p-code": "P1", "p-d_age_band": "25_44"}, "p-consent", "agreed to take part"),
    ({"p-code": "", "p-consent": "y"}, "p-code", "short code of letters and digits"),
    ({"p-code": "P 1", "p-consent": "y"}, "p-code", "short code of letters and digits"),
    ({"p-code": "P1", "p-consent": "y", "p-d_age_band": "ancient"}, "p-d_age_band", "Choose one of the answers"),
])
def test_registration_errors(facilitator, app, data, field, message):
    group_id = create_session_page(facilitator)
    response = post_form(facilitator, f"/facilitate/{group_id}", f"/facilitate/{group_id}/participants", data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and message in html and f'id="{field}-error"' in html
    assert f'<a href="#{field}">' in html  # the summary at the top leads to the field
    assert rows(app, Participant) == []


def test_code_used_twice_is_refused(facilitator, app):
    group_id = create_session_page(facilitator)
    register(facilitator, group_id, "P1")
    response = register(facilitator, group_id, "p1")
    assert response.status_code == 422
    assert "The code P1 is already used in this session." in response.get_data(as_text=True)
    assert len(rows(app, Participant)) == 1


@pytest.mark.parametrize("action, data, message", [
    ("votes", {"v-dots_housing": "many"}, "whole number from 0"),
    ("rankings", {"k-participant": "P1", "k-rank_1": "housing", "k-rank_2": "housing"}, "only be given one place"),
    ("rankings", {"k-participant": "", "k-rank_1": "housing"}, "Choose the participant."),
    ("relationships", {"r-source": "rfb", "r-target": "rfb", "r-type": "referral"}, "two different organisations"),
    ("mentions", {"m-stakeholder": ""}, "Choose an organisation."),
])
def test_recording_errors(facilitator, app, action, data, message):
    group_id = create_session_page(facilitator)
    register(facilitator, group_id, "P1")
    response = post_form(facilitator, f"/facilitate/{group_id}", f"/facilitate/{group_id}/{action}", data)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert rows(app, Vote) == [] and rows(app, Relationship) == [] and rows(app, Mention) == []


def test_withdraw_button_confirms_then_withdraws(facilitator, app):
    group_id = create_session_page(facilitator)
    register(facilitator, group_id, "P1", age_band="25_44")
    confirm = facilitator.get(f"/facilitate/{group_id}/participants/P1/withdraw").get_data(as_text=True)
    assert "left out of every report and export" in confirm
    response = facilitator.post(f"/facilitate/{group_id}/participants/P1/withdraw",
                                data=form_fields(confirm, f"/facilitate/{group_id}/participants/P1/withdraw"))
    assert response.status_code == 302
    assert rows(app, Participant)[0].withdrawn_at is not None
    html = facilitator.get(f"/facilitate/{group_id}").get_data(as_text=True)
    assert "Withdrawn: left out of every report and export." in html


def test_facilitator_does_not_see_another_facilitators_session(client, auth, surveys, app):
    auth.login("facilitator", "ana@example.org")
    group_id = create_session_page(client, title="Ana's session")
    auth.logout()
    auth.login("facilitator", "ben@example.org")
    index = client.get("/facilitate/").get_data(as_text=True)
    assert "Ana&#39;s session" not in index
    assert client.get(f"/facilitate/{group_id}").status_code == 403
    token = form_fields(index, "/facilitate/")["csrf_token"]  # Ben's own valid token
    response = client.post(f"/facilitate/{group_id}/contributions",
                           data={"c-csrf_token": token, "c-client_id": "abcdefgh12", "c-text": "x"})
    assert response.status_code == 403
    assert rows(app, Contribution) == []


def test_co_facilitator_and_admin_see_the_session(client, auth, surveys, app):
    from tests.conftest import make_user
    co = make_user(app, "facilitator", "co@example.org")
    auth.login("facilitator", "ana@example.org")
    group_id = create_session_page(client, title="Shared session", facilitators=str(co))
    auth.logout()
    auth.login("facilitator", "co@example.org")
    assert "Shared session" in client.get("/facilitate/").get_data(as_text=True)
    assert client.get(f"/facilitate/{group_id}").status_code == 200
    auth.logout()
    auth.login("admin")
    assert "Shared session" in client.get("/facilitate/").get_data(as_text=True)
    assert client.get(f"/facilitate/{group_id}").status_code == 200


def test_the_codebook_in_the_database_wins_over_the_file(facilitator, runner, tmp_path):
    (tmp_path / "tiny.yaml").write_text(
        "themes:\n  - key: benches\n    labels: {en: Benches to sit on}\n    keywords: {en: [bench]}\n")
    result = runner.invoke(args=["themes", "import-codebook", str(tmp_path / "tiny.yaml")])
    assert result.exit_code == 0, result.output
    group_id = create_session_page(facilitator)
    html = facilitator.get(f"/facilitate/{group_id}").get_data(as_text=True)
    assert "Benches to sit on" in html and 'value="rent_affordability"' not in html


def test_resent_tie_and_mention_are_kept_once(facilitator, app):
    group_id = create_session_page(facilitator)
    page = f"/facilitate/{group_id}"
    contribute(facilitator, group_id, "Legal aid sent me to the tenants' union.")
    said = contribution_id(app, "Legal aid sent me to the tenants' union.")
    for _ in range(2):  # a double tap, or the browser re-sending after a dropped connection
        post_form(facilitator, page, f"{page}/relationships", {"r-source": "legal_aid", "r-target": "tenants",
                                                               "r-type": "referral"})
        post_form(facilitator, page, f"{page}/mentions", {"m-stakeholder": "legal_aid", "m-contribution": str(said)})
    assert len(rows(app, Relationship)) == 1 and len(rows(app, Mention)) == 1


def test_a_double_tapped_mention_with_no_contribution_is_kept_once(facilitator, app):
    group_id = create_session_page(facilitator)
    page = f"/facilitate/{group_id}"
    html = facilitator.get(page).get_data(as_text=True)
    fields = form_fields(html, f"{page}/mentions")
    assert len(fields["m-client_id"]) == 32
    for _ in range(2):  # the same drawn form sent twice
        assert facilitator.post(f"{page}/mentions", data={**fields, "m-stakeholder": "rfb"}).status_code == 302
    post_form(facilitator, page, f"{page}/mentions", {"m-stakeholder": "rfb"})  # named again later: counts
    assert [m.stakeholder_id for m in rows(app, Mention)] == ["rfb", "rfb"]


def test_a_mention_form_with_another_sessions_client_id_still_counts(facilitator, app):
    first, second = create_session_page(facilitator), create_session_page(facilitator, title="Second")
    fields = form_fields(facilitator.get(f"/facilitate/{first}").get_data(as_text=True), f"/facilitate/{first}/mentions")
    facilitator.post(f"/facilitate/{first}/mentions", data={**fields, "m-stakeholder": "rfb"})
    borrowed = {**form_fields(facilitator.get(f"/facilitate/{second}").get_data(as_text=True),
                              f"/facilitate/{second}/mentions"), "m-client_id": fields["m-client_id"]}
    assert facilitator.post(f"/facilitate/{second}/mentions", data={**borrowed, "m-stakeholder": "tenants"}).status_code == 302
    assert sorted((m.focus_group_id, m.stakeholder_id) for m in rows(app, Mention)) == [(first, "rfb"), (second, "tenants")]
