"""Which pages of a survey a resident sees, given skip logic and the answers so far."""
from __future__ import annotations

from app.surveydef.answers import relevant_questions
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
