"""Recording a session as it happens (endpoints facilitate.*): participants, contributions and
their themes, organisations named, ties mentioned, the dot vote and participants' rankings.

Each post is checked by app.focus_groups.checks, written by app.focus_groups.operations, committed
once here, and answered by a redirect to the session page; a post with errors shows the page
again (422) with what was typed still in the form and each error next to its field.
`contributions_json` is the same as the contribution form for facilitate.js's offline queue.
"""
from __future__ import annotations

from flask import abort, flash, jsonify, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.extensions import db
from app.core.json_body import json_object_body
from app.focus_groups import checks, forms, operations
from app.focus_groups.page import posted_form, render_session
from app.focus_groups.records import tag_form
from app.focus_groups.sessions import SessionContext, session_context, session_for
from app.models import Contribution
from app.themes.session_codebook import theme_keys

#: Shown when a form's CSRF token does not match (the session was lost): nothing was stored.
EXPIRED = "_form"


def _context(group_id: int) -> SessionContext:
    return session_context(session_for(group_id, current_user))


def _back(ctx: SessionContext, anchor: str, **args):
    return redirect(url_for(".session", group_id=ctx.group.id, _anchor=anchor, **args))


def _again(ctx: SessionContext, name: str, form, errors: dict, renames=None):
    """The page again with this form as posted and its errors under the form's field names."""
    renames = renames or {}
    shown = {renames.get(key, key): message for key, message in errors.items()}
    return render_session(ctx, posted={name: form}, errors={name: shown}, status=422)


def _expired() -> dict:
    return {EXPIRED: _("This form had expired. Please press the button again.")}


def register(group_id: int):
    ctx = _context(group_id)
    form = posted_form(ctx, "participant")
    if not form.validate():
        return _again(ctx, "participant", form, _expired())
    clean, errors = checks.check_participant(ctx, forms.participant_payload(form, ctx))
    if not errors:
        participant = operations.register_participant(ctx.group, clean)
        if participant is not None:
            db.session.commit()
            flash(_("Participant %(code)s registered.", code=participant.code))
            return _back(ctx, "participants", focus="register")  # ready for the next participant
        ctx = _context(group_id)  # the code was taken meanwhile: only our insert was undone
        errors = {"code": checks.code_taken_message(clean["code"])}
    renames = {f"demographics.{q.dimension}": forms.demographic_field_name(q.dimension) for q in ctx.dimensions}
    return _again(ctx, "participant", form, errors, renames)


def contribute(group_id: int):
    ctx = _context(group_id)
    form = posted_form(ctx, "contribution")
    if not form.validate():
        return _again(ctx, "contribution", form, _expired())
    payload = form.payload()
    found, errors = checks.check_client_id(ctx, payload["client_id"])
    written = found.lang if found is not None else None  # a form sent twice: stored the first time
    if found is None and not errors:
        clean, errors = checks.check_contribution(ctx, payload)
        if not errors:
            operations.record_contribution(ctx.group, clean, operations.coder_for(current_user))
            db.session.commit()
            written = clean["lang"]
    if errors:
        if "client_id" in errors:  # a bad or borrowed id would fail every retry: draw a fresh one
            form.client_id.data = forms.new_client_id()
        return _again(ctx, "contribution", form, errors)
    # The next one is most likely in the same language: the fresh form starts with it.
    return _back(ctx, "notes", focus="text", written=written)


def contributions_json(group_id: int):
    """A contribution from facilitate.js's queue: the API's body, signed-in session, CSRF token in
    the X-CSRFToken header. 201 the first time, 200 with the same id when the client id is known."""
    ctx = _context(group_id)
    status, data = store_contribution(ctx, json_object_body(), current_user)
    if status in (200, 201):
        db.session.commit()
    return jsonify(data), status


def store_contribution(ctx: SessionContext, body: dict, user) -> tuple[int, dict]:
    """Check and store (flush) one contribution body; (status, JSON data) for the caller to commit
    and send. Shared with the API."""
    found, errors = checks.check_client_id(ctx, body.get("client_id"))
    if found is not None:
        return 200, {"id": found.id, "client_id": found.client_id, "lang": found.lang}
    if not errors:
        clean, errors = checks.check_contribution(ctx, body)
    if errors:
        return 422, {"error": "invalid", "errors": errors}
    contribution_id, created = operations.record_contribution(ctx.group, clean, operations.coder_for(user))
    return (201 if created else 200), {"id": contribution_id, "client_id": clean["client_id"], "lang": clean["lang"]}


def tag(group_id: int, contribution_id: int):
    ctx = _context(group_id)
    contribution = db.session.get(Contribution, contribution_id)
    if contribution is None or contribution.focus_group_id != ctx.group.id:
        abort(404)
    form = tag_form(contribution_id, formdata=request.form)
    if form.validate() and form.theme.data in theme_keys():
        operations.add_theme_tags(contribution.id, [form.theme.data], operations.coder_for(current_user))
        db.session.commit()
    else:
        flash(_("Choose a theme from the list, then press Add theme."), "error")
    return _back(ctx, f"contribution-{contribution.id}")


def mention(group_id: int):
    ctx = _context(group_id)
    form = posted_form(ctx, "mention")
    if not form.validate():
        return _again(ctx, "mention", form, _expired())
    clean, errors = checks.check_mention(ctx, form.payload())
    if errors:
        return _again(ctx, "mention", form, errors)
    operations.record_mention(ctx.group, clean)
    db.session.commit()
    flash(_("Organisation recorded."))
    return _back(ctx, "organisations")


def relationship(group_id: int):
    ctx = _context(group_id)
    form = posted_form(ctx, "relationship")
    if not form.validate():
        return _again(ctx, "relationship", form, _expired())
    clean, errors = checks.check_relationship(ctx, form.payload())
    if errors:
        return _again(ctx, "relationship", form, errors)
    operations.record_relationship(ctx.group, clean)
    db.session.commit()
    flash(_("Relationship recorded."))
    return _back(ctx, "organisations")


def dot_vote(group_id: int):
    ctx = _context(group_id)
    form = posted_form(ctx, "dots")
    if not form.validate():
        return _again(ctx, "dots", form, _expired())
    clean, errors = checks.check_dot_votes(ctx, forms.dot_vote_payload(form, ctx))
    if errors:
        renames = {f"votes.{p}": forms.dots_field_name(p) for p in ctx.priority_values}
        return _again(ctx, "dots", form, errors, renames)
    operations.set_dot_votes(ctx.group, clean["dots"])
    db.session.commit()
    flash(_("Dot vote saved."))
    return _back(ctx, "priorities")


def ranking(group_id: int):
    ctx = _context(group_id)
    form = posted_form(ctx, "ranking")
    if not form.validate():
        return _again(ctx, "ranking", form, _expired())
    clean, errors = checks.check_ranking(ctx, forms.ranking_payload(form, ctx))
    if errors:
        return _again(ctx, "ranking", form, errors, {"ranking": forms.rank_field_name(1)})
    operations.set_ranking(ctx.group, clean["participant"], clean["ranking"])
    db.session.commit()
    flash(_("Ranking for %(code)s saved.", code=clean["participant"].code))
    return _back(ctx, "priorities")
