"""Load survey files into the database as versions: a new version only when the content changed."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from app.core.extensions import db
from app.models import Survey, SurveyVersion
from app.surveydef.errors import DefinitionError, SurveyFileError
from app.surveydef.model import SurveyDef
from app.surveydef.parse import parse_survey_file


@dataclass(frozen=True)
class LoadResult:
    slug: str
    version: int
    created: bool
    path: str


def survey_files(path: str | Path) -> list[Path]:
    """The survey files at `path`: the file itself, or every *.yaml/*.yml directly in a folder."""
    path = Path(path)
    if path.is_dir():
        return sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such file or folder")
    return [path]


def check_files(paths: list[Path]) -> tuple[list[tuple[Path, SurveyDef]], list[SurveyFileError]]:
    """Parse every file; return the good ones and every file's errors, with duplicate slugs caught."""
    good, bad, slugs = [], [], {}
    for path in paths:
        try:
            survey = parse_survey_file(path)
        except SurveyFileError as exc:
            bad.append(exc)
            continue
        if survey.slug in slugs:
            bad.append(SurveyFileError(str(path), [DefinitionError(
                f"slug '{survey.slug}' is already used by {slugs[survey.slug]}", 1)]))
            continue
        slugs[survey.slug] = path
        good.append((path, survey))
    return good, bad


def content_hash(definition) -> str:
    """sha256 of a definition's canonical JSON (a survey's or an indicator's `to_dict()`): the same
    content always gives the same hash, so loading an unchanged file adds no version."""
    canonical = json.dumps(definition.to_dict(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def store_survey(survey: SurveyDef, source_path: str = "") -> LoadResult:
    """Add a version for `survey` unless its latest version has the same content. Only flushes."""
    record = Survey.by_slug(survey.slug)
    if record is None:
        record = Survey(slug=survey.slug)
        db.session.add(record)
        db.session.flush()
    number, added = add_version(record, SurveyVersion, "survey_id", survey, source_path)
    return LoadResult(survey.slug, number, added, source_path)


def add_version(record, version_class, parent_column: str, definition, source_path: str) -> tuple[int, bool]:
    """(number, added): a new version of `record` (a Survey or an Indicator) holding `definition`,
    unless its latest version has the same content (then that version's number). Only flushes."""
    digest = content_hash(definition)
    latest = record.latest_version()
    if latest is not None and latest.content_hash == digest:
        return latest.number, False
    number = (latest.number if latest else 0) + 1
    db.session.add(version_class(**{parent_column: record.id}, number=number, content_hash=digest,
                                 definition=definition.to_dict(), source_path=source_path))
    db.session.flush()
    return number, True


def load_surveys(path: str | Path) -> list[LoadResult]:
    """Check every file at `path`, then store them all, or raise and store nothing."""
    good, bad = check_files(survey_files(path))
    if bad:
        raise SurveyLoadError(bad)
    results = [store_survey(survey, str(p)) for p, survey in good]
    db.session.commit()
    return results


class SurveyLoadError(Exception):
    def __init__(self, errors: list[SurveyFileError]):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


def latest_versions() -> list[SurveyVersion]:
    """The newest version of every survey, by slug."""
    newest = (sa.select(SurveyVersion.survey_id, sa.func.max(SurveyVersion.number).label("n"))
              .group_by(SurveyVersion.survey_id).subquery())
    return list(db.session.scalars(
        sa.select(SurveyVersion).join(newest, sa.and_(SurveyVersion.survey_id == newest.c.survey_id,
                                                      SurveyVersion.number == newest.c.n))
        .join(Survey).order_by(Survey.slug)
    ))
