"""A survey as XLSForm rows: the `survey`, `choices` and `settings` sheets as lists of dicts.

One builder serves both XLSForm export (written out as a workbook) and the OpenRosa form
download (handed to pyxform, which makes the XForm), so a form on ODK Collect and a form
taken to a Kobo server say the same thing.

- Every language is a pair of columns, ``label::English (en)`` and ``hint::English (en)``
  (and ``constraint_message::…``), as Kobo and ODK name them; `default_language` is the survey's.
- Each question type says its XLSForm type, appearance and constraint (app/questions); a page is a ``begin group`` with the ``field-list``
  appearance; skip logic goes to XPath (relevant_to_xpath); our checks go to ``constraint``
  so a device refuses what the server would.
- What XLSForm has no column for (our own type, ranking's "top N", a stakeholder question's
  relationship, a demographic dimension, an exclusive choice) rides in ``cg_*`` columns, which
  pyxform, Kobo and ODK ignore and our XLSForm import reads back.
- The survey's intro and consent text open the form as notes named ``_intro`` and ``_consent``
  (question keys never start with ``_``, so they cannot collide).
"""
from __future__ import annotations

import ast
from collections.abc import Callable, Collection, Sequence

from babel import Locale, UnknownLocaleError

from app.questions import question_type
from app.questions.base import xpath_number
from app.surveydef.model import Question, SurveyDef
from app.surveydef.relevance import parse_expression

#: Choice list names that are not a question's key (each type names its own: xls_shared_list).
STAKEHOLDER_LIST = question_type("stakeholders").xls_shared_list
YES_NO_LIST = question_type("yes_no").xls_shared_list
#: Names of the notes that carry the survey's intro and consent text.
INTRO_NOTE, CONSENT_NOTE = "_intro", "_consent"

#: ``translate(lang, path, source)``: a survey text in `lang` (see app/surveydef/texts.py paths).
Translate = Callable[[str, str, str], str]


def language_column(code: str) -> str:
    """``English (en)``: the language part of a ``label::…`` column, as Kobo writes it."""
    try:
        name = Locale.parse(code).get_language_name("en") or code
    except (UnknownLocaleError, ValueError):
        name = code
    return f"{name} ({code.replace('_', '-')})"  # a BCP 47 tag, as ODK reads it: zh_Hans → zh-Hans


def survey_rows(survey: SurveyDef, *, languages: Sequence[str], translate: Translate, version: str = "",
                stakeholders: Sequence[tuple[str, str]] = (),
                yes_no_labels: dict[str, tuple[str, str]] | None = None) -> dict[str, list[dict]]:
    """The three sheets of `survey` as ``{"survey": rows, "choices": rows, "settings": rows}``.

    `languages` starts with the survey's own; `translate` gives each text in each of them
    (falling back to the source text is the caller's choice). `stakeholders` is the registry as
    ``(id, name)`` pairs, the choices of every stakeholder question. `yes_no_labels` gives
    ``{lang: ("Yes", "No")}`` in each language (English when missing).
    """
    languages = list(languages) or [survey.language]
    columns = {code: language_column(code) for code in languages}

    def texts(prefix: str, path: str, source: str) -> dict:
        if not source:
            return {}
        return {f"{prefix}::{columns[code]}": translate(code, path, source) for code in languages}

    rows: list[dict] = []
    if survey.intro:
        rows.append({"type": "note", "name": INTRO_NOTE, **texts("label", "intro", survey.intro)})
    if survey.consent_text:
        rows.append({"type": "note", "name": CONSENT_NOTE, **texts("label", "consent", survey.consent_text)})
    choices: list[dict] = []
    types = {q.key: q for q in survey.questions}
    for page in survey.pages:
        group = page_group_name(page.key, types)
        rows.append({"type": "begin group", "name": group, "appearance": "field-list", "cg_page": page.key,
                     **texts("label", f"page.{page.key}.title", page.title)})
        for q in page.questions:
            rows.append(_question_row(q, texts, types))
            choices.extend(_choice_rows(q, texts))
        rows.append({"type": "end group", "name": group})
    if any(question_type(q.type).xls_shared_list == STAKEHOLDER_LIST for q in survey.questions):
        choices.extend({"list_name": STAKEHOLDER_LIST, "name": sid,
                        **{f"label::{columns[code]}": name for code in languages}}
                       for sid, name in stakeholders)
    if any(question_type(q.type).xls_shared_list == YES_NO_LIST for q in survey.questions):
        labels = yes_no_labels or {}
        for index, value in enumerate(("yes", "no")):
            choices.append({"list_name": YES_NO_LIST, "name": value, **{
                f"label::{columns[code]}": labels.get(code, ("Yes", "No"))[index] for code in languages}})
    settings = {"form_title": survey.title, "form_id": survey.slug, "version": version,
                "default_language": columns[survey.language], "style": "pages",
                "cg_kind": survey.kind, "cg_consent_version": str(survey.consent_version)}
    return {"survey": rows, "choices": choices, "settings": [settings]}


