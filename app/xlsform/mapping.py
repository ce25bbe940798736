"""One XLSForm question (pyxform's JSON element) → one of our questions, as a YAML-ready mapping.

The `cg_*` columns are what our own export writes for what XLSForm cannot say (our type, a
demographic dimension, top-N ranking, exclusive choices…); a form from Kobo or ODK has none, and
is read from its standard columns alone. See README, "Coming from Kobo or ODK".
"""
from __future__ import annotations

import keyword
import re

from pyxform.question_type_dictionary import QUESTION_TYPE_DICT

from app.questions import question_type, type_names
from app.questions.short_text import MAX_TEXT_LENGTH
from app.surveydef.model import RELATIONSHIP_TYPES
from app.xlsform.xpath import constraint_bounds

#: Filled in by the device, not asked: Common Ground records when and through which channel an
#: answer arrived itself, so these are left out with a note rather than stopping the import.
METADATA_TYPES = {"start", "end", "today", "deviceid", "subscriberid", "simserial", "phonenumber", "username",
                  "email", "audit", "start-geopoint", "background-audio", "background-geopoint"}
#: pyxform type → why it has no equivalent.
NO_EQUIVALENT = {
    "calculate": "a calculation has no equivalent: our surveys store only what people answer",
    "hidden": "a hidden value has no equivalent: our surveys store only what people answer",
    "geopoint": "a location (geopoint) has no equivalent question type",
    "geotrace": "a location (geotrace) has no equivalent question type",
    "geoshape": "a location (geoshape) has no equivalent question type",
    "image": "a photo answer (media) has no equivalent question type",
    "audio": "an audio answer (media) has no equivalent question type",
    "video": "a video answer (media) has no equivalent question type",
    "file": "a file answer (media) has no equivalent question type",
    "barcode": "a barcode answer has no equivalent question type",
    "time": "a time of day has no equivalent question type (only dates)",
    "dateTime": "a date and time has no equivalent question type (only dates)",
    "acknowledge": "an acknowledge (OK) question has no equivalent question type",
    "trigger": "an acknowledge (OK) question has no equivalent question type",
    "select one external": "external choices (select_one_external) have no equivalent",
    "osm": "an OpenStreetMap question has no equivalent",
    "xml-external": "an external data file has no equivalent",
    "csv-external": "an external data file has no equivalent",
    "entity": "an entity has no equivalent",
}
SELECTS = {"select one": "single_choice", "select all that apply": "multiple_choice", "rank": "ranking"}
_EXCLUSIVE = re.compile(r"^\(?\s*not\s*\(\s*selected\s*\(\s*\.\s*,\s*'([^']+)'\s*\)\s*and\s*"
                        r"count-selected\s*\(\s*\.\s*\)\s*>\s*1\s*\)\s*\)?$")


_BY_BIND = {("string", "input"): "text", ("int", "input"): "integer", ("decimal", "input"): "decimal",
            ("date", "input"): "date", ("dateTime", "input"): "dateTime", ("binary", "upload"): "image",
            ("geopoint", "input"): "geopoint", ("barcode", "input"): "barcode", ("string", "trigger"): "acknowledge"}


def canonical_type(kind: str) -> str:
    """pyxform's JSON keeps old type aliases (`string`, `int`, `photo`, `q date` …): the type each means."""
    if kind in SELECTS or kind in NO_EQUIVALENT or kind in METADATA_TYPES or kind in (
            "text", "integer", "decimal", "range", "date", "note"):
        return kind
    spec = QUESTION_TYPE_DICT.get(kind)
    if spec is None:
        return kind
    if "calculate" in kind:
        return "calculate"
    if "note" in kind:
        return "note"
    tag, bind = spec.get("control", {}).get("tag"), spec.get("bind", {}).get("type")
    if tag is None:
        return "start"  # filled in by the device
    return _BY_BIND.get((bind, tag), kind)


def unsupported_type(kind: str, element: dict) -> str | None:
    """Why an element of this pyxform type is not carried over (``info:`` when nothing is lost), or None."""
    if kind in METADATA_TYPES or kind.startswith("uri:") or canonical_type(kind) == "start":
        return f"info:the device's {kind} value is not kept (Common Ground records when an answer arrives)"
    kind = canonical_type(kind)
    if kind in NO_EQUIVALENT:
        return NO_EQUIVALENT[kind]
    itemset = str(element.get("itemset", ""))
    if kind in SELECTS and itemset.endswith((".csv", ".xml", ".geojson")):
        return f"choices from a file ({itemset}) have no equivalent: choices must be listed in the form"
    if kind in SELECTS or kind in ("text", "integer", "decimal", "range", "date"):
        return None
    return f"the question type '{kind}' has no equivalent"


