"""Admin pages for device tokens (ODK Collect, Enketo): make one for chosen surveys, shown once
with the QR code Collect scans to set itself up; list them; revoke them. URLs are in
app/admin/views.py; the OpenRosa endpoints the tokens open are in app/openrosa."""
from __future__ import annotations

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import SelectMultipleField, StringField
from wtforms.validators import InputRequired, Length

from app.core.extensions import db
from app.core.localize import translator
from app.models import DeviceToken, Survey
from app.openrosa.devices import create_device_token, revoke_device_token, server_url, settings_qr_svg


class DeviceForm(FlaskForm):
    name = StringField(_l("Device name"), validators=[InputRequired(), Length(max=100)], description=_l(
        "What you call the device or the person who carries it, such as “Tablet 3”."))
    surveys = SelectMultipleField(_l("Surveys it collects for"), validators=[InputRequired(
        message=_l("Choose at least one survey."))])


def _survey_choices() -> list[tuple[str, str]]:
    choices = []
    for survey in db.session.scalars(sa.select(Survey).order_by(Survey.slug)):
        version = survey.latest_version()
        if version is not None:
            definition = version.survey_def
            choices.append((survey.slug, str(translator(definition, definition.language)("title", definition.title))))
    return choices


def _page(form: DeviceForm, created: dict | None = None, status: int = 200):
    devices = db.session.scalars(sa.select(DeviceToken).order_by(DeviceToken.created_at.desc(),
                                                                 DeviceToken.id.desc())).all()
    return render_template("admin/devices.html", form=form, devices=devices, created=created), status


def devices():
    form = DeviceForm()
    form.surveys.choices = _survey_choices()
    if request.method == "GET":
        return _page(form)
    if form.validate_on_submit():
        name = form.name.data.strip()
        device, token = create_device_token(name, form.surveys.data, current_user)
        db.session.commit()
        url = server_url(token)
        created = {"device": device, "url": url, "qr": Markup(settings_qr_svg(url, f"Common Ground · {name}"))}
        fresh = DeviceForm(formdata=None)
        fresh.surveys.choices = form.surveys.choices
        return _page(fresh, created=created, status=201)
    return _page(form, status=422)


def device_revoke(device_id: int):
    device = db.get_or_404(DeviceToken, device_id)
    form = FlaskForm()
    if form.validate_on_submit() and revoke_device_token(device, current_user):
        db.session.commit()
        flash(_("The device token was revoked: the device can no longer download forms or send answers."))
    return redirect(url_for(".devices"))
