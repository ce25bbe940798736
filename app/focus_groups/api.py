"""JSON API v1: focus groups (endpoints api.focus_groups.*), for facilitator and admin tokens.

The same checks and operations as the facilitator's pages (app.focus_groups), so both judge input
alike. Bad input → 422 ``{"error": "invalid", "errors": {"<field>": "message"}}``; an unknown
session → 404; a session the token's owner does not facilitate → 403 (admins: any session).
"""
from __future__ import annotations

from flask import abort, g, jsonify

from app.core.extensions import db
from app.core.json_body import json_object_body
from app.focus_groups import checks, operations
from app.focus_groups.recording import store_contribution
from app.focus_groups.sessions import SessionContext, participant_by_code, session_context, session_for
from app.responses.withdrawal import withdraw_participant


def _context(group_id: int) -> SessionContext:
    return session_context(session_for(group_id, g.user))


def _invalid(errors: dict):
    return jsonify(error="invalid", errors=errors), 422


def create_session():
    """`{"title", "date", "place", "lang", "host"}` (optional `"survey"` slug, `"facilitators"`
    user ids) → 201 `{"id"}`."""
    clean, errors = checks.check_session(json_object_body())
    if errors:
        return _invalid(errors)
    group = operations.create_session(clean, g.user)
    db.session.commit()
    return jsonify(id=group.id), 201


def register_participant(group_id: int):
    """`{"code", "demographics": {dimension: category}, "consent": {"version", "given"}}` → 201 `{"id", "code"}`."""
    ctx = _context(group_id)
    clean, errors = checks.check_participant(ctx, json_object_body())
    if errors:
        return _invalid(errors)
    participant = operations.register_participant(ctx.group, clean)
    if participant is None:  # the same code won a race with us
        return _invalid({"code": checks.code_taken_message(clean["code"])})
    db.session.commit()
    return jsonify(id=participant.id, code=participant.code), 201


def add_contribution(group_id: int):
    """`{"client_id", "participant", "kind", "text", "themes", "lang"}` → 201 `{"id", "client_id",
    "lang"}` the first time, 200 with the same id for the same client id. `lang` is the language the
    text is written in (the session's when left out); the tagger reads it with that codebook."""
    status, data = store_contribution(_context(group_id), json_object_body(), g.user)
    if status in (200, 201):
        db.session.commit()
    return jsonify(data), status


def add_votes(group_id: int):
    """A dot count `{"priority", "votes"}` (sets that priority's count) or a participant's
    ranking `{"participant", "ranking": [keys]}` (replaces theirs) → 201 if new, 200 if replaced."""
    ctx = _context(group_id)
    clean, errors = checks.check_vote(ctx, json_object_body())
    if errors:
        return _invalid(errors)
    if "dots" in clean:
        created = operations.set_dot_votes(ctx.group, clean["dots"])
        data = {"priority": next(iter(clean["dots"])), "votes": next(iter(clean["dots"].values()))}
    else:
        created = operations.set_ranking(ctx.group, clean["participant"], clean["ranking"])
        data = {"participant": clean["participant"].code, "ranking": clean["ranking"]}
    db.session.commit()
    return jsonify(focus_group=ctx.group.id, **data), 201 if created else 200


def withdraw(group_id: int, code: str):
    """Withdraw a participant (idempotent) → 200 `{"code", "withdrawn_at"}`."""
    group = session_for(group_id, g.user)
    participant = participant_by_code(group, code)
    if participant is None:
        abort(404)
    withdraw_participant(participant, g.user)
    db.session.commit()
    return jsonify(code=participant.code, withdrawn_at=participant.withdrawn_at.isoformat(timespec="seconds") + "Z")
