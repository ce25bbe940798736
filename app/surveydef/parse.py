"""Turn a survey YAML file into a SurveyDef, collecting every mistake with its line."""
from __future__ import annotations

import re
from pathlib import Path

from app.questions.base import LIMIT_FIELDS
from app.questions.registry import question_type, type_names
from app.surveydef.errors import DefinitionError, SurveyFileError
from app.surveydef.model import Choice, Page, Question, SurveyDef
from app.surveydef.relevance import ExpressionError, parse_expression
from app.surveydef.yamlsource import LineDict, load_yaml

KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
#: Choice values may start with a digit (`18_24`, `65_plus`); question keys may not (skip logic names them).
VALUE_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_]*$")
SLUG_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
LANGUAGE_PATTERN = re.compile(r"^[a-z]{2,3}(_[A-Za-z]{2,4})?$")
SURVEY_KEYS = {"slug", "title", "language", "intro", "consent", "pages", "choice_lists", "kind"}
PAGE_KEYS = {"key", "title", "questions"}
CHOICE_KEYS = {"value", "label", "exclusive"}
QUESTION_KEYS = {
    "key", "type", "label", "hint", "required", "dimension", "choices", "min", "max", "integer",
    "min_picks", "max_picks", "rank", "max_length", "relevant", "constraint_message", "relationship",
}


def parse_survey_file(path: str | Path) -> SurveyDef:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise SurveyFileError(str(path), [DefinitionError("the file is not UTF-8 text")]) from None
    return parse_survey_text(text, str(path))


def parse_survey_text(text: str, filename: str = "<survey>") -> SurveyDef:
    """Parse and validate; raise SurveyFileError listing every mistake found."""
    errors: list[DefinitionError] = []
    try:
        data = load_yaml(text)
    except DefinitionError as exc:
        raise SurveyFileError(filename, [exc]) from None
    if not isinstance(data, LineDict):
        raise SurveyFileError(filename, [DefinitionError("a survey file must be a mapping (slug: …, pages: …)", 1)])
    survey = _Builder(data, errors).build()
    if errors:
        raise SurveyFileError(filename, errors)
    return survey


