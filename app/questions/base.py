"""What every question type knows, with the behaviour most types share.

A question (app.surveydef.model.Question) is data; its type, one `QuestionType` subclass per
module of this package, is behaviour: how a survey file spells it, the JSON Schema of its answer,
its WTForms field and the conversion of what was posted, the check of an answer, the typed
`Answer` columns it is stored in (and read back from), its XLSForm row and its place in reports.
Callers ask `question_type(q.type)` (app.questions) instead of testing type names.

This package sits below every feature: it imports only the survey model, the vocabulary,
wtforms and flask_babel.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Collection

from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l
from wtforms import SelectMultipleField
from wtforms.widgets import CheckboxInput, ListWidget

from app.surveydef.model import Choice, Question


class AnswerError(ValueError):
    """An answer that does not fit its question; `message` is what the respondent reads."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


#: The largest magnitude any number answer may have: beyond it a float no longer holds every
#: whole number exactly, and no survey question needs more.
MAX_NUMBER = 10**15


def too_large():
    return _l("This number is too large: enter at most %(digits)s digits.", digits=format_decimal(15))


#: Text without NUL characters, which no database column can hold (app.core.security.safe_input).
STORABLE_TEXT = "^[^\\u0000]*$"
#: The same, with at least one character that is not white space (a required text answer).
STORABLE_NONBLANK_TEXT = "^[^\\u0000]*[^\\s\\u0000][^\\u0000]*$"

#: Every Answer row carries every value column, so one executemany inserts a whole response.
EMPTY_ROW = {"choice": None, "text": None, "number": None, "boolean": None, "date": None, "lang": None}
#: The Question fields that only some types use; a survey file giving one to another type is an error.
LIMIT_FIELDS = ("min", "max", "integer", "min_picks", "max_picks", "rank", "max_length", "relationship")

_WHITESPACE = re.compile(r"\s+")
_INTEGER = re.compile(r"[-+]?\d{1,16}")
_DECIMAL = re.compile(r"[-+]?(\d{1,16}(\.\d*)?|\.\d+)([eE][-+]?\d{1,3})?")


def xsd_number(text: str):
    """An XForm's number text as int or float; the text itself when it is none (the check refuses it)."""
    if _INTEGER.fullmatch(text):
        return int(text)
    if _DECIMAL.fullmatch(text):
        return float(text)
    return text


