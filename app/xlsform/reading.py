"""Read an XLSForm with pyxform: its JSON form (what pyxform itself makes of the file) and the
sheet row of every named survey element and choice, for `sheet:row` messages.

pyxform reads .xlsx, .xls (and its .md/.csv forms), cleans headers (stray spaces, case, `label::`
or `label:`), skips blank rows and applies the settings sheet; it refuses a broken form with a
message that usually names the sheet and row already.
"""
from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from pyxform import aliases, constants
from pyxform.errors import PyXFormError
from pyxform.parsing.sheet_headers import dealias_and_group_headers
from pyxform.question import MultipleChoiceQuestion, Option
from pyxform.xls2json import workbook_to_json
from pyxform.xls2json_backends import get_xlsform

_ROW = re.compile(r"\[row\s*:\s*(\d+)\]")
_SHEET = re.compile(r"'(survey|choices|settings|external_choices|entities)' sheet")


def _where(message: str) -> str:
    """``sheet:row: `` in front of pyxform's message when it names a row (its sheet is the survey
    sheet unless the message names another)."""
    row = _ROW.search(message)
    if not row:
        return ""
    sheet = _SHEET.search(message)
    return f"{sheet.group(1) if sheet else 'survey'}:{row.group(1)}: "


class XLSFormRejected(Exception):
    """pyxform refused the file; the message is pyxform's, with the file's name in front."""


@dataclass
class XLSForm:
    """pyxform's JSON form plus where each element came from."""
    data: dict
    survey_rows: dict[str, int] = field(default_factory=dict)      # element name → row
    choice_rows: dict[tuple[str, str], int] = field(default_factory=dict)  # (list, choice) → row
    warnings: list[str] = field(default_factory=list)


def read_xlsform(path: str | Path) -> XLSForm:
    """Parse `path` with pyxform; raise XLSFormRejected with pyxform's message if it refuses it."""
    path = Path(path)
    notices: list[str] = []
    try:
        with warnings.catch_warnings():
            # openpyxl warns about workbook features a form does not use (data validation, extensions)
            warnings.filterwarnings("ignore", category=UserWarning, module="openpyxl")
            definition = get_xlsform(str(path))
        data = workbook_to_json(definition, fallback_form_name=definition.fallback_form_name, warnings=notices)
        # Building the survey runs pyxform's remaining checks (references to unknown ${names}, …).
        from pyxform.builder import create_survey_element_from_dict
        create_survey_element_from_dict(data).to_xml(validate=False, warnings=notices)
    except PyXFormError as exc:
        raise XLSFormRejected(f"{path.name}: {_where(str(exc))}{exc}") from None
    except (ValueError, KeyError, TypeError) as exc:  # pyxform lets a few of these through on odd files
        raise XLSFormRejected(f"{path.name}: pyxform cannot read this file ({exc})") from None
    form = XLSForm(data=data, warnings=notices)
    if definition.survey:
        survey = dealias_and_group_headers(
            sheet_name="survey", sheet_data=definition.survey, sheet_header=definition.survey_header,
            header_aliases=aliases.survey_header, header_columns=set(MultipleChoiceQuestion.get_slot_names()))
        for row, values in enumerate(survey.data, start=2):
            name, kind = values.get("name"), str(values.get("type", ""))
            if name and not kind.lower().startswith("end"):
                form.survey_rows.setdefault(str(name), row)
    if definition.choices:
        choices = dealias_and_group_headers(
            sheet_name="choices", sheet_data=definition.choices, sheet_header=definition.choices_header,
            header_aliases=aliases.list_header, header_columns=set(Option.get_slot_names()))
        for row, values in enumerate(choices.data, start=2):
            list_name = values.get(constants.LIST_NAME_S)  # pyxform's own key: "list name"
            if list_name and values.get("name") is not None:
                form.choice_rows.setdefault((str(list_name), str(values["name"])), row)
    return form
