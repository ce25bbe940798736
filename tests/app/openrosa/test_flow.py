"""The OpenRosa flow as ODK Collect drives it: set-up URL, form list, download, HEAD then POST,
resends, an offline batch, and answers to a version that has changed since the download."""
import hashlib
import re
import xml.etree.ElementTree as ET

import pytest
import sqlalchemy as sa

from app.core.extensions import db
from app.models import Answer, Response, Survey, SurveyVersion
from app.responses.submission import answers_from_rows
from tests.app.openrosa.collect import Collect
from tests.conftest import SURVEYS_DIR

ANSWERS = {
    "priorities": ["transport", "housing", "safety", "jobs", "health", "youth"],  # Collect ranks all
    "biggest_change": "More buses in the evening.",
    "services_used": ["clinic", "library"],
    "bus_often": "agree",
    "safety_rating": 2,
    "safety_where": "The underpass",
    "years_here": 0,
    "moved_in": "2026-05-01",
    "recommend": True,
    "age_band": "25_44",
}


@pytest.fixture
def collect(surveys, runner):
    """ODK Collect set up with the URL `tokens create-device` printed last."""
    result = runner.invoke(args=["tokens", "create-device", "Tablet 3", "--survey", "community-needs",
                                 "--base-url", "http://localhost"])
    assert result.exit_code == 0, result.output
    url = result.output.strip().splitlines()[-1]
    assert re.fullmatch(r"http://localhost/openrosa/key/cgd_[A-Za-z0-9_-]{32}", url)
    return Collect(surveys.test_client(), url)


def _stored(app):
    with app.app_context():
        return db.session.scalars(sa.select(Response).order_by(Response.id)).all()


def test_form_list_carries_the_device_surveys_with_their_hash(collect):
    response = collect.form_list()
    assert response.status_code == 200
    assert response.headers["X-OpenRosa-Version"] == "1.0"
    assert response.mimetype == "text/xml"
    forms = collect.forms()
    assert list(forms) == ["community-needs"]  # the partner survey is not this device's
    form = forms["community-needs"]
    assert form["name"] == "Community needs survey"
    assert re.fullmatch(r"1-[0-9a-f]{8}", form["version"])
    xform = collect.download("community-needs")
    assert form["hash"] == "md5:" + hashlib.md5(xform).hexdigest()
    assert f'<data id="community-needs" version="{form["version"]}">' in xform.decode()


def test_download_is_the_pyxform_xform_in_every_language(collect):
    xform = collect.download("community-needs").decode()
    assert xform.startswith('<?xml version="1.0"?><h:html')
    langs = re.findall(r'<translation lang="([^"]+)"', xform)
    assert langs[0] == "English (en)" and "Arabic (ar)" in langs and "Chinese (zh-Hans)" in langs
    assert 'type="odk:rank"' in xform and "<instanceID/>" in xform


def test_stakeholder_picks_are_a_choice_list_of_the_registry(surveys, runner):
    result = runner.invoke(args=["tokens", "create-device", "Partner visits", "--survey", "partner-survey"])
    collect = Collect(surveys.test_client(), result.output.strip().splitlines()[-1])
    xform = collect.download("partner-survey").decode()
    with surveys.app_context():
        from app.models import Stakeholder
        ids = sorted(db.session.scalars(sa.select(Stakeholder.id)))
    listed = re.search(r'<instance id="stakeholders"><root>(.*?)</root></instance>', xform).group(1)
    assert sorted(re.findall(r"<name>([^<]+)</name>", listed)) == ids