def xpath_number(value: float) -> str:
    """A bound as XPath writes it: 3, not 3.0."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


class CheckboxListField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class QuestionType:
    """One question type. Subclasses set `name` and override what differs; `register` adds them."""

    #: The `type:` of a survey file, stored in every version (never rename one).
    name: str = ""
    #: It offers the question's choices (`choices:` is needed, or `default_choices` used).
    takes_choices = False
    #: Choices used when a survey file gives none (likert's scale); None: choices are needed.
    default_choices: tuple[Choice, ...] | None = None
    #: A choice may be marked exclusive ("None of these").
    allows_exclusive = False
    #: The limits (LIMIT_FIELDS) its questions hold; a survey file may give it only these.
    limits: frozenset[str] = frozenset()
    #: It may name a demographic dimension (its answer then groups respondents in reports).
    allows_dimension = False
    #: Its answer is a list, stored one Answer row per item in order.
    is_list = False
    #: Its answer is free text: stored with its language and tagged with themes in the background.
    is_text = False
    #: Its answers are ids from the stakeholder register (callers then pass `stakeholder_ids`).
    uses_stakeholders = False
    #: Its answer is a number (XPath compares it as one; skip logic reads 0 as no).
    is_numeric = False
    #: The Answer column a single value is stored in.
    column = "choice"
    #: How the export reads and writes it (app.reporting.export: choice, text, integer, number, date, boolean, list).
    export_kind = "choice"
    #: Its answers are shares of a fixed set of values, which the weighted reports can rake.
    shared_in_reports = False
    #: XLSForm type (``{list}``: the choice list's name), appearance and shared choice list.
    xls_type = "text"
    xls_appearance: str | None = None
    xls_shared_list: str | None = None

    # --- the survey file ---------------------------------------------------------------------

    def parse_fields(self, reader, q, fields: dict) -> dict:
        """This type's own Question fields from the YAML mapping `q`. `reader` (the survey parser)
        offers number(), flag(), text() and error(); `fields` holds the choices read so far."""
        return {}

    # --- the JSON API ------------------------------------------------------------------------

    def json_schema(self, q: Question, stakeholder_ids: Collection[str]) -> dict:
        """The JSON Schema of an answer the API accepts: if anything stricter than validate()."""
        raise NotImplementedError(f"no schema for question type {self.name}")

    def validate(self, q: Question, value, *, stakeholder_ids: Collection[str] = ()):
        """The typed, normalised value, or AnswerError with what the respondent reads."""
        raise NotImplementedError

    def check_exclusive(self, q: Question, clean, label_of: Callable[[Choice], object]) -> None:
        """Refuse a clean answer whose parts cannot go together (after the constraint message applies)."""

    def definition_json(self, q: Question) -> dict:
        """Keys of its own in the survey definition the API serves (beside those every question has)."""
        return {}

    # --- the resident form -------------------------------------------------------------------

    #: How respond/_macros.html draws its fields: "radio" or "checkbox" (a fieldset of options),
    #: "ranking" (a select per place) or "field" (the WTForms field's own widget, with its label).
    form_layout = "field"

    def form_fields(self, q: Question, label, choices: list, stakeholders: list[tuple[str, str]]) -> dict:
        """{field name: unbound WTForms field}; `choices` are the translated SelectChoices."""
        raise NotImplementedError

    def from_form(self, q: Question, form, locale: str):
        """What was posted → the value the JSON API takes (the check judges it, not this).
        May raise AnswerError when the text must be asked for again."""
        data = form[q.key].data
        return data.strip() if isinstance(data, str) else data

    def to_form(self, q: Question, value, locale: str) -> dict:
        """A draft answer → {field name: data}, to show the page again."""
        return {q.key: value}

    # --- storage ----------------------------------------------------------------------------

    def answer_rows(self, q: Question, value, lang: str) -> list[dict]:
        """Typed rows (Answer column → value) for one clean answer, for a bulk insert."""
        if self.is_list:
            return [{**EMPTY_ROW, "question_key": q.key, "position": i, "choice": item}
                    for i, item in enumerate(value)]
        row = {**EMPTY_ROW, "question_key": q.key, "position": 0, self.column: self.to_column(q, value)}
        if self.is_text:
            row["lang"] = lang
        return [row]

    def to_column(self, q: Question, value):
        return value

    def from_column(self, q: Question, stored):
        return stored

    def answer_value(self, q: Question, rows: list):
        """The inverse of answer_rows: the API value from one answer's rows, in position order."""
        if self.is_list:
            return [row.choice for row in rows]
        return self.from_column(q, getattr(rows[-1], self.column))

    def export_kind_of(self, q: Question) -> str:
        return self.export_kind

    # --- OpenRosa and XLSForm --------------------------------------------------------------

    def from_xform_text(self, q: Question, text: str):
        """An XForm instance's text (stripped, not blank) → the value the JSON API takes."""
        if self.is_list:
            return _WHITESPACE.split(text)
        return text

    def xls_type_of(self, q: Question) -> str:
        return self.xls_type.format(list=self.xls_shared_list or q.key)

    def xls_parameters(self, q: Question) -> str | None:
        return None

    def xls_constraints(self, q: Question) -> list[str]:
        """Our checks as XPath conditions on ``.`` (joined with `and` by the caller)."""
        return []

    def xpath_truthy(self, q: Question) -> str:
        """XPath for a bare mention of the question in skip logic (true when answered)."""
        if self.is_numeric:
            return f"(${{{q.key}}} != '' and ${{{q.key}}} != 0)"
        return f"${{{q.key}}} != ''"

    def xpath_boolean(self, value: bool) -> str:
        """XPath for true/false compared with this question's answer."""
        return "true()" if value else "false()"

    def xpath_contains(self, q: Question, literal: str) -> str:
        """XPath for our `'x' in q` (`literal` already quoted)."""
        if self.is_list:
            return f"selected(${{{q.key}}}, {literal})"
        return f"${{{q.key}}} = {literal}"  # `'a' in single_choice` in the JSON API is a substring test

    # --- reports ---------------------------------------------------------------------------

    def report_order(self, q: Question) -> list[str]:
        """The values in the order a reader expects them (the survey's choices by default)."""
        return list(q.choice_values)

    def stored_value(self, q: Question, report_value: str):
        """A value as reports and indicators write it ("yes", "4", a choice) → as its column holds it."""
        return report_value

    def report_labels(self, q: Question, t) -> dict:
        """{value: label in the reader's language}; `t` is the survey's translator."""
        return {c.value: t(f"{q.key}.choice.{c.value}", c.label) for c in q.choices}

    def __repr__(self) -> str:
        return f"<question type {self.name}>"


# --- Pieces several types share -----------------------------------------------------------------

def choice_list(q: Question, value, allowed: Collection[str] | None = None) -> list:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise AnswerError(_l("Choose from the options given."))
    allowed = q.choice_values if allowed is None else allowed
    if any(v not in allowed for v in value):
        raise AnswerError(_l("Choose from the options given."))
    if len(set(value)) != len(value):
        raise AnswerError(_l("Each option can be chosen only once."))
    return list(value)


def picks_schema(q: Question, values: Collection[str], *, max_items: int | None) -> dict:
    """The JSON Schema of a list of distinct picks among `values`."""
    schema: dict = {"type": "array", "uniqueItems": True}
    if values:
        schema["items"] = {"enum": sorted(values)}
    else:
        schema["maxItems"] = 0
        return schema
    low = max(q.min_picks or 0, 1 if q.required else 0)
    if low:
        schema["minItems"] = low
    if max_items is not None:
        schema["maxItems"] = max_items
    return schema


def parse_bounds(reader, q) -> dict:
    """`min` and `max` of a number or rating (None when not given)."""
    return {"min": reader.number(q, "min"), "max": reader.number(q, "max")}


def check_bounds_order(reader, q, fields: dict) -> None:
    if fields["min"] is not None and fields["max"] is not None and fields["min"] > fields["max"]:
        reader.error("'min' is greater than 'max'", q.line_of("min"))
