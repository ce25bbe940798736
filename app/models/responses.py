"""Responses, their typed answers, and drafts in progress on the resident form."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.extensions import db
from app.core.vocabulary import CHANNELS
from app.models.base import one_of, utcnow

__all__ = ["CHANNELS", "Answer", "Draft", "Response", "ResponseRanking", "TextAnswer"]


class Response(db.Model):
    __tablename__ = "responses"
    __table_args__ = (
        # Covers the representation report's pass (a survey's standing responses grouped by
        # pattern) without a sort or a table read; its prefix serves lookups by survey_id.
        sa.Index("ix_responses_survey_demographics", "survey_id", "withdrawn_at", "demographics"),
        # The first and last standing answer of a survey (the report's date range) by index seek.
        sa.Index("ix_responses_survey_submitted", "survey_id", "withdrawn_at", "submitted_at"),
        # The export's keyset batches (a survey's standing responses after an id, in id order) by
        # index seek; with no statistics SQLite otherwise sorted every remaining response per batch.
        sa.Index("ix_responses_survey_standing_id", "survey_id", "withdrawn_at", "id"),
        # The few withdrawn responses, which text_answers' readers leave out without reading responses.
        sa.Index("ix_responses_withdrawn", "id", sqlite_where=sa.text("withdrawn_at IS NOT NULL"),
                 postgresql_where=sa.text("withdrawn_at IS NOT NULL")),
        one_of("channel", CHANNELS),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Made when the form was drawn; the same id again is the same response (idempotent submit).
    submission_id: Mapped[str] = mapped_column(sa.String(64), unique=True)
    survey_id: Mapped[int] = mapped_column(sa.ForeignKey("surveys.id"))
    #: The version answered, so old answers keep their meaning when the file changes.
    survey_version_id: Mapped[int] = mapped_column(sa.ForeignKey("survey_versions.id"), index=True)
    #: The language the respondent saw (a locale code such as `es` or `zh_Hans`).
    lang: Mapped[str] = mapped_column(sa.String(20))
    #: Where it came from, one of app.core.vocabulary.CHANNELS; reports filter and pool by it.
    channel: Mapped[str] = mapped_column(sa.String(20), default="web")
    #: The consent wording's version shown, and whether consent was given.
    consent_version: Mapped[int | None]
    consent_given: Mapped[bool] = mapped_column(default=False)
    submitted_at: Mapped[dt.datetime] = mapped_column(sa.DateTime, default=utcnow, index=True)
    #: Set when the respondent withdraws; withdrawn responses leave every report and export.
    withdrawn_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime)
    #: The demographic answers as canonical JSON `{dimension: category}` (app.core.demographics),
    #: written with the answers so reports count people by one column, not a pivot of `answers`.
    demographics: Mapped[str] = mapped_column(sa.Text, default="{}", server_default="{}")

    answers: Mapped[list[Answer]] = relationship(
        back_populates="response", order_by="(Answer.question_key, Answer.position)",
        cascade="all, delete-orphan", lazy="raise_on_sql",
    )

    @classmethod
    def counted(cls) -> sa.ColumnElement[bool]:
        """The responses every report, export and API counts: those not withdrawn. The one place
        the rule is written; a withdrawn response leaves everything from then on."""
        return cls.withdrawn_at.is_(None)


class Answer(db.Model):
    """One typed answer value; lists (multiple choice, ranking, stakeholders) are one row per item."""

    __tablename__ = "answers"
    __table_args__ = (
        sa.Index("ix_answers_question_choice", "question_key", "choice"),
        # Covers the reports' per-person pass (response -> its demographic answers) without
        # reading the table, and serves lookups by response_id as the plain index did.
        sa.Index("ix_answers_response_key_choice", "response_id", "question_key", "choice"),
        # One question's answers in response order, read from the index alone: the weighted
        # report's pass (a million rows at a million responses) merges it with the responses in
        # id order; PostgreSQL carries the other value columns in the index too (0021).
        sa.Index("ix_answers_key_response", "question_key", "response_id", "position", "choice",
                 postgresql_include=["number", "boolean"]),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(sa.ForeignKey("responses.id", ondelete="CASCADE"))
    question_key: Mapped[str] = mapped_column(sa.String(100))
    #: Order within a list answer: rank 1 is position 0. Always 0 for single values.
    position: Mapped[int] = mapped_column(default=0)
    #: Choice value (single/multiple choice, likert, ranking, dimension) or stakeholder id.
    choice: Mapped[str | None] = mapped_column(sa.String(100))
    #: The value in the column of its type (app.surveydef.answers): text for short and long
    #: text, number for rating and number, boolean for yes/no, date for dates; the others None.
    text: Mapped[str | None] = mapped_column(sa.Text)
    number: Mapped[float | None] = mapped_column(sa.Float)
    boolean: Mapped[bool | None]
    date: Mapped[dt.date | None] = mapped_column(sa.Date)
    #: Language a free-text answer was written in (the page's locale), for theme analysis.
    lang: Mapped[str | None] = mapped_column(sa.String(20))

    response: Mapped[Response] = relationship(back_populates="answers")


class ResponseRanking(db.Model):
    """One response's answer to one ranking question, its items joined in one string, written
    with the answers (app.responses.submission): the alignment report counts rankings per response from
    one row each, instead of pivoting three answer rows per response (3 million at a million).
    Withdrawal needs nothing here: reports join the response and count only standing ones."""

    __tablename__ = "response_rankings"

    response_id: Mapped[int] = mapped_column(sa.ForeignKey("responses.id", ondelete="CASCADE"), primary_key=True)
    question_key: Mapped[str] = mapped_column(sa.String(100), primary_key=True)
    #: The choices, most important first, joined by app.reporting.list_answers.ITEM_SEPARATOR.
    ranking: Mapped[str] = mapped_column(sa.Text)


#: A demographic pattern as text_answers stores it: JSONB on PostgreSQL, text elsewhere.
PATTERN = sa.Text().with_variant(JSONB(), "postgresql")


class TextAnswer(db.Model):
    """A free-text answer as the themes report reads it: the answer's id and language with copies
    of its response's columns the report filters and groups by, written with the answers
    (app.responses.submission). The report then counts a narrow table of the texts alone, where
    joining a million responses to ten million answers took seconds a statement. The copies never
    go stale: a response's survey, channel, time and pattern are fixed once stored. Withdrawal is
    not copied; `counted()` asks the responses table, through a small index of withdrawn ones."""

    __tablename__ = "text_answers"

    answer_id: Mapped[int] = mapped_column(sa.ForeignKey("answers.id", ondelete="CASCADE"), primary_key=True)
    response_id: Mapped[int] = mapped_column(sa.ForeignKey("responses.id", ondelete="CASCADE"), index=True)
    question_key: Mapped[str] = mapped_column(sa.String(100))
    #: The text's own language: the answer's, else its response's.
    lang: Mapped[str | None] = mapped_column(sa.String(20))
    survey_id: Mapped[int] = mapped_column(sa.ForeignKey("surveys.id"))
    channel: Mapped[str] = mapped_column(sa.String(20))
    submitted_at: Mapped[dt.datetime] = mapped_column(sa.DateTime)
    #: The response's demographic pattern (Response.demographics); JSONB on PostgreSQL, where the
    #: report reads a category from each text's pattern and parsing the text form cost 0.6 s a
    #: million texts (read back as a dict there). Write it as `sa.cast(text, PATTERN)`.
    demographics: Mapped[str] = mapped_column(PATTERN)

    @classmethod
    def counted(cls) -> sa.ColumnElement[bool]:
        """Texts of responses the reports count (Response.counted, the one place the rule is written)."""
        return cls.response_id.not_in(sa.select(Response.id).where(sa.not_(Response.counted())))


class Draft(db.Model):
    """Answers saved page by page on the resident form, until the final submit or a resume."""

    __tablename__ = "drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The submission id the final response will carry.
    submission_id: Mapped[str] = mapped_column(sa.String(64), unique=True)
    survey_version_id: Mapped[int] = mapped_column(sa.ForeignKey("survey_versions.id"))
    #: Short code a resident can write down to come back later (no account needed).
    resume_code: Mapped[str] = mapped_column(sa.String(16), unique=True)
    lang: Mapped[str] = mapped_column(sa.String(20))
    #: Answers so far, keyed by question key, as the API would send them.
    answers: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    consent_version: Mapped[int | None]
    #: The page the resident was on when they last saved; resuming opens it.
    last_page: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(sa.DateTime, default=utcnow, onupdate=utcnow)
    #: Set once the draft became a response.
    response_id: Mapped[int | None] = mapped_column(sa.ForeignKey("responses.id", ondelete="SET NULL"))
