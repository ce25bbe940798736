"""A submitted instance (the answers ODK Collect or Enketo send) read safely into our answers.

The XML is parsed with defusedxml and any DTD refused, so entity expansion ("billion laughs"),
external entities and the like never run; its size is bounded before it is read. Values are
mapped back to the answer shapes of the JSON API (app/responses/submission.py) and then checked by the
same code (app/responses/intake.py): here only the XForm's spelling is undone, nothing is judged.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from app.questions import question_type
from app.surveydef.model import SurveyDef
from app.xlsform.rows import CONSENT_NOTE, INTRO_NOTE, page_group_name

#: Elements every XForm instance may carry that are not answers.
META = "meta"
#: ODK's instance ids are "uuid:" and a UUID; ours are the UUID (a JSON API submission id).
UUID_PREFIX = "uuid:"


class InstanceError(ValueError):
    """An instance that cannot be read: malformed, a DTD, no form id or instance id."""


@dataclass(frozen=True)
class Instance:
    form_id: str
    version: str
    instance_id: str
    #: The root's children, page groups with their questions inside.
    elements: list[Element] = field(default_factory=list)

    @property
    def submission_id(self) -> str:
        """Our submission id: the instance id without ODK's ``uuid:``."""
        return self.instance_id.removeprefix(UUID_PREFIX)


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def parse_instance(data: bytes) -> Instance:
    """Read an instance document; raise InstanceError saying what is wrong with it."""
    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise InstanceError("the XML declares a DTD or entities, which submissions never need") from None
    except (ParseError, ValueError) as exc:
        raise InstanceError(f"the XML cannot be read: {exc}") from None
    attributes = {_local(k): v for k, v in root.attrib.items()}
    form_id = attributes.get("id", "")
    instance_id = ""
    for child in root:
        if _local(child.tag) == META:
            instance_id = next(((c.text or "").strip() for c in child if _local(c.tag) == "instanceID"), "")
    if not form_id:
        raise InstanceError("the instance names no form (an 'id' attribute on its root)")
    if not instance_id:
        raise InstanceError("the instance has no meta/instanceID")
    return Instance(form_id, attributes.get("version", ""), instance_id, list(root))


def instance_answers(survey: SurveyDef, instance: Instance) -> tuple[dict, list[str]]:
    """``(answers, unknown)``: the answers in JSON API form, and the names of elements that are
    not questions of `survey` (a form of another version, or a forged one), or come twice."""
    questions = {q.key: q for q in survey.questions}
    groups = {page_group_name(page.key, questions): page for page in survey.pages}
    answers: dict = {}
    unknown: list[str] = []
    seen: set[str] = set()

    def take(element: Element) -> None:
        name = _local(element.tag)
        q = questions.get(name)
        if q is None or len(element) or name in seen:
            unknown.append(name)
            return
        seen.add(name)
        value = _value(q, element.text or "")
        if value is not None:
            answers[name] = value

    for element in instance.elements:
        name = _local(element.tag)
        if name in (META, INTRO_NOTE, CONSENT_NOTE):
            continue
        if name in groups and len(element):
            for child in element:
                take(child)
        else:
            take(element)
    return answers, unknown


def _value(q, text: str):
    """One question's value as the JSON API has it; None for no answer. What cannot be read
    as the type is passed on as text, so the shared checks refuse it in the usual words."""
    text = text.strip()
    if text == "":
        return None
    return question_type(q.type).from_xform_text(q, text)
