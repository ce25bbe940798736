"""Errors raised while reading a survey file: each names the file, the line and what is wrong."""


class DefinitionError(Exception):
    """One mistake in a survey file, at a line (1-based; 0 when the file as a whole is wrong)."""

    def __init__(self, message: str, line: int = 0):
        super().__init__(message)
        self.message = message
        self.line = line

    def located(self, filename: str) -> str:
        return f"{filename}:{self.line}: {self.message}"


class SurveyFileError(Exception):
    """Every mistake found in one survey file; `str()` gives one `file:line: message` per line."""

    def __init__(self, filename: str, errors: list[DefinitionError]):
        self.filename = filename
        self.errors = sorted(errors, key=lambda e: e.line)
        super().__init__("\n".join(e.located(filename) for e in self.errors))
