"""One class per question type; see app/questions/base.py for what a type knows.

Adding a question type is one module here (a `QuestionType` subclass decorated with `register`)
plus its tests: the parser, the form, the checks, the API schema, storage, export and XLSForm
all ask the type object. `question_type(q.type)` (or `kind_of(q)`) gives it.
"""
from importlib import import_module

from app.questions.base import AnswerError, QuestionType
from app.questions.registry import UnknownQuestionType, question_type, register, type_names, unregister

#: The built-in types' modules, imported for their registration in the order messages list them.
BUILT_IN = ("single_choice", "multiple_choice", "likert", "rating", "ranking", "short_text", "long_text",
            "number", "date", "yes_no", "stakeholders")
for _module in BUILT_IN:
    import_module(f"app.questions.{_module}")

#: Every built-in type name (the registry may hold more while a test registers its own).
QUESTION_TYPES = type_names()


def kind_of(q) -> QuestionType:
    """The behaviour of question `q` (an app.surveydef.model.Question)."""
    return question_type(q.type)


def use_stakeholders(questions) -> bool:
    """Whether any of `questions` picks from the stakeholder register (so its ids must be read)."""
    return any(question_type(q.type).uses_stakeholders for q in questions)


__all__ = ["QUESTION_TYPES", "AnswerError", "QuestionType", "UnknownQuestionType", "kind_of", "question_type",
           "register", "type_names", "unregister", "use_stakeholders"]
