"""likert: one point of an agreement scale, the built-in five points unless the survey gives its own."""
from __future__ import annotations

from app.questions.registry import register
from app.questions.single_choice import SingleChoice
from app.surveydef.model import LIKERT_DEFAULT, Choice


@register
class Likert(SingleChoice):
    name = "likert"
    allows_dimension = False
    default_choices = tuple(Choice(value, label) for value, label in LIKERT_DEFAULT)
    xls_appearance = "likert"