def page_group_name(page_key: str, questions: Collection[str]) -> str:
    """A page's group name: its key, or ``<key>_page`` when a question has that key (XLSForm
    names must be unique across the form; ``cg_page`` keeps the page's own key)."""
    name = page_key
    while name in questions:
        name = f"{name}_page"
    return name


def _question_row(q: Question, texts, questions: dict[str, Question]) -> dict:
    kind = question_type(q.type)
    row = {"type": kind.xls_type_of(q), "name": q.key, "cg_type": q.type,
           **texts("label", f"{q.key}.label", q.label), **texts("hint", f"{q.key}.hint", q.hint)}
    if q.required:
        row["required"] = "yes"
    if kind.xls_appearance:
        row["appearance"] = kind.xls_appearance
    parameters = kind.xls_parameters(q)
    if parameters:
        row["parameters"] = parameters
    constraint = _constraint(q)
    if constraint:
        row["constraint"] = constraint
        row.update(texts("constraint_message", f"{q.key}.constraint_message", q.constraint_message))
    if q.relevant:
        row["relevant"] = relevant_to_xpath(q.relevant, questions)
    for extra in ("rank", "relationship", "dimension", "min_picks", "max_picks", "max_length"):
        value = getattr(q, extra)
        if value is not None:
            row[f"cg_{extra}"] = str(value)
    return row


def _constraint(q: Question) -> str:
    """Our answer checks (app/questions, each type's validate) as an XPath constraint on ``.``."""
    return " and ".join(question_type(q.type).xls_constraints(q))


def _choice_rows(q: Question, texts) -> list[dict]:
    if not question_type(q.type).takes_choices:  # a shared list (yes/no, stakeholders) or none
        return []
    return [{"list_name": q.key, "name": c.value, **texts("label", f"{q.key}.choice.{c.value}", c.label),
             **({"cg_exclusive": "yes"} if c.exclusive else {})} for c in q.choices]


class XPathError(ValueError):
    """A condition that XLSForm's XPath cannot say the same way."""


def relevant_to_xpath(source: str, questions: dict[str, Question]) -> str:
    """Our skip-logic expression (app/surveydef/relevance.py) as an XLSForm ``relevant`` XPath.

    ``'x' in q`` becomes ``selected(${q}, 'x')`` (for a ranking of the top N, a look at its first
    N places with ``selected-at``); ``q in ['a', 'b']`` becomes ``(${q} = 'a' or ${q} = 'b')``;
    ``q == null`` becomes ``${q} = ''``; a yes/no answer compares with ``'yes'``/``'no'``; a bare
    name is true when answered (yes/no: when yes). Raises XPathError for what has no XPath form.
    """
    return _xpath(parse_expression(source).tree, questions)


