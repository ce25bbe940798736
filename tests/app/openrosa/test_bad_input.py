"""What a device may send wrong: each gets an OpenRosa error with the right status, never a 500,
and nothing is stored."""
import io
import xml.etree.ElementTree as ET

import pytest
import sqlalchemy as sa

from app.core.extensions import db
from app.models import Response
from tests.app.openrosa.collect import Collect

BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>
<data id="community-needs" version="{version}"><priorities><biggest_change>&lol4;</biggest_change></priorities>
<meta><instanceID>uuid:5b0e3a52-8f0c-4f7e-a3c1-9b2d4e6f8a01</instanceID></meta></data>"""
EXTERNAL = b"""<?xml version="1.0"?><!DOCTYPE data [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<data id="community-needs" version="{version}"><priorities><biggest_change>&x;</biggest_change></priorities>
<meta><instanceID>uuid:5b0e3a52-8f0c-4f7e-a3c1-9b2d4e6f8a02</instanceID></meta></data>"""


@pytest.fixture
def collect(surveys, runner):
    result = runner.invoke(args=["tokens", "create-device", "Tablet", "--survey", "community-needs"])
    return Collect(surveys.test_client(), result.output.strip().splitlines()[-1])


@pytest.fixture
def form(collect):
    xform = collect.download("community-needs")
    version = ET.fromstring(xform).find(".//{http://www.w3.org/2002/xforms}data").get("version")
    return xform, version


def _instance(collect, form, answers=None, **replace):
    text = collect.fill(form[0], answers or {"priorities": ["jobs"]}).decode()
    for old, new in replace.items():
        text = text.replace(old.replace("_", "-") if old == "community_needs" else old, new)
    return text.encode()


def _refused(app, response, status: int, words: str):
    assert response.status_code == status, response.data
    assert response.headers["X-OpenRosa-Version"] == "1.0"
    body = ET.fromstring(response.data)
    message = body.find("{http://openrosa.org/http/response}message")
    assert message.get("nature") == "error"
    assert words in message.text, message.text
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Response)) == 0


def test_unknown_fields(collect, form, surveys):
    instance = _instance(collect, form).replace(b"<meta>", b"<salary>90000</salary><meta>")
    _refused(surveys, collect.send(instance), 400, "not in the form: salary")


def test_a_field_nested_where_the_form_has_none(collect, form, surveys):
    instance = _instance(collect, form).replace(b"<biggest_change />", b"<biggest_change><x>1</x></biggest_change>")
    _refused(surveys, collect.send(instance), 400, "not in the form: biggest_change")


def test_a_question_sent_twice(collect, form, surveys):
    instance = _instance(collect, form).replace(b"<biggest_change />", b"<biggest_change>a</biggest_change>"
                                                                        b"<biggest_change>b</biggest_change>")
    _refused(surveys, collect.send(instance), 400, "not in the form: biggest_change")


def test_wrong_form_id(collect, form, surveys):
    instance = _instance(collect, form).replace(b'id="community-needs"', b'id="household-census"')
    _refused(surveys, collect.send(instance), 404, "no such form")


def test_a_form_of_another_device(collect, form, surveys):
    instance = _instance(collect, form).replace(b'id="community-needs"', b'id="partner-survey"')
    _refused(surveys, collect.send(instance), 403, "may not send to that form")


@pytest.mark.parametrize("version", ["9-0123abcd", "1", "", "latest"])
def test_wrong_form_version(collect, form, surveys, version):
    instance = _instance(collect, form).replace(f'version="{form[1]}"'.encode(), f'version="{version}"'.encode())
    _refused(surveys, collect.send(instance), 404, "form version this server never gave out")


@pytest.mark.parametrize("xml", [b"", b"not xml", b"<data id='community-needs'>", b"\xff\xfe<data/>",
                                 b"<data id='community-needs' version='1-0'><meta/></data>",
                                 b"<data version='1-0'><meta><instanceID>uuid:1</instanceID></meta></data>"])
def test_malformed_xml(collect, surveys, xml):
    _refused(surveys, collect.send(xml), 400, "could not be read")


@pytest.mark.parametrize("document", [BOMB, EXTERNAL])
def test_xml_bomb_and_external_entities(collect, form, surveys, document):
    _refused(surveys, collect.send(document.replace(b"{version}", form[1].encode())), 400, "could not be read")


def test_oversize(collect, form, surveys):
    padding = b"x" * (surveys.config["MAX_CONTENT_LENGTH"] + 1)
    instance = _instance(collect, form).replace(b"<biggest_change />", b"<biggest_change>" + padding + b"</biggest_change>")
    _refused(surveys, collect.send(instance), 413, "more than we can accept")


def test_no_xml_submission_file(collect, form, surveys):
    _refused(surveys, collect.post(_instance(collect, form), field="file"), 400, "xml_submission_file")


def test_an_instance_id_we_cannot_keep(collect, form, surveys):
    instance = collect.fill(form[0], {"priorities": ["jobs"]}, instance_id="uuid:a b")
    _refused(surveys, collect.send(instance), 400, "instanceID")


@pytest.mark.parametrize(("answers", "words"), [
    ({"priorities": ["jobs"], "age_band": "centenarian"}, "age_band: Choose one of the options given."),
    ({"priorities": ["jobs"], "household_size": "many"}, "household_size: Enter a number."),
    ({"priorities": ["jobs"], "safety_rating": "6"}, "safety_rating: Choose a rating from 1 to 5."),
    ({"priorities": ["jobs"], "years_here": "101"}, "years_here: Enter a whole number of years from 0 to 100."),
    ({"priorities": ["jobs"], "recommend": "maybe"}, "recommend: Answer yes or no."),
    ({"priorities": ["jobs"], "moved_in": "31/12/2025", "years_here": 0}, "moved_in: Enter a date"),
    ({"biggest_change": "No ranking given"}, "priorities: This question needs an answer."),
])
def test_answers_checked_as_the_json_api_checks_them(collect, form, surveys, answers, words):
    _refused(surveys, collect.send(collect.fill(form[0], answers)), 400, words)


def test_errors_in_the_device_language(collect, form, surveys):
    instance = collect.fill(form[0], {"priorities": ["jobs"], "recommend": "maybe"})
    response = collect.client.post(f"{collect.base}/submission", headers={"Accept-Language": "fr"},
                                   data={"xml_submission_file": (io.BytesIO(instance), "i.xml")})
    assert response.status_code == 400
    assert "recommend: Répondez oui ou non." in response.data.decode()
