"""Babel extraction method for survey files, so `pybabel extract` collects survey texts.

Registered in pyproject.toml as the `survey_yaml` extractor. Each text is extracted with
pgettext and a context naming the survey and key (see app.surveydef.texts), with a comment
telling the translator what the text is.
"""
from __future__ import annotations

from app.surveydef.errors import SurveyFileError
from app.surveydef.parse import parse_survey_text
from app.surveydef.texts import survey_texts


def _describe(context: str, survey) -> str:
    path = context.split(":", 1)[1]
    key, _, part = path.partition(".")
    q = survey.question(key)
    if q is None:
        return {"title": "Survey title", "intro": "Survey introduction", "consent": "Consent text"}.get(
            path, "Page title")
    if part.startswith("choice."):
        return f"An answer option of the {q.type.replace('_', ' ')} question '{q.key}': \"{q.label}\""
    return {"label": f"Question ({q.type.replace('_', ' ')})", "hint": "Help text under a question",
            "constraint_message": "Error shown when an answer does not fit"}[part]


def extract_surveys(fileobj, keywords, comment_tags, options):
    """Yield (line, 'pgettext', (context, text), [comment]) for every text of a survey file."""
    text = fileobj.read().decode("utf-8")
    try:
        survey = parse_survey_text(text, getattr(fileobj, "name", "<survey>"))
    except SurveyFileError as exc:
        # Extraction must not hide a broken file: fail loudly with file:line.
        raise SystemExit(str(exc)) from None
    lines = {q.key: q.line for q in survey.questions}
    for context, source in survey_texts(survey):
        key = context.split(":", 1)[1].partition(".")[0]
        line = lines.get(key, 1)
        yield line, "pgettext", (context, source), [_describe(context, survey)]


def extract_indicators(fileobj, keywords, comment_tags, options):
    """Yield (line, 'pgettext', (context, text), [comment]) for every text of an indicator file.

    Mapped in babel.cfg by its dotted name (`app.surveys.babel_extract.extract_indicators`);
    contexts as app.indicators.texts: `indicator:<key>.title|description`, `result:<result>.title`.
    """
    from app.indicators.parse import parse_indicator_text
    from app.indicators.texts import indicator_texts
    from app.surveydef.yamlsource import load_yaml
    text = fileobj.read().decode("utf-8")
    name = getattr(fileobj, "name", "<indicator>")
    try:
        indicator = parse_indicator_text(text, name)
    except SurveyFileError as exc:
        raise SystemExit(str(exc)) from None
    lines = load_yaml(text)
    comments = {"title": "Indicator title (a measure of a community result)",
                "description": "Indicator description: how it is measured",
                "result": "A community result that indicators measure (RBA \"result\")"}
    for context, source in indicator_texts(indicator):
        part = "result" if context.startswith("result:") else context.rsplit(".", 1)[1]
        key = "result_title" if part == "result" else part
        yield lines.line_of(key), "pgettext", (context, source), [comments[part]]
