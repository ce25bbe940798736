"""Check and load indicator files (surveys/indicators/*.yaml) as versions, as surveys are loaded.

Files are checked against the surveys they count: the survey files beside them (the folder's
parent, so a change to both is checked together before either is loaded) over the versions
already in the database. A new version is stored only when the content changed.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from app.core.extensions import db
from app.indicators.model import IndicatorDef
from app.indicators.parse import IndicatorFileError, parse_indicator_file
from app.models import Indicator, IndicatorVersion
from app.surveydef.errors import DefinitionError
from app.surveydef.model import SurveyDef
from app.surveys.loader import add_version, check_files, latest_versions, survey_files

#: Where indicator files live, under the surveys folder.
INDICATORS_FOLDER = "indicators"


@dataclass(frozen=True)
class LoadResult:
    key: str
    version: int
    created: bool
    path: str


class IndicatorLoadError(Exception):
    def __init__(self, errors: list[IndicatorFileError]):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


def indicator_files(path: str | Path) -> list[Path]:
    """The indicator files at `path`: the file itself, or every *.yaml/*.yml directly in a folder."""
    return survey_files(path)


def known_surveys(surveys_dir: str | Path | None) -> dict[str, SurveyDef]:
    """{slug: SurveyDef}: the latest loaded versions, replaced by the valid survey files in
    `surveys_dir` (what will be loaded next)."""
    found = {v.survey_def.slug: v.survey_def for v in latest_versions()}
    if surveys_dir and Path(surveys_dir).is_dir():
        good, _bad = check_files(survey_files(surveys_dir))
        found.update({survey.slug: survey for _path, survey in good})
    return found


def check_indicator_files(paths: list[Path], surveys: dict[str, SurveyDef]
                          ) -> tuple[list[tuple[Path, IndicatorDef]], list[IndicatorFileError]]:
    """Parse every file against `surveys`; the good ones and every file's errors."""
    good, bad, keys = [], [], {}
    result_titles: dict[str, tuple[str, Path]] = {}
    for path in paths:
        try:
            indicator = parse_indicator_file(path, surveys)
        except IndicatorFileError as exc:
            bad.append(exc)
            continue
        if indicator.key in keys:
            bad.append(IndicatorFileError(str(path), [DefinitionError(
                f"key '{indicator.key}' is already used by {keys[indicator.key]}", 1)]))
            continue
        title = result_titles.get(indicator.result)
        if indicator.result_title and title and title[0] and title[0] != indicator.result_title:
            bad.append(IndicatorFileError(str(path), [DefinitionError(
                f"result '{indicator.result}' is titled '{title[0]}' in {title[1]}; give it one title", 1)]))
            continue
        if indicator.result_title:
            result_titles[indicator.result] = (indicator.result_title, path)
        keys[indicator.key] = path
        good.append((path, indicator))
    return good, bad


def store_indicator(indicator: IndicatorDef, source_path: str = "") -> LoadResult:
    """Add a version for `indicator` unless its latest version has the same content. Only flushes."""
    record = Indicator.by_key(indicator.key)
    if record is None:
        record = Indicator(key=indicator.key)
        db.session.add(record)
        db.session.flush()
    number, added = add_version(record, IndicatorVersion, "indicator_id", indicator, source_path)
    return LoadResult(indicator.key, number, added, source_path)


def load_indicators(path: str | Path, surveys_dir: str | Path | None) -> list[LoadResult]:
    """Check every file at `path`, then store them all, or raise and store nothing."""
    good, bad = check_indicator_files(indicator_files(path), known_surveys(surveys_dir))
    if bad:
        raise IndicatorLoadError(bad)
    results = [store_indicator(indicator, str(p)) for p, indicator in good]
    db.session.commit()
    return results


def latest_indicator_versions() -> list[IndicatorVersion]:
    """The newest version of every indicator, by key."""
    newest = (sa.select(IndicatorVersion.indicator_id, sa.func.max(IndicatorVersion.number).label("n"))
              .group_by(IndicatorVersion.indicator_id).subquery())
    return list(db.session.scalars(
        sa.select(IndicatorVersion)
        .join(newest, sa.and_(IndicatorVersion.indicator_id == newest.c.indicator_id,
                              IndicatorVersion.number == newest.c.n))
        .join(Indicator, Indicator.id == IndicatorVersion.indicator_id).order_by(Indicator.key)))


_parsed: dict[tuple[int, str], IndicatorDef] = {}


def definition_of(version: IndicatorVersion) -> IndicatorDef:
    """The parsed definition of a version, kept per (id, hash): versions never change."""
    key = (version.id, version.content_hash)
    found = _parsed.get(key)
    if found is None:
        found = _parsed[key] = IndicatorDef.from_dict(version.definition)
    return found