def _appearance(element: dict) -> str:
    return str(element.get("control", {}).get("appearance", ""))


def our_type(element: dict) -> tuple[str, bool]:
    """(our type, integer) for a supported element; `cg_type` (our export) wins."""
    kind = canonical_type(str(element.get("type")))
    declared = str(element.get("cg_type", "")).strip()
    integer = kind == "integer" or (kind == "range" and _whole_range(element))
    if declared in type_names():
        return declared, integer
    if kind in SELECTS:
        if kind == "select one" and "likert" in _appearance(element):
            return "likert", False
        return SELECTS[kind], False
    if kind == "text":
        return ("long_text" if "multiline" in _appearance(element) else "short_text"), False
    if kind == "range":
        return ("rating" if _rating_scale(element) else "number"), integer
    if kind in ("integer", "decimal"):
        return "number", integer
    return kind, False  # date


def _range(element: dict) -> tuple[float, float, float]:
    parameters = element.get("parameters") or {}
    return (float(parameters.get("start", 1)), float(parameters.get("end", 10)), float(parameters.get("step", 1)))


def _whole_range(element: dict) -> bool:
    start, end, step = _range(element)
    return all(float(v).is_integer() for v in (start, end, step))


def _rating_scale(element: dict) -> bool:
    start, end, step = _range(element)
    return _whole_range(element) and step == 1 and 0 < end - start <= 10


def question(mapper, element: dict, row: int, name: str) -> dict:
    """Our question for `element` (a supported type); texts go to the mapper's translations."""
    qtype, integer = our_type(element)
    key = mapper.unique(key_of(name), mapper.keys)
    if key != name:
        mapper.notes.append(f"survey:{row}: the name '{name}' is the key '{key}' (keys are snake_case)")
    q: dict = {"key": key, "type": qtype}
    bind = element.get("bind", {})
    dimension = str(element.get("cg_dimension", "")).strip()
    if dimension and question_type(qtype).allows_dimension:
        q["dimension"] = dimension
    q["label"] = mapper.text(element.get("label"), f"{key}.label", row, fallback=name)
    if not element.get("label"):
        mapper.notes.append(f"survey:{row}: the question has no label; its name '{name}' is the label")
    hint = mapper.text(element.get("hint"), f"{key}.hint", row)
    if hint:
        q["hint"] = hint
    if element.get("media"):
        mapper.issue("survey", row, "media on this question (image, audio or video) is not carried over")
    required = _required(bind.get("required", ""))
    if required is None:
        mapper.issue("survey", row, f"required '{bind.get('required')}' (a condition) is left out: "
                                    "our questions are required or not")
    elif required:
        q["required"] = True
    if bind.get("readonly") and str(bind.get("readonly")).strip().lower() not in ("", "no", "false", "false()"):
        mapper.issue("survey", row, "a read-only question has no equivalent")
    if element.get("default") not in (None, ""):
        mapper.issue("survey", row, f"the default answer '{element.get('default')}' is not carried over")
    if element.get("choice_filter"):
        mapper.issue("survey", row, f"choice_filter '{element['choice_filter']}' is left out: every choice is offered")
    carried = _type_fields(mapper, element, q, qtype, integer, row)
    if carried:
        message = mapper.text(bind.get("jr:constraintMsg"), f"{key}.constraint_message", row)
        if message:
            q["constraint_message"] = message
    return q


#: Words our skip logic reads as itself, so a key may not be one (`false` would be the literal).
RESERVED = {"true", "false", "null", "none"} | set(keyword.kwlist)


def key_of(name: str) -> str:
    """An XLSForm name as one of our keys: snake_case ASCII starting with a letter, not a reserved word."""
    key = re.sub(r"_+", "_", re.sub(r"[^a-z0-9_]", "_", name.strip().lower())).strip("_")
    return key if re.match(r"^[a-z]", key) and key not in RESERVED else f"q_{key}" if key else "q"


def _required(value) -> bool | None:
    text = str(value).strip().lower()
    if text in ("yes", "true", "true()", "1"):
        return True
    if text in ("", "no", "false", "false()", "0"):
        return False
    return None


