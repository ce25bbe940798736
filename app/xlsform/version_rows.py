"""A stored survey version as XLSForm rows, in every language it offers, with today's registry.

The app side of rows.py: it reads the catalogs and the stakeholder registry, and names the
form's `version` so that anything that changes the form (the survey version, a translation,
an organisation added to the registry) changes it, as ODK Collect expects.
"""
from __future__ import annotations

import hashlib
import json
import re

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _

from app.core.extensions import db
from app.core.localize import survey_languages, translator
from app.models import Stakeholder, SurveyVersion
from app.questions import question_type, use_stakeholders
from app.xlsform.rows import YES_NO_LIST, survey_rows

#: ``<survey version number>-<8 hex digits of the rows>``: the number says which version the
#: answers were made on; the digest changes with translations and the registry.
FORM_VERSION = re.compile(r"(\d{1,9})-[0-9a-f]{8}")


def version_rows(version: SurveyVersion) -> dict[str, list[dict]]:
    """The three sheets of `version`, with its form version named in `settings`."""
    survey = version.survey_def
    languages = survey_languages(survey, version.content_hash)
    translators = {code: translator(survey, code) for code in languages}
    stakeholders = []
    if use_stakeholders(survey.questions):
        stakeholders = list(db.session.execute(sa.select(Stakeholder.id, Stakeholder.name).order_by(Stakeholder.name,
                                                                                                    Stakeholder.id)))
    yes_no = {}
    if any(question_type(q.type).xls_shared_list == YES_NO_LIST for q in survey.questions):
        for code in languages:
            with force_locale(code):
                yes_no[code] = (_("Yes"), _("No"))
    rows = survey_rows(survey, languages=languages, stakeholders=[tuple(s) for s in stakeholders],
                       translate=lambda code, path, source: str(translators[code](path, source)),
                       yes_no_labels=yes_no)
    digest = hashlib.sha256(json.dumps(rows, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    rows["settings"][0]["version"] = f"{version.number}-{digest[:8]}"
    return rows


def version_number(form_version: str) -> int | None:
    """The survey version number a form version names, or None when it names none."""
    match = FORM_VERSION.fullmatch(form_version or "")
    return int(match.group(1)) if match else None
