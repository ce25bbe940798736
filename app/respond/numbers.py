"""Numbers as residents write them: the number question type reads them (app/questions/written_numbers.py).
Kept here for the respond views and their tests."""
from app.questions.written_numbers import MAX_NUMBER_CHARS, format_number, parse_number, separators_message

__all__ = ["MAX_NUMBER_CHARS", "format_number", "parse_number", "separators_message"]