class _Builder:
    def __init__(self, data: LineDict, errors: list[DefinitionError]):
        self.data = data
        self.errors = errors
        self.seen_keys: set[str] = set()

    def error(self, message: str, line: int) -> None:
        self.errors.append(DefinitionError(message, line))

    def text(self, mapping: LineDict, key: str, *, required: bool = True, default: str = "") -> str:
        value = mapping.get(key)
        if value is None:
            if required:
                self.error(f"'{key}' is required", mapping.line)
            return default
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            self.error(f"'{key}' must be text", mapping.line_of(key))
            return default
        return str(value).strip()

    def unknown_keys(self, mapping: LineDict, allowed: set[str], where: str) -> None:
        for key in mapping:
            if key not in allowed:
                self.error(f"unknown key '{key}' in {where}", mapping.line_of(key))

    def build(self) -> SurveyDef | None:
        d = self.data
        self.unknown_keys(d, SURVEY_KEYS, "the survey")
        slug = self.text(d, "slug")
        if slug and not SLUG_PATTERN.match(slug):
            self.error(f"slug '{slug}' must be lowercase letters, digits and hyphens", d.line_of("slug"))
        language = self.text(d, "language")
        if language and not LANGUAGE_PATTERN.match(language):
            self.error(f"language '{language}' is not a language code such as en or es", d.line_of("language"))
        kind = self.text(d, "kind", required=False, default="resident")
        if kind not in ("resident", "partner"):
            self.error(f"kind '{kind}' must be resident or partner", d.line_of("kind"))
        consent = d.get("consent")
        consent_version, consent_text = 1, ""
        if not isinstance(consent, LineDict):
            self.error("'consent' is required: {version: 1, text: …}", d.line_of("consent"))
        else:
            consent_text = self.text(consent, "text")
            consent_version = consent.get("version", 1)
            if not isinstance(consent_version, int) or consent_version < 1:
                self.error("consent version must be a whole number from 1", consent.line_of("version"))
                consent_version = 1
        self.choice_lists = self.read_choice_lists(d.get("choice_lists"), d.line_of("choice_lists"))
        pages = self.read_pages(d.get("pages"), d.line_of("pages"))
        if self.errors:
            return None
        return SurveyDef(
            slug=slug, title=self.text(d, "title"), language=language,
            intro=self.text(d, "intro", required=False), consent_version=consent_version,
            consent_text=consent_text, pages=pages, kind=kind,
        )

    def read_choice_lists(self, raw, line: int) -> dict[str, tuple[Choice, ...]]:
        if raw is None:
            return {}
        if not isinstance(raw, LineDict):
            self.error("'choice_lists' must map a list name to its choices", line)
            return {}
        return {name: self.read_choices(raw[name], raw.line_of(name)) for name in raw}

    def read_choices(self, raw, line: int) -> tuple[Choice, ...]:
        """Choices as {value: label}, {value: {label:, exclusive:}} or [{value:, label:, exclusive:}];
        values are stable snake_case ids."""
        items: list[tuple[object, object, int]] = []
        if isinstance(raw, LineDict):
            items = [(value, raw[value], raw.line_of(value)) for value in raw]
        elif isinstance(raw, list):
            for item in raw:
                if not isinstance(item, LineDict) or "value" not in item:
                    self.error("each choice needs a value and a label", getattr(item, "line", line))
                    continue
                items.append((item["value"], item, item.line))
        else:
            self.error("choices must be a mapping of value: label, or the name of a choice list", line)
            return ()
        choices, seen = [], set()
        for value, spec, value_line in items:
            value = str(value)
            if not VALUE_PATTERN.match(value):
                self.error(f"choice value '{value}' must be snake_case ASCII (a stable id)", value_line)
            elif value in seen:
                self.error(f"duplicate choice value '{value}'", value_line)
            label, exclusive = self.choice_spec(value, spec, value_line)
            seen.add(value)
            choices.append(Choice(value, label, exclusive))
        if not choices:
            self.error("a choice list needs at least one choice", line)
        return tuple(choices)

    def choice_spec(self, value: str, spec, line: int) -> tuple[str, bool]:
        """(label, exclusive) of one choice given as a bare label or a mapping {label:, exclusive:}."""
        exclusive = False
        if isinstance(spec, LineDict):
            self.unknown_keys(spec, CHOICE_KEYS, f"choice '{value}'")
            exclusive = spec.get("exclusive", False)
            if not isinstance(exclusive, bool):
                self.error(f"'exclusive' of choice '{value}' must be true or false", spec.line_of("exclusive"))
                exclusive = False
            spec = spec.get("label")
        if not isinstance(spec, (str, int, float)) or isinstance(spec, bool) or str(spec).strip() == "":
            self.error(f"choice '{value}' needs a label", line)
            spec = value
        return str(spec).strip(), exclusive

    def read_pages(self, raw, line: int) -> tuple[Page, ...]:
        if not isinstance(raw, list) or not raw:
            self.error("'pages' must be a list with at least one page", line)
            return ()
        pages, page_keys = [], set()
        for index, page in enumerate(raw, start=1):
            if not isinstance(page, LineDict):
                self.error("each page must be a mapping with a title and questions", getattr(raw, "line", line))
                continue
            self.unknown_keys(page, PAGE_KEYS, "a page")
            key = self.text(page, "key", required=False, default=f"page_{index}")
            if not KEY_PATTERN.match(key) or key in page_keys:
                self.error(f"page key '{key}' must be unique snake_case", page.line_of("key"))
            page_keys.add(key)
            questions = page.get("questions")
            if not isinstance(questions, list) or not questions:
                self.error("a page needs a list of questions", page.line_of("questions"))
                questions = []
            read = [self.read_question(q, page.line) for q in questions]
            pages.append(Page(key=key, title=self.text(page, "title"), questions=tuple(q for q in read if q)))
        return tuple(pages)

    def read_question(self, q, line: int) -> Question | None:
        if not isinstance(q, LineDict):
            self.error("each question must be a mapping with a key, a type and a label", line)
            return None
        self.unknown_keys(q, QUESTION_KEYS, f"question '{q.get('key', '?')}'")
        key = self.text(q, "key")
        if key and not KEY_PATTERN.match(key):
            self.error(f"question key '{key}' must be snake_case ASCII", q.line_of("key"))
        elif key in self.seen_keys:
            self.error(f"duplicate question key '{key}'", q.line_of("key"))
        qtype = self.text(q, "type")
        if qtype and qtype not in type_names():
            self.error(f"unknown question type '{qtype}' (one of: {', '.join(type_names())})", q.line_of("type"))
            qtype = ""
        fields = dict(
            key=key, type=qtype, label=self.text(q, "label"), hint=self.text(q, "hint", required=False),
            required=self.flag(q, "required"), line=q.line,
            constraint_message=self.text(q, "constraint_message", required=False),
        )
        fields.update(self.type_fields(q, qtype))
        if "relevant" in q:
            fields["relevant"] = self.relevance(q)
        self.seen_keys.add(key)
        return Question(**fields)

    def flag(self, q: LineDict, name: str) -> bool:
        value = q.get(name, False)
        if not isinstance(value, bool):
            self.error(f"'{name}' must be true or false", q.line_of(name))
            return False
        return value

    def number(self, q: LineDict, name: str, *, whole: bool = False, minimum: float | None = None):
        value = q.get(name)
        if value is None:
            return None
        ok = isinstance(value, int) if whole else isinstance(value, (int, float))
        if isinstance(value, bool) or not ok or (minimum is not None and value < minimum):
            kind = "a whole number" if whole else "a number"
            floor = f" of at least {minimum}" if minimum is not None else ""
            self.error(f"'{name}' must be {kind}{floor}", q.line_of(name))
            return None
        return value

    def type_fields(self, q: LineDict, qtype: str) -> dict:
        """The fields only some types have: what the type reads (app/questions), and an error for
        each limit given to a type that has no use for it."""
        kind = question_type(qtype) if qtype else None
        fields: dict = {}
        if kind is not None and kind.takes_choices:
            fields["choices"] = self.question_choices(q, kind)
        elif "choices" in q:
            self.error(f"a {qtype} question takes no choices", q.line_of("choices"))
        if "dimension" in q:
            dimension = self.text(q, "dimension")
            if kind is None or not kind.allows_dimension:
                self.error("only a single_choice question can name a dimension", q.line_of("dimension"))
            elif not KEY_PATTERN.match(dimension):
                self.error(f"dimension '{dimension}' must be snake_case", q.line_of("dimension"))
            fields["dimension"] = dimension
        if kind is not None:
            fields.update(kind.parse_fields(self, q, fields))
        stray = set(LIMIT_FIELDS) - set(fields)
        for name in sorted(stray & set(q)):
            self.error(f"'{name}' does not apply to a {qtype or 'question of unknown type'}", q.line_of(name))
        return fields

    def question_choices(self, q: LineDict, kind) -> tuple[Choice, ...]:
        raw = q.get("choices")
        if raw is None:
            if kind.default_choices is not None:
                return kind.default_choices
            self.error(f"a {kind.name} question needs choices", q.line)
            return ()
        if isinstance(raw, str):
            if raw not in self.choice_lists:
                self.error(f"choice list '{raw}' does not exist", q.line_of("choices"))
                return ()
            choices = self.choice_lists[raw]
        else:
            choices = self.read_choices(raw, q.line_of("choices"))
        if not kind.allows_exclusive and any(c.exclusive for c in choices):
            self.error(f"only a multiple_choice question can have an exclusive choice (not a {kind.name})",
                       q.line_of("choices"))
        return choices

    def relevance(self, q: LineDict) -> str | None:
        source = q.get("relevant")
        if not isinstance(source, str) or not source.strip():
            self.error("'relevant' must be a condition such as \"'transport' in priorities\"", q.line_of("relevant"))
            return None
        try:
            parse_expression(source, self.seen_keys)
        except ExpressionError as exc:
            self.error(f"relevant: {exc}", q.line_of("relevant"))
            return None
        return source.strip()
