"""Which pages of a survey a resident sees, given skip logic and the answers so far."""
from __future__ import annotations

from app.surveydef.answers import expression, relevant_questions
from app.surveydef.model import Question, SurveyDef


def relevant_page_numbers(survey: SurveyDef, answers: dict) -> list[int]:
    """1-based numbers of the pages with at least one relevant question (never empty)."""
    keys = {q.key for q in relevant_questions(survey, answers)}
    numbers = [n for n, page in enumerate(survey.pages, 1) if any(q.key in keys for q in page.questions)]
    return numbers or [1]


def page_questions(survey: SurveyDef, number: int, answers: dict) -> list[Question]:
    """The relevant questions of page `number`."""
    keys = {q.key for q in relevant_questions(survey, answers)}
    return [q for q in survey.pages[number - 1].questions if q.key in keys]


def resume_page(survey: SurveyDef, answers: dict) -> int:
    """The first relevant page with a question not yet answered; else the last page."""
    numbers = relevant_page_numbers(survey, answers)
    for number in numbers:
        if any(q.key not in answers for q in page_questions(survey, number, answers)):
            return number
    return numbers[-1]


def live_conditions(survey: SurveyDef, number: int) -> dict[str, dict]:
    """{key: condition as a JSON tree} for the questions of page `number` that an answer on the
    same page can switch on or off: the browser shows and hides them as the resident answers."""
    page_keys = {q.key for q in survey.pages[number - 1].questions}
    live = {}
    for q in survey.pages[number - 1].questions:
        if q.relevant is not None:
            parsed = expression(q.relevant)
            if parsed.names & page_keys:
                live[q.key] = parsed.to_json()
    return live


def known_answers(survey: SurveyDef, number: int, live: dict, answers: dict) -> dict:
    """The answers from other pages that the live conditions name (null when skip logic dropped
    them, as the server reads them), so the browser evaluates exactly what the server will."""
    page_keys = {q.key for q in survey.pages[number - 1].questions}
    kept = {q.key for q in relevant_questions(survey, answers)}
    names = set().union(*(expression(survey.question(k).relevant).names for k in live)) if live else set()
    return {name: answers.get(name) if name in kept else None for name in sorted(names - page_keys)}
