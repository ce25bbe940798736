"""Residents: the survey form at /s/<slug>, page by page, working with JavaScript switched off.

GET draws a page; POST saves its answers to the draft (so nothing is lost on a dropped
connection), then redirects (post/redirect/get) to the next relevant page. The last page stores
the response under the submission id drawn with the consent form: a replay stores nothing twice.
"""
from __future__ import annotations

import uuid

import sqlalchemy as sa
from flask import abort, g, has_request_context, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from app.core.extensions import db
from app.core.localize import survey_languages, translator
from app.models import Draft, Response, Stakeholder, Survey, SurveyVersion
from app.partner.senders import pin_organisation, web_sender
from app.questions import use_stakeholders
from app.responses import drafts, offline
from app.responses.code_throttle import refuse_if_too_many
from app.responses.forms import StartForm, answers_from_form, form_data_from_answers, make_page_form
from app.responses.intake import SUBMISSION_ID, take_submission
from app.responses.pages import known_answers, live_conditions, page_questions, relevant_page_numbers, resume_page
from app.responses.submission import existing_response_id
from app.surveydef.answers import check_answers, is_empty


def load_survey(_endpoint, values):
    """Find the version this request is about, so locale selection knows its languages."""
    if not values or "slug" not in values:
        return
    survey = Survey.by_slug(values["slug"])
    if survey is None:
        abort(404)
    g.draft = drafts.draft_for(values["sid"]) if "sid" in values else None
    if "sid" in values and (g.draft is None or g.draft.survey_version_id not in _version_ids(survey)):
        abort(404)
    g.version = db.session.get(SurveyVersion, g.draft.survey_version_id) if g.draft else survey.latest_version()
    if g.version is None:
        abort(404)
    g.survey = g.version.survey_def
    g.languages = survey_languages(g.survey, g.version.content_hash)
    g.source_language = g.survey.language
    g.draft_language = g.draft.lang if g.draft else None  # an old link without ?lang= still opens in it
    offline.remember(values["slug"], g.version.content_hash, g.survey, latest=g.draft is None)


def keep_language(_endpoint, values):
    """Every resident link, redirect and form action carries ?lang=, so the chosen language holds
    even when the cookie is lost (cleared, blocked, or a phone that drops it)."""
    if "lang" not in values and has_request_context():
        values["lang"] = _lang()


def partner_surveys_need_a_partner():
    """A partner survey (`kind: partner`) is answered by a partner: signed in, or through the
    invitation link of their organisation (app.partner.senders); anyone else signs in first."""
    if g.get("survey") is None or g.survey.kind != "partner":
        return None
    g.sender = web_sender()
    if g.sender.may_answer_partner_surveys:
        return None
    if g.sender.role is None:
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    abort(403)


def _version_ids(survey: Survey) -> set[int]:
    return set(db.session.scalars(sa.select(SurveyVersion.id).where(SurveyVersion.survey_id == survey.id)))


def _lang() -> str:
    return str(get_locale())


def _context(**extra):
    return dict(survey=g.survey, t=translator(g.survey, _lang()), languages=g.languages, lang=_lang(),
                version_hash=g.version.content_hash, **extra)


def start(slug: str):
    form = StartForm()
    expired = False
    if request.method == "GET":
        form.submission_id.data = uuid.uuid4().hex
    elif not form.validate():  # only CSRF can fail: the session cookie is gone (browser closed, cookies cleared)
        expired = True
    elif _valid_submission_id(form.submission_id.data):
        if request.form.get("consent") == "yes":
            existing = existing_response_id(form.submission_id.data)
            if existing:
                return redirect(url_for(".done", slug=slug, sid=form.submission_id.data))
            draft = drafts.start_draft(g.version, form.submission_id.data, _lang())
            draft.answers = _pinned(draft.answers)
            db.session.commit()
            first = relevant_page_numbers(g.survey, draft.answers)[0]
            return redirect(url_for(".page", slug=slug, sid=draft.submission_id, number=first))
        form.form_errors.append(_("To take part, tick the box to say you agree. "
                                  "If you do not agree, you can simply close this page."))
    return render_template("respond/start.html", form=form, expired=expired,
                           consented=request.form.get("consent") == "yes", **_context())


def _valid_submission_id(value: str | None) -> bool:
    return bool(value and SUBMISSION_ID.fullmatch(value))


