"""Focus groups as data: sessions, anonymous participants, contributions, mentions and votes."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.extensions import db
from app.core.vocabulary import CONTRIBUTION_KINDS, TAG_STATUSES
from app.models.base import one_of, utcnow

facilitators_table = sa.Table(
    "focus_group_facilitators", db.metadata,
    sa.Column("focus_group_id", sa.ForeignKey("focus_groups.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("user_id", sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)


class FocusGroup(db.Model):
    __tablename__ = "focus_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    date: Mapped[dt.date]
    place: Mapped[str] = mapped_column(sa.String(200), default="")
    #: The language the session is held in; participant questions are asked in it.
    lang: Mapped[str] = mapped_column(sa.String(20))
    #: The hosting organisation, from the stakeholder registry.
    host_id: Mapped[str | None] = mapped_column(sa.ForeignKey("stakeholders.id", ondelete="SET NULL"))
    #: The survey whose demographic questions and consent wording participants get.
    survey_version_id: Mapped[int | None] = mapped_column(sa.ForeignKey("survey_versions.id"))
    created_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime, default=utcnow)

    facilitators = relationship("User", secondary=facilitators_table, lazy="selectin")


class Participant(db.Model):
    __tablename__ = "participants"
    __table_args__ = (sa.UniqueConstraint("focus_group_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    focus_group_id: Mapped[int] = mapped_column(sa.ForeignKey("focus_groups.id", ondelete="CASCADE"), index=True)
    #: Anonymous code within the session: P1, P2 …
    code: Mapped[str] = mapped_column(sa.String(20))
    #: The survey's consent wording version read to the participant, and whether they agreed.
    consent_version: Mapped[int | None]
    consent_given: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime, default=utcnow)
    #: Set on withdrawal: the participant leaves every report and export from then on.
    withdrawn_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime)

    @classmethod
    def counted(cls) -> sa.ColumnElement[bool]:
        """The participants every report and export counts: they consented and did not withdraw.
        The one place the rule is written (Response.counted is its survey twin)."""
        return sa.and_(cls.withdrawn_at.is_(None), cls.consent_given.is_(True))


class ParticipantAttribute(db.Model):
    """One demographic answer of a participant, with the same dimension/category keys as surveys."""

    __tablename__ = "participant_attributes"
    __table_args__ = (sa.UniqueConstraint("participant_id", "dimension"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(sa.ForeignKey("participants.id", ondelete="CASCADE"), index=True)
    dimension: Mapped[str] = mapped_column(sa.String(100))
    category: Mapped[str] = mapped_column(sa.String(100))


class Contribution(db.Model):
    """A quote or a note, typed during the session; idempotent by the client's id."""

    __tablename__ = "contributions"
    __table_args__ = (one_of("kind", CONTRIBUTION_KINDS),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Made on the facilitator's device; the same id again is the same contribution.
    client_id: Mapped[str] = mapped_column(sa.String(64), unique=True)
    focus_group_id: Mapped[int] = mapped_column(sa.ForeignKey("focus_groups.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int | None] = mapped_column(sa.ForeignKey("participants.id", ondelete="CASCADE"))
    #: One of app.core.vocabulary.CONTRIBUTION_KINDS: a participant's words (quote) or the facilitator's note.
    kind: Mapped[str] = mapped_column(sa.String(10))
    text: Mapped[str] = mapped_column(sa.Text)
    #: The language the text is written in: the session's unless the facilitator picked another
    #: (English notes in a Somali session). The themes tagger reads the text with this language.
    lang: Mapped[str] = mapped_column(sa.String(20))
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime, default=utcnow)


class ThemeTag(db.Model):
    """A theme on a free-text answer or a contribution, by the tagger or by a person."""

    __tablename__ = "theme_tags"
    # One tag per item, theme and coder. Two partial unique indexes, because a unique constraint
    # over the nullable answer_id/contribution_id pair would let NULLs repeat.
    __table_args__ = (
        sa.Index("uq_theme_tags_answer", "answer_id", "theme", "coder", unique=True,
                 sqlite_where=sa.text("answer_id IS NOT NULL"), postgresql_where=sa.text("answer_id IS NOT NULL")),
        sa.Index("uq_theme_tags_contribution", "contribution_id", "theme", "coder", unique=True,
                 sqlite_where=sa.text("contribution_id IS NOT NULL"),
                 postgresql_where=sa.text("contribution_id IS NOT NULL")),
        sa.Index("ix_theme_tags_theme", "theme"),
        # A theme's tags by one coder in score order (app.themes.quotes reads the tagger's best).
        sa.Index("ix_theme_tags_theme_coder_score", "theme", "coder", "score", "answer_id"),
        one_of("status", TAG_STATUSES),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("answers.id", ondelete="CASCADE"))
    contribution_id: Mapped[int | None] = mapped_column(sa.ForeignKey("contributions.id", ondelete="CASCADE"))
    theme: Mapped[str] = mapped_column(sa.String(100))
    #: app.core.vocabulary.AUTO_CODER ("auto") for the codebook tagger, else "user:<id>" for the person.
    coder: Mapped[str] = mapped_column(sa.String(40))
    #: One of app.core.vocabulary.TAG_STATUSES: accepted (present) or rejected (a person said the tagger was wrong).
    status: Mapped[str] = mapped_column(sa.String(10), default="accepted")
    #: The tagger's confidence (keyword matches weighed); None for a person's tag.
    score: Mapped[float | None]
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime, default=utcnow)
    #: How a machine tag matched (analysis.themes.HOW: exact, inflection, stem, fuzzy, learned);
    #: None for a person's tag. The review queue shows it and takes stem-only matches first.
    how: Mapped[str | None] = mapped_column(sa.String(12))
    #: Characters [span_start, span_end) of the text that the machine tag matched (its first
    #: strongest match); None for a person's tag or a learned tag with no span.
    span_start: Mapped[int | None]
    span_end: Mapped[int | None]
    #: The matched words as written (at most MATCHED_LENGTH characters), kept with the span so
    #: exports can say why without the text.
    matched: Mapped[str | None] = mapped_column(sa.String(200))
    #: Sentiment polarity of the clause around the theme's matches (where the language has a
    #: lexicon), else None; the themes report averages it per theme.
    polarity: Mapped[float | None]


class Mention(db.Model):
    """An organisation named in a focus group."""

    __tablename__ = "mentions"

    id: Mapped[int] = mapped_column(primary_key=True)
    focus_group_id: Mapped[int] = mapped_column(sa.ForeignKey("focus_groups.id", ondelete="CASCADE"), index=True)
    contribution_id: Mapped[int | None] = mapped_column(sa.ForeignKey("contributions.id", ondelete="CASCADE"))
    stakeholder_id: Mapped[str] = mapped_column(sa.ForeignKey("stakeholders.id", ondelete="CASCADE"))
    #: Made when the form is drawn: a double tap or a re-sent form stores the mention once.
    client_id: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime, default=utcnow)


class Vote(db.Model):
    """A dot vote (votes for a priority) or one participant's ranking position for a priority."""

    __tablename__ = "votes"
    __table_args__ = (
        sa.CheckConstraint("votes IS NULL OR votes >= 0", name="votes_not_negative"),
        sa.CheckConstraint("rank IS NULL OR rank >= 1", name="rank_from_one"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    focus_group_id: Mapped[int] = mapped_column(sa.ForeignKey("focus_groups.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int | None] = mapped_column(sa.ForeignKey("participants.id", ondelete="CASCADE"))
    #: A choice value of the survey's priorities ranking (e.g. housing).
    priority: Mapped[str] = mapped_column(sa.String(100))
    #: Dots given to the priority (dot vote) …
    votes: Mapped[int | None]
    #: … or its place in a participant's ranking, 1 = most important.
    rank: Mapped[int | None]
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime, default=utcnow)
