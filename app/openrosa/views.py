"""OpenRosa endpoints under the server URL a device is set up with, ``/openrosa/key/<token>``.

As ODK Central serves its app users: ``GET …/formList`` (the device's surveys with their
md5 hashes), ``GET …/forms/<slug>.xml`` (the XForm, made by pyxform), ``HEAD …/submission``
(204: "send here, up to this size") and ``POST …/submission`` (multipart with
``xml_submission_file``). Every answer, error included, is OpenRosa XML with the OpenRosa
headers; nothing here answers a 500 for anything a client sends.
"""
from __future__ import annotations

import sqlalchemy as sa
from flask import abort, current_app, g, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException, NotFound, RequestEntityTooLarge

from app.core.extensions import db
from app.models import Survey, SurveyVersion
from app.openrosa import responses
from app.openrosa.devices import device_for_token, mark_used
from app.openrosa.instance import InstanceError, instance_answers, parse_instance
from app.openrosa.xform import xform_for
from app.responses.intake import SUBMISSION_ID, take_submission
from app.surveys.lookup import latest_or_404
from app.xlsform.version_rows import version_number

#: The channel answers from ODK Collect and Enketo are recorded under.
CHANNEL = "odk"


def _device(_endpoint, values):
    """Every URL here starts with a device token: a live one, or a 401 (revoked or unknown)."""
    token = (values or {}).pop("token", "")
    g.device = device_for_token(token)
    g.device_token = token
    if g.device is None:
        abort(401)


def _keep_token(endpoint, values):
    if "token" not in values and g.get("device_token"):
        values["token"] = g.device_token


def _openrosa_error(exc: HTTPException):
    messages = {
        401: _("This device's token is not valid any more: ask an administrator for a new server URL."),
        403: _("This device may not send to that form: ask an administrator to add it to the device's surveys."),
        404: _("There is no such form on this server."),
        405: _("That action is not allowed here."),
        413: _("That is more than we can accept in one go."),
    }
    text = str(exc.description) if getattr(exc, "clear_message", False) else messages.get(
        exc.code, _("The request could not be read."))
    return responses.error(text, exc.code or 400)


def root():
    return responses.message(_("This is the address of a Common Ground server for ODK Collect: "
                               "enter it as the server URL in ODK Collect's project settings."), 200)


def _survey_version(slug: str) -> SurveyVersion:
    """The latest version of one of this device's surveys: 404 for no such survey, 403 for another's."""
    version = latest_or_404(slug)
    if slug not in g.device.surveys:
        abort(403)
    return version


def form_list():
    wanted = request.args.get("formID")
    forms = []
    for slug in g.device.surveys:
        if wanted and slug != wanted:
            continue
        survey = Survey.by_slug(slug)
        version = survey.latest_version() if survey is not None else None
        if version is None:
            continue  # a survey no longer loaded drops out of the list
        xform = xform_for(version)
        forms.append({"form_id": xform.form_id, "name": xform.title, "version": xform.version,
                      "md5": xform.md5, "url": url_for(".form_download", slug=slug, _external=True)})
    return responses.form_list(forms)


def form_download(slug: str):
    return responses.xml_response(xform_for(_survey_version(slug)).xml)


def submission_probe():
    """What ODK Collect asks before it posts: 204, and how large a post may be (in the headers)."""
    return responses.xml_response(b"", 204)


def submission():
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    try:
        upload = request.files.get("xml_submission_file")
    except RequestEntityTooLarge:
        abort(413)
    if upload is None:
        return responses.error(_("A submission is sent as multipart/form-data with the instance in "
                                 "'xml_submission_file'."), 400)
    data = upload.read(limit + 1)
    if len(data) > limit:
        abort(413)
    try:
        instance = parse_instance(data)
    except InstanceError as exc:
        current_app.logger.info("OpenRosa instance refused: %s", exc)
        return responses.error(_("The submission's XML could not be read: it is not a well-formed "
                                 "form instance. Nothing was saved."), 400)
    version = _submitted_version(instance)
    if not SUBMISSION_ID.fullmatch(instance.submission_id):
        return responses.error(_("The submission's instanceID is not one this server can keep: use "
                                 "ODK's uuid:… ids. Nothing was saved."), 400)
    answers, unknown = instance_answers(version.survey_def, instance)
    if unknown:
        return responses.error(_("The submission has fields that are not in the form: %(fields)s. "
                                 "Nothing was saved.", fields=", ".join(sorted(set(unknown)))), 400)
    survey = version.survey_def
    intake = take_submission(version, instance.submission_id, answers, lang=survey.language,
                             channel=CHANNEL, consent_given=True)
    if intake.errors:
        problems = "; ".join(f"{key}: {message}" for key, message in intake.errors.items())
        return responses.error(_("Some answers cannot be accepted, so nothing was saved: %(problems)s",
                                 problems=problems), 400)
    mark_used(g.device)
    db.session.commit()
    # A resend of a stored instance is answered as the first send was, as ODK Central does.
    return responses.message(_("The submission was received and saved."), 201)


def _submitted_version(instance) -> SurveyVersion:
    """The survey version the instance was made on (its form's `version`), among the device's."""
    version = _survey_version(instance.form_id)
    number = version_number(instance.version)
    if number is not None and number != version.number:
        version = db.session.scalar(sa.select(SurveyVersion).where(
            SurveyVersion.survey_id == version.survey_id, SurveyVersion.number == number))
    if number is None or version is None:
        raise UnknownFormVersion()
    return version


class UnknownFormVersion(NotFound):
    """404 for an instance of a form version we never served (hand-made, or from another server)."""

    clear_message = True
    description = _l("The submission names a form version this server never gave out: download the "
                     "form again and send from it. Nothing was saved.")
