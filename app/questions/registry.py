"""The question types by name. Kept free of imports so the survey parser can use it while the
types themselves are still being loaded (app.questions imports them in their canonical order)."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.questions.base import QuestionType

_TYPES: dict[str, QuestionType] = {}


class UnknownQuestionType(KeyError):
    """A type name no class is registered for."""


def register(cls: type[QuestionType]) -> type[QuestionType]:
    """Class decorator: make `cls` (one instance of it) the behaviour of questions of `cls.name`."""
    if not cls.name:
        raise ValueError(f"{cls.__name__} has no name")
    _TYPES[cls.name] = cls()
    return cls


def unregister(name: str) -> None:
    """Forget a type (for tests that register a type of their own)."""
    _TYPES.pop(name, None)


def question_type(name: str) -> QuestionType:
    try:
        return _TYPES[name]
    except KeyError:
        raise UnknownQuestionType(name) from None


def type_names() -> tuple[str, ...]:
    """Every registered type name, in registration order (the order error messages list them in)."""
    return tuple(_TYPES)