def _type_fields(mapper, element: dict, q: dict, qtype: str, integer: bool, row: int) -> bool:
    """Fill the type's own keys; True when a constraint was carried over (its message then applies)."""
    bounds, rest = constraint_bounds(str(element.get("bind", {}).get("constraint") or ""), integer)
    carried = False
    exclusive: set[str] = set()
    kind = question_type(qtype)
    for part in list(rest):
        match = _EXCLUSIVE.match(part.strip())
        if match and kind.allows_exclusive:
            exclusive.add(match.group(1))
            rest.remove(part)
    if kind.takes_choices:
        _choices(mapper, element, q, row, exclusive)
    if "min" in kind.limits:
        low, high = (bounds.min, bounds.max)
        if str(element.get("type")) == "range":
            start, end, _step = _range(element)
            low, high = (start if low is None else max(low, start)), (end if high is None else min(high, end))
        if qtype == "rating" and (low is None or high is None or not float(low).is_integer() or high - low > 10):
            qtype = q["type"] = "number"
        for name, value in (("min", low), ("max", high)):
            if value is not None:
                q[name] = int(value) if float(value).is_integer() else value
        if qtype == "number" and integer:
            q["integer"] = True
        carried = bounds.min is not None or bounds.max is not None
    if "min_picks" in kind.limits:
        for name in ("min_picks", "max_picks"):
            value = getattr(bounds, name)
            if value is not None:
                carried = True
            value = _int(element.get(f"cg_{name}")) if value is None else value
            if value is not None:
                q[name] = value
        if q.get("min_picks") == 0:
            del q["min_picks"]
    if "rank" in kind.limits:
        rank = str(element.get("cg_rank", "")).strip()
        if rank.isdigit() and 0 < int(rank) <= len(q.get("choices", {})):
            q["rank"] = int(rank)
    if "max_length" in kind.limits:
        limit = bounds.max_length or _int(element.get("cg_max_length"))
        if limit and limit > MAX_TEXT_LENGTH:
            rest.append(f"string-length(.) <= {limit}")
        elif limit:
            q["max_length"] = limit
            carried = carried or bool(bounds.max_length)
    if "relationship" in kind.limits:
        relationship = str(element.get("cg_relationship", "")).strip()
        if relationship in RELATIONSHIP_TYPES:
            q["relationship"] = relationship
    leftover = rest + _misplaced(bounds, qtype)
    if leftover:
        source = element["bind"]["constraint"]
        mapper.issue("survey", row, f"constraint '{source}' is not carried over in full: "
                                    f"{' and '.join(leftover)} has no equivalent")
    return carried or bool(exclusive)


def _misplaced(bounds, qtype: str) -> list[str]:
    """Bounds read from the constraint that this type cannot hold."""
    wrong, limits = [], question_type(qtype).limits
    if "min" not in limits and (bounds.min is not None or bounds.max is not None):
        wrong.append(". (a bound on the value)")
    if "min_picks" not in limits and (bounds.min_picks or bounds.max_picks):
        wrong.append("count-selected(.)")
    if "max_length" not in limits and bounds.max_length:
        wrong.append("string-length(.)")
    return wrong


def _int(value) -> int | None:
    text = str(value or "").strip()
    return int(text) if text.isdigit() else None


def _choices(mapper, element: dict, q: dict, row: int, exclusive: set[str]) -> None:
    key, list_name = q["key"], str(element.get("list_name") or element.get("itemset") or "")
    choices, values, taken = {}, {}, set()
    media_noted = False
    for index, choice in enumerate(element.get("choices") or [], start=1):
        name = str(choice.get("name", ""))
        choice_row = mapper.form.choice_rows.get((list_name, name), row)
        value = _value(name, index, taken)
        if value != name:
            mapper.notes.append(f"choices:{choice_row}: the choice '{name}' is the value '{value}'")
        if choice.get("media") and not media_noted:
            media_noted = True
            mapper.issue("choices", choice_row, f"media on the choices of '{list_name}' is not carried over")
        label = mapper.text(choice.get("label"), f"{key}.choice.{value}", choice_row, fallback=name, sheet="choices")
        is_exclusive = name in exclusive or _required(choice.get("cg_exclusive", "")) is True
        if is_exclusive and q["type"] == "multiple_choice":
            choices[value] = {"label": label, "exclusive": True}
        else:
            choices[value] = label
        values[name] = value
    if not choices:
        mapper.issue("survey", row, f"the choice list '{list_name}' has no choices")
    q["choices"] = choices
    q["_values"] = values
    q["_list"] = list_name


def _value(name: str, index: int, taken: set[str]) -> str:
    value = re.sub(r"_+", "_", re.sub(r"[^a-z0-9_]", "_", name.strip().lower())).strip("_") or f"choice_{index}"
    candidate, n = value, 2
    while candidate in taken:
        candidate, n = f"{value}_{n}", n + 1
    taken.add(candidate)
    return candidate
