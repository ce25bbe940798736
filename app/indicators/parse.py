"""Turn an indicator YAML file into an IndicatorDef, collecting every mistake with its line.

The format is documented in surveys/README.md ("Indicators"). With the surveys at hand (a
{slug: SurveyDef} mapping) the source question, its counted answers and the dimensions are
checked against them too; a file naming an unknown question, choice or dimension is refused.
"""
from __future__ import annotations

import math
import re
from pathlib import Path

from analysis.periods import FREQUENCIES, PeriodError, format_hint, parse_period
from app.indicators.model import POLARITIES, UNITS, IndicatorDef, PeriodValue, Source
from app.questions import question_type
from app.surveydef.errors import DefinitionError, SurveyFileError
from app.surveydef.model import SurveyDef
from app.surveydef.parse import KEY_PATTERN, LANGUAGE_PATTERN, VALUE_PATTERN
from app.surveydef.yamlsource import LineDict, LineList, load_yaml

INDICATOR_KEYS = {
    "key", "title", "description", "language", "unit", "polarity", "frequency", "result",
    "result_title", "source", "disaggregate", "baseline", "targets", "reported_by",
}
SOURCE_KEYS = {"survey", "question", "share_of", "mean", "count", "weighted"}
STAKEHOLDER_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


class IndicatorFileError(SurveyFileError):
    """Every mistake found in one indicator file; `str()` gives one `file:line: message` per line."""


def parse_indicator_file(path: str | Path, surveys: dict[str, SurveyDef] | None = None) -> IndicatorDef:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise IndicatorFileError(str(path), [DefinitionError("the file is not UTF-8 text")]) from None
    return parse_indicator_text(text, str(path), surveys)


def parse_indicator_text(text: str, filename: str = "<indicator>",
                         surveys: dict[str, SurveyDef] | None = None) -> IndicatorDef:
    """Parse and validate; raise IndicatorFileError listing every mistake found.

    The key must be the file's name (`feel_safe.yaml` holds `key: feel_safe`) unless the
    text has no real file name. `surveys`: check the source and dimensions against them."""
    try:
        data = load_yaml(text)
    except DefinitionError as exc:
        raise IndicatorFileError(filename, [exc]) from None
    if not isinstance(data, LineDict):
        raise IndicatorFileError(filename, [DefinitionError("an indicator file must be a mapping (key: …, title: …)", 1)])
    errors: list[DefinitionError] = []
    stem = Path(filename).stem if filename.endswith((".yaml", ".yml")) else None
    indicator = _Builder(data, errors, surveys, stem).build()
    if errors:
        raise IndicatorFileError(filename, errors)
    return indicator


def survey_dimensions(surveys: dict[str, SurveyDef]) -> dict[str, set[str]]:
    """{dimension: {category}} named by the surveys' demographic questions."""
    found: dict[str, set[str]] = {}
    for survey in surveys.values():
        for q in survey.questions:
            if q.dimension:
                found.setdefault(q.dimension, set()).update(c.value for c in q.choices if c.value != "prefer_not")
    return found