def test_send_as_collect_does_stores_the_answers_once_on_channel_odk(collect, surveys):
    probe = collect.probe()
    assert probe.status_code == 204
    assert probe.headers["X-OpenRosa-Version"] == "1.0"
    assert int(probe.headers["X-OpenRosa-Accept-Content-Length"]) == surveys.config["MAX_CONTENT_LENGTH"]
    instance = collect.fill(collect.download("community-needs"), ANSWERS, "uuid:3f1c2b9e-5a4d-4e7b-9c1a-0d2e3f4a5b6c")
    response = collect.send(instance)
    assert response.status_code == 201, response.data
    assert response.headers["X-OpenRosa-Version"] == "1.0"
    body = ET.fromstring(response.data)
    assert body.tag == "{http://openrosa.org/http/response}OpenRosaResponse"
    [stored] = _stored(surveys)
    assert (stored.submission_id, stored.channel, stored.lang) == ("3f1c2b9e-5a4d-4e7b-9c1a-0d2e3f4a5b6c", "odk", "en")
    with surveys.app_context():
        version = db.session.get(SurveyVersion, stored.survey_version_id)
        rows = db.session.scalars(sa.select(Answer).where(Answer.response_id == stored.id)).all()
        assert answers_from_rows(version.survey_def, rows) == {
            **ANSWERS, "priorities": ["transport", "housing", "safety"],  # a top-3 ranking keeps three
        }


def test_a_resend_of_the_same_instance_is_acknowledged_and_stored_once(collect, surveys):
    instance = collect.fill(collect.download("community-needs"), {"priorities": ["jobs"]})
    first, again = collect.send(instance), collect.send(instance)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.data == first.data
    assert len(_stored(surveys)) == 1


def test_an_offline_batch_of_fifty_sent_in_one_go(collect, surveys):
    xform = collect.download("community-needs")
    batch = [collect.fill(xform, {"priorities": ["health"], "safety_rating": 1 + i % 5, "age_band": "18_24"})
             for i in range(50)]
    statuses = [collect.send(instance).status_code for instance in batch]
    statuses += [collect.send(instance).status_code for instance in batch[:5]]  # the network dropped 5 acks
    assert statuses == [201] * 55
    stored = _stored(surveys)
    assert len(stored) == 50 and {r.channel for r in stored} == {"odk"}


def test_answers_to_an_older_version_are_checked_against_that_version(collect, surveys, tmp_path):
    old_xform = collect.download("community-needs")
    changed = (SURVEYS_DIR / "community-needs.yaml").read_text().replace(
        "      - key: biggest_change\n",
        "      - key: postcode\n        type: short_text\n        label: Your postcode\n        required: true\n"
        "      - key: biggest_change\n")
    (tmp_path / "community-needs.yaml").write_text(changed)
    with surveys.app_context():
        from app.surveys.loader import load_surveys
        load_surveys(tmp_path)
        db.session.commit()
    assert re.fullmatch(r"2-[0-9a-f]{8}", collect.forms()["community-needs"]["version"])
    # Made on version 1 offline, sent after version 2 (which requires a postcode) was loaded.
    response = collect.send(collect.fill(old_xform, {"priorities": ["youth"]}))
    assert response.status_code == 201, response.data
    [stored] = _stored(surveys)
    with surveys.app_context():
        assert db.session.get(SurveyVersion, stored.survey_version_id).number == 1
    # The same answers on the new form lack the postcode.
    refused = collect.send(collect.fill(collect.download("community-needs"), {"priorities": ["youth"]}))
    assert refused.status_code == 400
    assert b"postcode" in refused.data


def test_revoked_device_is_refused_with_401(collect, surveys, runner):
    instance = collect.fill(collect.download("community-needs"), {"priorities": ["jobs"]})
    with surveys.app_context():
        device_id = db.session.scalar(sa.text("SELECT id FROM device_tokens"))
    result = runner.invoke(args=["tokens", "revoke-device", str(device_id)])
    assert result.exit_code == 0 and "revoked" in result.output
    for response in (collect.form_list(), collect.probe(), collect.post(instance),
                     collect.client.get(f"{collect.base}/forms/community-needs.xml")):
        assert response.status_code == 401
        assert response.headers["X-OpenRosa-Version"] == "1.0"
    assert _stored(surveys) == []


def test_create_device_refuses_a_survey_not_loaded(runner, surveys):
    result = runner.invoke(args=["tokens", "create-device", "Tablet", "--survey", "no-such-survey"])
    assert result.exit_code == 1
    assert "no survey no-such-survey" in result.output
    with surveys.app_context():
        assert db.session.scalar(sa.text("SELECT count(*) FROM device_tokens")) == 0
        assert Survey.by_slug("community-needs") is not None
