"""Every XForm we serve passes ODK Validate, the check ODK Collect's form parser (JavaRosa) makes.

ODK Validate ships inside pyxform and runs on Java (.ci/run installs Debian's
default-jre-headless when `java` is missing)."""
import shutil

import pytest
from pyxform.validators.odk_validate import check_xform
from pyxform.xls2xform import convert

from app.surveys.loader import latest_versions
from app.surveydef.parse import parse_survey_text
from app.xlsform.rows import survey_rows
from tests.app.xlsform.test_rows import ALL_TYPES

pytestmark = pytest.mark.skipif(shutil.which("java") is None, reason="ODK Validate needs a Java runtime")


def test_every_shipped_survey_passes_odk_validate(surveys, tmp_path):
    from app.openrosa.xform import xform_for
    with surveys.app_context():
        forms = {v.survey_def.slug: xform_for(v).xml for v in latest_versions()}
    assert set(forms) == {"community-needs", "partner-survey"}
    for slug, xml in forms.items():
        path = tmp_path / f"{slug}.xml"
        path.write_bytes(xml)
        check_xform(str(path))  # raises ODKValidateError with Validate's own message


def test_every_question_type_passes_odk_validate(tmp_path):
    survey = parse_survey_text(ALL_TYPES)
    rows = survey_rows(survey, languages=["en", "ar"], translate=lambda lang, path, text: text,
                       version="1-0000abcd", stakeholders=[("org-1", "Food bank")])
    path = tmp_path / "every-type.xml"
    path.write_text(convert(rows, form_name="data", warnings=[]).xform)
    check_xform(str(path))