_XPATH_OPS = {ast.Eq: "=", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">="}
_NULLS = ("null", "None")
_BOOLS = {"true": True, "True": True, "false": False, "False": False}


def _xpath(node: ast.expr, questions: dict[str, Question]) -> str:
    if isinstance(node, ast.BoolOp):
        joiner = " and " if isinstance(node.op, ast.And) else " or "
        return "(" + joiner.join(_xpath(v, questions) for v in node.values) + ")"
    if isinstance(node, ast.UnaryOp):
        return f"not({_xpath(node.operand, questions)})"
    if isinstance(node, ast.Compare):
        parts, left = [], node.left
        for op, right in zip(node.ops, node.comparators):
            parts.append(_comparison(op, left, right, questions))
            left = right
        return parts[0] if len(parts) == 1 else "(" + " and ".join(parts) + ")"
    if isinstance(node, ast.Name) and node.id in questions:
        return _truthy(questions[node.id])
    if isinstance(node, ast.Name) and node.id in _BOOLS:
        return "true()" if _BOOLS[node.id] else "false()"
    if isinstance(node, ast.Name) and node.id in _NULLS:
        return "false()"
    if isinstance(node, ast.Constant):
        return "true()" if node.value else "false()"
    raise XPathError(f"'{ast.unparse(node)}' has no XPath form")


def _truthy(q: Question) -> str:
    return question_type(q.type).xpath_truthy(q)


def _comparison(op: ast.cmpop, left: ast.expr, right: ast.expr, questions: dict[str, Question]) -> str:
    if isinstance(op, (ast.In, ast.NotIn)):
        found = _membership(left, right, questions)
        if isinstance(op, ast.In):
            return found
        if isinstance(right, ast.Name):  # `x not in q` is false while q is unanswered, as in ours
            return f"(${{{right.id}}} != '' and not({found}))"
        return f"not({found})"
    question = next((questions[n.id] for n in (left, right)
                     if isinstance(n, ast.Name) and n.id in questions), None)
    return f"{_operand(left, question, questions)} {_XPATH_OPS[type(op)]} {_operand(right, question, questions)}"


def _membership(left: ast.expr, right: ast.expr, questions: dict[str, Question]) -> str:
    if isinstance(right, ast.Name) and right.id in questions and isinstance(left, ast.Constant):
        q = questions[right.id]
        return question_type(q.type).xpath_contains(q, _literal(left.value))
    if isinstance(right, (ast.List, ast.Tuple)) and isinstance(left, ast.Name):
        question = questions.get(left.id)
        options = [f"{_operand(left, question, questions)} = {_operand(e, question, questions)}"
                   for e in right.elts]
        return "(" + " or ".join(options) + ")" if options else "false()"
    raise XPathError(f"'{ast.unparse(left)} in {ast.unparse(right)}' has no XPath form")


def _operand(node: ast.expr, question: Question | None, questions: dict[str, Question]) -> str:
    if isinstance(node, ast.Name):
        if node.id in questions:
            return f"${{{node.id}}}"
        if node.id in _NULLS:
            return "''"
        if node.id in _BOOLS:
            return _boolean(_BOOLS[node.id], question)
        raise XPathError(f"'{node.id}' is not a question")
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool):
            return _boolean(node.value, question)
        if node.value is None:
            return "''"
        if isinstance(node.value, (int, float)):
            return xpath_number(node.value)
        return _literal(node.value)
    raise XPathError(f"'{ast.unparse(node)}' has no XPath form")


def _boolean(value: bool, question: Question | None) -> str:
    if question is not None:
        return question_type(question.type).xpath_boolean(value)
    return "true()" if value else "false()"


def _literal(value) -> str:
    text = str(value)
    if "'" not in text:
        return f"'{text}'"
    if '"' not in text:
        return f'"{text}"'
    raise XPathError(f"{text!r} holds both kinds of quote, which XPath 1.0 cannot write")