class _Builder:
    def __init__(self, data: LineDict, errors: list[DefinitionError], surveys, stem):
        self.data, self.errors, self.surveys, self.stem = data, errors, surveys, stem

    def error(self, message: str, line: int) -> None:
        self.errors.append(DefinitionError(message, line))

    def text(self, key: str, *, required: bool = True) -> str:
        value = self.data.get(key)
        if value is None:
            if required:
                self.error(f"'{key}' is required", self.data.line)
            return ""
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            self.error(f"'{key}' must be text", self.data.line_of(key))
            return ""
        return str(value).strip()

    def one_of(self, key: str, allowed: tuple[str, ...]) -> str:
        value = self.text(key)
        if value and value not in allowed:
            self.error(f"{key} '{value}' must be one of {', '.join(allowed)}", self.data.line_of(key))
        return value

    def build(self) -> IndicatorDef | None:
        d = self.data
        for key in d:
            if key not in INDICATOR_KEYS:
                self.error(f"unknown key '{key}' in the indicator", d.line_of(key))
        key = self.text("key")
        if key and not KEY_PATTERN.match(key):
            self.error(f"key '{key}' must be lowercase letters, digits and underscores, starting with a letter",
                       d.line_of("key"))
        elif key and self.stem and key != self.stem:
            self.error(f"key '{key}' must be the file's name ({self.stem}.yaml holds key: {self.stem})", d.line_of("key"))
        language = self.text("language", required=False) or "en"
        if not LANGUAGE_PATTERN.match(language):
            self.error(f"language '{language}' is not a language code such as en or es", d.line_of("language"))
        unit = self.one_of("unit", UNITS)
        polarity = self.one_of("polarity", POLARITIES)
        frequency = self.one_of("frequency", FREQUENCIES)
        result = self.text("result")
        if result and not KEY_PATTERN.match(result):
            self.error(f"result '{result}' must be lowercase letters, digits and underscores", d.line_of("result"))
        source = self.read_source(unit)
        disaggregate = self.read_disaggregate()
        frequency_ok = frequency in FREQUENCIES
        baseline = self.read_value(d.get("baseline"), d.line_of("baseline"), "baseline", unit, frequency_ok and frequency)
        targets = self.read_targets(unit, frequency_ok and frequency, baseline)
        reported_by = self.read_reported_by(source)
        if self.errors:
            return None
        return IndicatorDef(
            key=key, title=self.text("title"), description=self.text("description", required=False),
            language=language, unit=unit, polarity=polarity, frequency=frequency, result=result,
            result_title=self.text("result_title", required=False), source=source,
            disaggregate=disaggregate, baseline=baseline, targets=targets, reported_by=reported_by,
        )

    # -- source -------------------------------------------------------------------------------

    def read_source(self, unit: str) -> Source | None:
        raw, line = self.data.get("source"), self.data.line_of("source")
        if raw == "reported":
            return Source(kind="reported")
        if not isinstance(raw, LineDict):
            self.error("'source' must be reported or {survey: …, question: …, share_of: […] | mean: true | count: true}",
                       line)
            return None
        for key in raw:
            if key not in SOURCE_KEYS:
                self.error(f"unknown key '{key}' in source", raw.line_of(key))
        survey_slug = str(raw.get("survey") or "")
        if not survey_slug:
            self.error("source needs 'survey': the slug of the survey it counts", raw.line)
        question_key = raw.get("question")
        kinds = [name for name in ("share_of", "mean", "count") if raw.get(name) not in (None, False)]
        if len(kinds) != 1:
            self.error("source needs exactly one of share_of: […], mean: true or count: true", raw.line)
            return None
        statistic = {"share_of": "share", "mean": "mean", "count": "count"}[kinds[0]]
        weighted = raw.get("weighted", False)
        if not isinstance(weighted, bool):
            self.error("weighted must be true or false", raw.line_of("weighted"))
            weighted = False
        if weighted and statistic == "count":
            self.error("a count cannot be weighted (weighting applies to shares and means)", raw.line_of("weighted"))
        if statistic != "count" and not question_key:
            self.error(f"a {statistic} needs 'question': the key of the question it reads", raw.line)
        if statistic == "share" and unit and unit != "percent":
            self.error(f"a share is a percent: unit must be percent, not {unit}", self.data.line_of("unit"))
        share_of = self.read_share_of(raw) if statistic == "share" else ()
        source = Source(kind="survey", survey=survey_slug, question=str(question_key) if question_key else None,
                        statistic=statistic, share_of=share_of, weighted=weighted)
        if self.surveys is not None and survey_slug:
            self.check_source(source, raw)
        return source

    def read_share_of(self, raw: LineDict) -> tuple[str, ...]:
        values = raw.get("share_of")
        if not isinstance(values, LineList) or not values:
            self.error("share_of must be a list of the answers counted, e.g. [4, 5] or [agree, strongly_agree]",
                       raw.line_of("share_of"))
            return ()
        out = []
        for value in values:
            if isinstance(value, bool):
                out.append("yes" if value else "no")
            elif isinstance(value, (int, str)) and VALUE_PATTERN.match(str(value)):
                out.append(str(value))
            else:
                self.error(f"share_of: '{value}' is not an answer value", raw.line_of("share_of"))
        return tuple(dict.fromkeys(out))

    def check_source(self, source: Source, raw: LineDict) -> None:
        survey = self.surveys.get(source.survey)
        if survey is None:
            self.error(f"unknown survey '{source.survey}'", raw.line_of("survey"))
            return
        if source.question is None:
            return
        question = survey.question(source.question)
        if question is None:
            self.error(f"unknown question '{source.question}' in survey '{source.survey}'", raw.line_of("question"))
            return
        kind = question_type(question.type)
        if source.statistic == "mean" and not kind.is_numeric:
            self.error(f"a mean needs a rating or number question; '{question.key}' is {question.type}",
                       raw.line_of("mean"))
        if source.statistic == "share":
            if not (kind.takes_choices or kind.shared_in_reports):  # a fixed set of values to count
                self.error(f"a share needs a choice, rating or yes/no question; '{question.key}' is {question.type}",
                           raw.line_of("share_of"))
                return
            allowed = _answer_values(question)
            for value in source.share_of:
                if value not in allowed:
                    self.error(f"share_of: '{value}' is not an answer of '{question.key}' "
                               f"(it has {', '.join(allowed)})", raw.line_of("share_of"))

    # -- dimensions, periods, partners ---------------------------------------------------------

    def read_disaggregate(self) -> tuple[str, ...]:
        raw, line = self.data.get("disaggregate"), self.data.line_of("disaggregate")
        if raw is None:
            return ()
        if not isinstance(raw, LineList) or not all(isinstance(v, str) for v in raw):
            self.error("disaggregate must be a list of dimensions, e.g. [age_band, neighbourhood]", line)
            return ()
        if self.surveys is not None:
            known = survey_dimensions(self.surveys)
            for dimension in raw:
                if dimension not in known:
                    self.error(f"unknown dimension '{dimension}' (the surveys have {', '.join(sorted(known))})", line)
        if len(set(raw)) != len(raw):
            self.error("disaggregate names a dimension twice", line)
        return tuple(raw)

    def read_value(self, raw, line: int, what: str, unit: str, frequency) -> PeriodValue | None:
        if raw is None:
            return None
        if not isinstance(raw, LineDict) or set(raw) != {"period", "value"}:
            self.error(f"{what} must be {{period: …, value: …}}", line)
            return None
        period, value = str(raw["period"]), raw["value"]
        if frequency:
            try:
                parse_period(period, frequency)
            except PeriodError:
                self.error(f"{what} period '{period}' is not a {frequency} written like {format_hint(frequency)}",
                           raw.line_of("period"))
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            self.error(f"{what} value must be a number", raw.line_of("value"))
            return None
        if unit == "percent" and not 0 <= value <= 1:
            self.error(f"{what} value {value} is a percent written as a share from 0 to 1 (52 % is 0.52)",
                       raw.line_of("value"))
        return PeriodValue(period, float(value))

    def read_targets(self, unit: str, frequency, baseline: PeriodValue | None) -> tuple[PeriodValue, ...]:
        raw, line = self.data.get("targets"), self.data.line_of("targets")
        if raw is None:
            return ()
        if not isinstance(raw, LineList):
            self.error("targets must be a list of {period: …, value: …}", line)
            return ()
        targets = []
        for item in raw:
            item_line = getattr(item, "line", line)
            target = self.read_value(item, item_line, "target", unit, frequency)
            if target is None or not frequency:
                continue
            try:
                ordinal = parse_period(target.period, frequency)
                base = parse_period(baseline.period, frequency) if baseline else None
            except PeriodError:
                continue
            if base is not None and ordinal <= base:
                self.error(f"target period {target.period} is not after the baseline ({baseline.period})", item_line)
            if any(t.period == target.period for t in targets):
                self.error(f"two targets for {target.period}", item_line)
            targets.append(target)
        return tuple(sorted(targets, key=lambda t: t.period))

    def read_reported_by(self, source: Source | None) -> tuple[str, ...]:
        raw, line = self.data.get("reported_by"), self.data.line_of("reported_by")
        if raw is None:
            return ()
        if not isinstance(raw, LineList) or not all(isinstance(v, str) and STAKEHOLDER_ID.fullmatch(v) for v in raw):
            self.error("reported_by must be a list of stakeholder ids", line)
            return ()
        if source is not None and source.kind != "reported":
            self.error("reported_by is only for indicators whose source is reported", line)
        return tuple(raw)


def _answer_values(question) -> list[str]:
    """The values a share of `question` can count, as answers are stored and exported."""
    return question_type(question.type).report_order(question)
