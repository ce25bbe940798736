"""Withdrawal: a resident takes back a finished response with their code, a facilitator withdraws a
participant; both are audited once, and the withdrawn leave the exports."""
import csv
import io
import re

import pytest
import sqlalchemy as sa

from app.core.extensions import db
from app.models import AuditEvent, Draft, Participant, Response, User
from tests.app.focus_groups.helpers import create_session_page, form_fields, post_form
from tests.forms import form_action, hidden_fields

SLUG = "community-needs"


def finish_survey(client) -> tuple[str, str]:
    """Answer the community survey with JavaScript off; returns (submission id, done page HTML)."""
    html = client.get(f"/s/{SLUG}").get_data(as_text=True)
    fields = hidden_fields(html)
    location = client.post(form_action(html), data={**fields, "consent": "yes"}).headers["Location"]
    answers = {"priorities__1": "housing", "priorities__2": "jobs"}
    while "/done/" not in location:
        page = client.get(location).get_data(as_text=True)
        response = client.post(form_action(page), data={**hidden_fields(page), **answers, "action": "next"})
        assert response.status_code == 302, response.get_data(as_text=True)
        location, answers = response.headers["Location"], {}
    return fields["submission_id"], client.get(location).get_data(as_text=True)


def resume_code(app, submission_id: str) -> str:
    with app.app_context():
        return db.session.scalar(sa.select(Draft.resume_code).where(Draft.submission_id == submission_id))


def ask_to_withdraw(client, code: str, lang: str = "en"):
    """The first step: the code typed in; answers found → the confirmation page."""
    html = client.get(f"/s/{SLUG}/withdraw?lang={lang}").get_data(as_text=True)
    return client.post(form_action(html), data={**hidden_fields(html), "code": code})


def withdraw(client, code: str, confirm: str = "yes"):
    """Both steps, as a resident with JavaScript off: the code, then "Yes" (or "No")."""
    response = ask_to_withdraw(client, code)
    html = response.get_data(as_text=True)
    if 'name="confirm"' not in html:
        return response
    return client.post(form_action(html), data={**hidden_fields(html), "confirm": confirm})


def response_of(app, submission_id: str) -> Response:
    with app.app_context():
        return db.session.scalar(sa.select(Response).where(Response.submission_id == submission_id))


def withdraw_events(app) -> list[AuditEvent]:
    with app.app_context():
        return db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "withdraw")).all()


def test_done_page_shows_the_code_and_the_way_to_withdraw(client, surveys, app):
    sid, done = finish_survey(client)
    assert resume_code(app, sid) in done
    assert "keep this code if you may want to withdraw" in done.lower()
    assert f'href="/s/{SLUG}/withdraw?lang=en"' in done


def test_the_code_alone_withdraws_nothing_until_confirmed(client, surveys, app):
    sid, _done = finish_survey(client)
    html = ask_to_withdraw(client, resume_code(app, sid)).get_data(as_text=True)
    assert "Do you want to withdraw the answers" in html and 'value="yes"' in html and 'value="no"' in html
    assert response_of(app, sid).withdrawn_at is None and withdraw_events(app) == []


def test_a_wrong_code_is_told_apart_only_after_confirming(client, surveys, app):
    """Right and wrong codes get the same next page, so the form cannot be used to test codes."""
    sid, _done = finish_survey(client)
    right = ask_to_withdraw(client, resume_code(app, sid)).get_data(as_text=True)
    wrong = ask_to_withdraw(client, "WRONG999").get_data(as_text=True)
    strip = lambda html: re.sub(r'<input[^>]*name="(csrf_token|code)"[^>]*>', "", html)  # noqa: E731
    assert strip(right) == strip(wrong)
    html = client.get(f"/s/{SLUG}/withdraw").get_data(as_text=True)
    refused = client.post(f"/s/{SLUG}/withdraw", data={**hidden_fields(html), "code": "WRONG999", "confirm": "yes"})
    assert refused.status_code == 422 and "could not find" in refused.get_data(as_text=True)
    assert response_of(app, sid).withdrawn_at is None


def test_keeping_the_answers_changes_nothing(client, surveys, app):
    sid, _done = finish_survey(client)
    html = withdraw(client, resume_code(app, sid), confirm="no").get_data(as_text=True)
    assert "Your answers are kept." in html
    assert response_of(app, sid).withdrawn_at is None and withdraw_events(app) == []


def test_withdrawal_ends_on_its_own_page_not_the_thank_you_page(client, surveys, app):
    sid, _done = finish_survey(client)
    html = withdraw(client, resume_code(app, sid)).get_data(as_text=True)
    assert "<h1>Your answers have been withdrawn</h1>" in html and "Thank you" not in html
    # The thank-you address, opened again later, says the same.
    later = client.get(f"/s/{SLUG}/done/{sid}").get_data(as_text=True)
    assert "<h1>Your answers have been withdrawn</h1>" in later and "Thank you" not in later