def page(slug: str, sid: str, number: int):
    draft: Draft = g.draft
    if draft.response_id is not None:
        return redirect(url_for(".done", slug=slug, sid=sid))
    pages = g.survey.pages
    if not 1 <= number <= len(pages):
        abort(404)
    relevant = relevant_page_numbers(g.survey, draft.answers)
    if number not in relevant:  # skip logic changed: go to the nearest page still relevant
        later = [n for n in relevant if n > number] or relevant[-1:]
        return redirect(url_for(".page", slug=slug, sid=sid, number=later[0]))
    t = translator(g.survey, _lang())
    shown = {q.key for q in page_questions(g.survey, number, draft.answers)}
    live = live_conditions(g.survey, number)
    # Questions a same-page answer can switch on are drawn too (hidden while off), for the browser
    # to show as the resident answers; the server still decides, from what is posted.
    questions = [q for q in pages[number - 1].questions if q.key in shown or q.key in live]
    form_class = make_page_form(questions, t, _stakeholder_choices(questions))
    errors, answers = {}, draft.answers
    expired = False
    if request.method == "GET":
        form = form_class(data=form_data_from_answers(draft.answers, questions))
    else:
        form = form_class()
        action = request.form.get("action", "next")
        if not form.validate():  # only CSRF can fail here (the session ended): the fields carry no validators
            expired = True
        else:
            posted, errors = answers_from_form(form, questions)
            posted = _pinned(posted)
            answers = {**draft.answers, **posted, **dict.fromkeys(errors)}
            clean, invalid = check_answers(g.survey, answers, only=[q.key for q in questions],
                                           stakeholder_ids=_stakeholder_ids(questions))
            errors = {**invalid, **errors}  # a number to write again says why, not just "enter a number"
            drafts.save_answers(draft, {k: v for k, v in clean.items() if k not in errors},
                                [q.key for q in questions])
            draft.lang = _lang()
            seen = shown | set(request.form.getlist("shown"))
            if action == "next" and not errors and _new_questions(number, draft.answers, seen):
                target = url_for(".page", slug=slug, sid=sid, number=number, more=1)
                draft.last_page = number
            else:
                target, draft.last_page = _after_save(slug, sid, number, action, errors, draft)
            db.session.commit()
            if target:
                return redirect(target)
    visible = {q.key for q in page_questions(g.survey, number, answers)}
    position = relevant.index(number) + 1
    return render_template("respond/page.html", form=form, questions=questions, errors=errors, expired=expired,
                           number=number, position=position, total=len(relevant),
                           is_last=position == len(relevant), draft=draft, visible=visible, live=live,
                           known=known_answers(g.survey, number, live, draft.answers),
                           types={q.key: q.type for q in questions},
                           more=_more(shown, visible, answers), **_context())


def _more(shown: set[str], visible: set[str], answers: dict) -> bool:
    """Whether to say that an answer brought a new question onto this page: after the redirect
    that shows it, or on a page shown again with errors that also shows one for the first time."""
    if request.method == "GET":
        return request.args.get("more") == "1"
    return any(key not in shown and is_empty(answers.get(key)) for key in visible)


def _new_questions(number: int, answers: dict, seen: set[str]) -> list[str]:
    """Questions of this page that the answers just saved switched on, which the resident has
    not seen yet: the page is shown again with them, so a follow-up is never skipped."""
    return [q.key for q in page_questions(g.survey, number, answers) if q.key not in seen and q.key not in answers]


def _after_save(slug, sid, number, action, errors, draft) -> tuple[str | None, int]:
    """Where to go after a page was saved (None: show it again with its errors), and the page
    to reopen on resume."""
    relevant = relevant_page_numbers(g.survey, draft.answers)
    if action == "save":
        return url_for(".saved", slug=slug, sid=sid), number
    if action == "back":
        earlier = [n for n in relevant if n < number]
        if not earlier:
            return url_for(".start", slug=slug), number
        return url_for(".page", slug=slug, sid=sid, number=earlier[-1]), earlier[-1]
    if errors:
        return None, number
    later = [n for n in relevant if n > number]
    if later:
        return url_for(".page", slug=slug, sid=sid, number=later[0]), later[0]
    return _finish(slug, sid, draft), number


def _finish(slug: str, sid: str, draft: Draft) -> str | None:
    """Store the response from the draft (the caller commits); on an error, go to the first page that has one."""
    intake = take_submission(g.version, sid, _pinned(draft.answers), lang=_lang(), channel="web", consent_given=True)
    if intake.errors:
        first = next(i for i, p in enumerate(g.survey.pages, 1) if any(q.key in intake.errors for q in p.questions))
        return url_for(".page", slug=slug, sid=sid, number=first)
    draft.response_id = intake.response_id
    return url_for(".done", slug=slug, sid=sid)


def _pinned(answers: dict) -> dict:
    """On a partner survey, the answers with the sender's own organisation filled in."""
    sender = g.get("sender")
    return pin_organisation(g.survey, answers, sender) if sender is not None else answers


def _stakeholder_choices(questions) -> list[tuple[str, str]]:
    if not use_stakeholders(questions):
        return []
    return offline.remember_stakeholders(
        [(s.id, s.name) for s in db.session.scalars(sa.select(Stakeholder).order_by(Stakeholder.name))])


def _stakeholder_ids(questions):
    return Stakeholder.all_ids() if use_stakeholders(questions) else ()


def saved(slug: str, sid: str):
    first = relevant_page_numbers(g.survey, g.draft.answers)[0]
    return render_template("respond/saved.html", draft=g.draft, first=first, **_context())


def resume(slug: str):
    form = StartForm()
    error = None
    expired = request.method == "POST" and not form.validate()
    if request.method == "POST":
        refuse_if_too_many("resume")
    if request.method == "POST" and not expired:
        draft = drafts.draft_by_code(request.form.get("code", ""))
        if draft is not None and draft.survey_version_id in _version_ids(Survey.by_slug(slug)):
            if draft.response_id:
                return redirect(url_for(".done", slug=slug, sid=draft.submission_id))
            pinned = db.session.get(SurveyVersion, draft.survey_version_id).survey_def
            relevant = relevant_page_numbers(pinned, draft.answers)
            number = draft.last_page if draft.last_page in relevant else resume_page(pinned, draft.answers)
            return redirect(url_for(".page", slug=slug, sid=draft.submission_id, number=number))
        error = _("We could not find that code. Check it and try again.")
    return render_template("respond/resume.html", form=form, error=error, expired=expired, **_context())


def done(slug: str, sid: str):
    if g.draft.response_id is None:
        return redirect(url_for(".page", slug=slug, sid=sid, number=resume_page(g.survey, g.draft.answers)))
    if db.session.get(Response, g.draft.response_id).withdrawn_at is not None:
        return render_template("respond/withdrawn.html", **_context())
    return render_template("respond/done.html", **_context())
