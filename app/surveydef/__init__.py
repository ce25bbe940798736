"""Survey definitions: parse and validate surveys/*.yaml, evaluate skip logic, check answers.

Nothing here touches the database; `app.surveys.loader` is the one module that stores versions.
"""
from app.surveydef.errors import DefinitionError, SurveyFileError
from app.surveydef.model import Choice, Page, Question, SurveyDef
from app.surveydef.parse import parse_survey_file, parse_survey_text

__all__ = [
    "Choice", "DefinitionError", "Page", "Question", "SurveyDef", "SurveyFileError",
    "parse_survey_file", "parse_survey_text",
]