def test_withdrawal_speaks_the_residents_language_without_cookies(client, surveys, app):
    sid, _done = finish_survey(client)
    client.delete_cookie("lang")
    first = ask_to_withdraw(client, resume_code(app, sid), lang="so").get_data(as_text=True)
    assert '<html lang="so"' in first and 'action="/s/community-needs/withdraw?lang=so"' in first
    client.delete_cookie("lang")
    html = client.post(form_action(first), data={**hidden_fields(first), "confirm": "yes"}).get_data(as_text=True)
    assert '<html lang="so"' in html and response_of(app, sid).withdrawn_at is not None


def test_an_ended_session_asks_again_and_withdraws_nothing(client, surveys, app):
    sid, _done = finish_survey(client)
    first = ask_to_withdraw(client, resume_code(app, sid)).get_data(as_text=True)
    client.delete_cookie("session")  # the browser was closed: the form's token no longer matches
    response = client.post(form_action(first), data={**hidden_fields(first), "confirm": "yes"})
    html = response.get_data(as_text=True)
    assert "Your session had ended" in html and "There is a problem" not in html
    assert 'name="confirm"' in html and response_of(app, sid).withdrawn_at is None

def test_resident_withdraws_with_the_code(client, surveys, app):
    sid, _done = finish_survey(client)
    response = withdraw(client, resume_code(app, sid).lower())  # typed in lower case: still found
    assert response.status_code == 200 and "Your answers have been withdrawn" in response.get_data(as_text=True)
    assert response_of(app, sid).withdrawn_at is not None
    [event] = withdraw_events(app)
    assert (event.target, event.user_id) == (f"response:{response_of(app, sid).id}", None)


def test_withdrawal_by_code_is_the_residents_even_when_staff_are_signed_in(client, auth, surveys, app):
    sid, _done = finish_survey(client)
    auth.login("admin")
    withdraw(client, resume_code(app, sid))
    assert [e.user_id for e in withdraw_events(app)] == [None]


def test_withdrawing_twice_is_audited_once(client, surveys, app):
    sid, _done = finish_survey(client)
    code = resume_code(app, sid)
    withdraw(client, code)
    first = response_of(app, sid).withdrawn_at
    again = withdraw(client, code)  # already withdrawn: the withdrawn page again, and nothing changes
    assert again.status_code == 200 and "Your answers have been withdrawn" in again.get_data(as_text=True)
    assert response_of(app, sid).withdrawn_at == first and len(withdraw_events(app)) == 1


@pytest.mark.parametrize("code", ["", "NOTACODE", "3467-89AB"])
def test_unknown_code_changes_nothing(client, surveys, app, code):
    sid, _done = finish_survey(client)
    response = withdraw(client, code)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "We could not find finished answers with that code." in html
    assert 'aria-describedby="code-error"' in html
    assert response_of(app, sid).withdrawn_at is None and withdraw_events(app) == []


def test_unfinished_draft_code_is_not_a_withdrawal(client, surveys, app):
    html = client.get(f"/s/{SLUG}").get_data(as_text=True)
    fields = hidden_fields(html)
    client.post(form_action(html), data={**fields, "consent": "yes"})  # started, never finished
    response = withdraw(client, resume_code(app, fields["submission_id"]))
    assert response.status_code == 422 and withdraw_events(app) == []


def test_withdrawn_response_leaves_the_export(client, runner, surveys, app):
    kept, _ = finish_survey(client)
    gone, _ = finish_survey(client)
    withdraw(client, resume_code(app, gone))
    result = runner.invoke(args=["export", "responses", "--survey", SLUG, "--format", "csv"])
    ids = [row["submission_id"] for row in csv.DictReader(io.StringIO(result.output))]
    assert ids == [kept]


def test_facilitator_withdrawal_is_audited_with_the_facilitator(client, auth, surveys, app):
    auth.login("facilitator")
    group_id = create_session_page(client)
    page = f"/facilitate/{group_id}"
    post_form(client, page, f"{page}/participants", {"p-code": "P1", "p-consent": "y"})
    confirm = client.get(f"{page}/participants/P1/withdraw").get_data(as_text=True)
    client.post(f"{page}/participants/P1/withdraw", data=form_fields(confirm, f"{page}/participants/P1/withdraw"))
    with app.app_context():
        participant = db.session.scalar(sa.select(Participant))
        facilitator = db.session.scalar(sa.select(User).where(User.email == "facilitator@example.org"))
        [event] = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "withdraw")).all()
        assert (event.target, event.user_id) == (f"participant:{participant.id}", facilitator.id)
        assert event.details == {"focus_group": group_id, "code": "P1"}
