"""The parsed, validated shape of a survey: plain frozen dataclasses, stored as JSON per version."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

from app.core.vocabulary import RELATIONSHIP_TYPES as TIE_TYPES

#: The stored type names. Their behaviour is one class each in app/questions, whose registry a
#: test keeps equal to this tuple.
QUESTION_TYPES = (
    "single_choice", "multiple_choice", "likert", "rating", "ranking", "short_text",
    "long_text", "number", "date", "yes_no", "stakeholders",
)
#: Relationship a stakeholder pick creates; `self` marks the respondent's own organisation.
RELATIONSHIP_TYPES = ("self", *TIE_TYPES)

#: The built-in five-point agreement scale for likert questions that give none.
LIKERT_DEFAULT = (
    ("strongly_disagree", "Strongly disagree"),
    ("disagree", "Disagree"),
    ("neutral", "Neither agree nor disagree"),
    ("agree", "Agree"),
    ("strongly_agree", "Strongly agree"),
)


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    exclusive: bool = False           # multiple_choice: cannot be picked with any other choice


@dataclass(frozen=True)
class Question:
    key: str
    type: str
    label: str
    hint: str = ""
    required: bool = False
    dimension: str | None = None
    choices: tuple[Choice, ...] = ()
    min: float | None = None          # number, rating (default 1)
    max: float | None = None          # number, rating (default 5)
    integer: bool = False             # number
    min_picks: int | None = None      # multiple_choice, stakeholders
    max_picks: int | None = None
    rank: int | None = None           # ranking: how many to rank (None: all)
    max_length: int | None = None     # text
    relevant: str | None = None       # skip logic expression, see relevance.py
    constraint_message: str = ""      # replaces the built-in message for any constraint failure
    relationship: str | None = None   # stakeholders
    line: int = field(default=0, compare=False)

    @property
    def choice_values(self) -> tuple[str, ...]:
        return tuple(c.value for c in self.choices)

    @property
    def exclusive_values(self) -> frozenset[str]:
        return frozenset(c.value for c in self.choices if c.exclusive)

    @property
    def rank_count(self) -> int:
        return self.rank or len(self.choices)

    def scale(self) -> range:
        """The points of a rating question, inclusive."""
        return range(int(self.min), int(self.max) + 1)


@dataclass(frozen=True)
class Page:
    key: str
    title: str
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class SurveyDef:
    slug: str
    title: str
    language: str
    intro: str
    consent_version: int
    consent_text: str
    pages: tuple[Page, ...]
    kind: str = "resident"            # resident | partner

    @property
    def questions(self) -> list[Question]:
        return [q for page in self.pages for q in page.questions]

    def question(self, key: str) -> Question | None:
        return self._by_key().get(key)

    def _by_key(self) -> dict[str, Question]:
        cache = self.__dict__.get("_key_cache")
        if cache is None:
            cache = {q.key: q for q in self.questions}
            object.__setattr__(self, "_key_cache", cache)
        return cache

    def to_dict(self) -> dict:
        """The canonical JSON form: what a version stores and what its content hash covers."""
        data = asdict(self)
        for page in data["pages"]:
            for q in page["questions"]:
                q.pop("line", None)
                for choice in q["choices"]:
                    if not choice["exclusive"]:  # left out, so older versions keep their hash
                        del choice["exclusive"]
        data.pop("_key_cache", None)
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "SurveyDef":
        pages = tuple(
            Page(
                key=p["key"], title=p["title"],
                questions=tuple(
                    Question(**{**q, "choices": tuple(Choice(**c) for c in q["choices"])})
                    for q in p["questions"]
                ),
            )
            for p in data["pages"]
        )
        return cls(**{**data, "pages": pages})
