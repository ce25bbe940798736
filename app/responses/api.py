"""JSON API v1: idempotent response submission, POST /api/v1/surveys/<slug>/responses (DESIGN.md contracts)."""
from __future__ import annotations

from flask import jsonify, request
from flask_babel import force_locale
from flask_babel import gettext as _

from app.core.extensions import db
from app.core.json_body import json_object_body
from app.partner.senders import api_channel, api_sender, pin_organisation
from app.responses.intake import SUBMISSION_ID, take_submission
from app.surveys.lookup import language_for, latest_or_404


def submit_response(slug: str):
    version = latest_or_404(slug)
    body = json_object_body()
    lang, _languages = language_for(version, body.get("lang") if isinstance(body.get("lang"), str) else None)
    sender = api_sender(request.headers.get("Authorization", ""))
    with force_locale(lang):
        if version.survey_def.kind == "partner" and not sender.may_answer_partner_surveys:
            return _partners_only(sender)
        problems = _envelope_errors(body)
        if problems:
            return jsonify(error="invalid", errors=problems), 422
        body["answers"] = pin_organisation(version.survey_def, body["answers"], sender)
        consent = body.get("consent") or {}
        intake = take_submission(version, body["submission_id"], body["answers"], lang=lang,
                                 channel=api_channel(sender, body.get("channel", "api")),
                                 consent_given=bool(consent.get("given", True)))
        if intake.errors:
            return jsonify(error="invalid", errors={k: str(v) for k, v in intake.errors.items()}), 422
    db.session.commit()
    return jsonify(id=intake.response_id, submission_id=body["submission_id"]), 201 if intake.created else 200


def _partners_only(sender):
    """401 without credentials, 403 with the wrong ones: partner surveys take a partner's answer."""
    message = _("Partner surveys are answered by partners: send a partner's API token or an invitation "
                "token as 'Authorization: Bearer …'.")
    if sender.role is None:
        return jsonify(error="unauthorized", message=message), 401, {"WWW-Authenticate": "Bearer"}
    return jsonify(error="forbidden", message=message), 403


def _envelope_errors(body: dict) -> dict:
    errors = {}
    if not isinstance(body.get("submission_id"), str) or not SUBMISSION_ID.fullmatch(body["submission_id"]):
        errors["submission_id"] = _("A submission id of 8 to 64 letters, digits, '-' or '_' is needed.")
    if not isinstance(body.get("answers"), dict):
        errors["answers"] = _("Answers must be an object of question keys and values.")
    if body.get("channel", "api") not in ("api", "web", "paper", "import"):
        errors["channel"] = _("Channel must be api, web, paper or import.")
    consent = body.get("consent")
    if consent is not None and (not isinstance(consent, dict) or consent.get("given") is not True):
        errors["consent"] = _("Answers can only be stored with the respondent's consent.")
    return errors
