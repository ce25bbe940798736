"""The codebook of themes, kept in the database so the backbone team can edit it, and the
record of which texts the automatic tagger has read with which codebook."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.core.extensions import db
from app.models.base import utcnow


class CodebookTheme(db.Model):
    __tablename__ = "codebook_themes"

    #: Stable id (ASCII snake_case), used by tags, exports and the API.
    key: Mapped[str] = mapped_column(sa.String(100), primary_key=True)
    #: A top-level theme's key for a sub-theme (one level only), else None.
    parent: Mapped[str | None] = mapped_column(sa.String(100))
    #: {lang: label}
    labels: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    #: {lang: [keyword or phrase, …]}
    keywords: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    description: Mapped[str] = mapped_column(sa.Text, default="")
    #: {lang: [phrase, …]} inside which the theme's keywords do not count ("falling apart").
    exclude: Mapped[dict | None] = mapped_column(sa.JSON)
    #: What a negated match does: "drop" (also when None), "keep", or another theme's key.
    negated: Mapped[str | None] = mapped_column(sa.String(100))
    #: Display order.
    position: Mapped[int] = mapped_column(default=0)


class TaggedText(db.Model):
    """A free-text answer or contribution the tagger has read, and with which codebook (its hash):
    a text whose codebook changed since is tagged again."""

    __tablename__ = "tagged_texts"
    __table_args__ = (
        sa.Index("uq_tagged_texts_answer", "answer_id", unique=True,
                 sqlite_where=sa.text("answer_id IS NOT NULL"), postgresql_where=sa.text("answer_id IS NOT NULL")),
        sa.Index("uq_tagged_texts_contribution", "contribution_id", unique=True,
                 sqlite_where=sa.text("contribution_id IS NOT NULL"),
                 postgresql_where=sa.text("contribution_id IS NOT NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("answers.id", ondelete="CASCADE"))
    contribution_id: Mapped[int | None] = mapped_column(sa.ForeignKey("contributions.id", ondelete="CASCADE"))
    codebook_hash: Mapped[str] = mapped_column(sa.String(64))
    #: Sentiment polarity where the language has it (English), for the themes report.
    polarity: Mapped[float | None]
    subjectivity: Mapped[float | None]
    #: How unsure the learned tagger is about the text (0 sure, 1 at a theme's threshold), for
    #: ordering the review queue; None when no learned model has read it (app.themes.learning).
    uncertainty: Mapped[float | None]
    tagged_at: Mapped[dt.datetime] = mapped_column(sa.DateTime, default=utcnow)


class LearnedModel(db.Model):
    """A tagger learned from people's review of one language's texts, for one codebook
    (analysis.themes.train): kept in the database, not the instance folder, because every app
    process and every task worker (on any machine) must tag with the same model, and a
    database backup keeps it with the decisions it was learned from."""

    __tablename__ = "learned_models"
    __table_args__ = (sa.UniqueConstraint("codebook_hash", "lang", name="uq_learned_models_codebook_lang"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The tagging hash of the codebook it was trained with (app.themes.codebook.tagging_hash).
    codebook_hash: Mapped[str] = mapped_column(sa.String(64))
    #: Primary language subtag of the texts.
    lang: Mapped[str] = mapped_column(sa.String(16))
    #: Reviewed texts in this language it was trained on.
    examples: Mapped[int]
    #: Reviewed texts in every language when it was trained: retraining starts when enough more arrive.
    decisions: Mapped[int]
    #: Themes a model decides (the others follow the codebook), in codebook order.
    learned_themes: Mapped[list] = mapped_column(sa.JSON, default=list)
    #: analysis.themes.LearnedTagger.to_dict() as zlib-compressed JSON (plain numbers, no pickle).
    model: Mapped[bytes] = mapped_column(sa.LargeBinary)
    #: Cross-validated figures on the reviewed texts (app.themes.evaluation), or None with too few.
    figures: Mapped[dict | None] = mapped_column(sa.JSON)
    trained_at: Mapped[dt.datetime] = mapped_column(sa.DateTime, default=utcnow)
