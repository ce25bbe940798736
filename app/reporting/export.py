"""Exports: responses (one row per response, one column per question key) and focus groups (CSV or JSON)."""
from __future__ import annotations

import csv
import io
import json
from typing import IO

import sqlalchemy as sa

from app.core.extensions import db
from app.core.vocabulary import LEARNED_CODER, MACHINE_CODERS
from app.models import (
    Answer, Contribution, FocusGroup, Mention, Participant, ParticipantAttribute, Relationship, Response, Survey,
    SurveyVersion, ThemeTag, Vote,
)
from app.questions import question_type
from app.reporting.list_answers import is_positioned, list_aggregate, list_items

META_COLUMNS = ("response_id", "submission_id", "survey_version", "lang", "channel", "submitted_at",
                "consent_version")
#: Characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
#: Responses per keyset batch of a streamed export: one query for them, one for their answers.
BATCH = 2000


class UnknownSurvey(LookupError):
    pass


def spreadsheet_safe(value):
    """Prefix text that a spreadsheet would run as a formula with a quote; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def question_keys(versions: list[SurveyVersion]) -> list[str]:
    """Every question key across versions: the newest version's order, then keys only older ones had."""
    keys: list[str] = []
    for version in sorted(versions, key=lambda v: -v.number):
        keys.extend(q.key for q in version.survey_def.questions if q.key not in keys)
    return keys


def iter_responses(slug: str):
    """(keys, rows): rows are dicts of meta columns and answers, withdrawn responses left out.

    Rows come batch by batch (see `_response_batches`), so memory stays flat whatever the size.
    """
    survey, versions, keys = _survey_versions(slug)

    def rows():
        for batch in _value_batches(survey.id, versions):
            for meta, values in batch:
                yield {**dict(zip(META_COLUMNS, meta)), **dict(sorted(values.items()))}

    return keys, rows()


def write_responses(slug: str, fmt: str, out: IO[str]) -> None:
    """The responses export, written to `out` batch by batch as it is read."""
    for chunk in response_chunks(slug, fmt):
        out.write(chunk)


def response_chunks(slug: str, fmt: str):
    """The responses export as text chunks, one per batch: for a file, standard output or a
    streamed HTTP response. Raises UnknownSurvey before the first chunk."""
    survey, versions, keys = _survey_versions(slug)
    if fmt == "json":
        return _json_chunks(_value_batches(survey.id, versions))
    return _csv_chunks(survey.id, versions, keys)


def _json_chunks(batches):
    yield "["
    first = True
    for batch in batches:
        parts = []
        for meta, values in batch:
            row = {**dict(zip(META_COLUMNS, meta)), **dict(sorted(values.items()))}
            parts.append(("\n" if first else ",\n") + json.dumps(row, ensure_ascii=False))
            first = False
        yield "".join(parts)
    yield "\n]\n"


def _csv_chunks(survey_id: int, versions: dict[int, SurveyVersion], keys: list[str]):
    """The CSV, a batch per chunk. The hot loop of a large export: each version has a plan of one
    (slot in the pivoted row, cell maker) per column, made once, so a row costs a list
    comprehension and no dict, and csv.writer gets whole batches."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([*META_COLUMNS, *keys])
    yield _drain(buffer)
    pivot = _Pivot(versions, db.session.connection().dialect.name)
    cells_of = {vid: [(pivot.slots[(key, kind)], _CSV_CELLS[kind]) if (kind := spec.get(key)) else (0, _empty)
                      for key in keys]
                for vid, spec in pivot.kinds.items()}
    numbers = {vid: v.number for vid, v in versions.items()}
    for batch in _response_batches(survey_id, pivot):
        rows = []
        for meta, answers in batch:
            vid = meta[2]
            row = ["" if m is None else m for m in meta]
            row[2] = numbers[vid]
            if answers is None:
                row.extend("" for _key in keys)
            else:
                row.extend("" if (value := answers[slot]) is None else cell(value) for slot, cell in cells_of[vid])
            rows.append(row)
        writer.writerows(rows)
        yield _drain(buffer)


def _drain(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def _survey_versions(slug: str):
    """(survey, {version id: version}, question keys), or UnknownSurvey."""
    survey = Survey.by_slug(slug)
    if survey is None:
        raise UnknownSurvey(slug)
    versions = {v.id: v for v in db.session.scalars(sa.select(SurveyVersion).where(SurveyVersion.survey_id == survey.id))}
    return survey, versions, question_keys(list(versions.values()))


# --- How answers become cells and values ----------------------------------------------------
# The pivot reads raw DBAPI rows (no ORM objects, no SQLAlchemy type processing), so each kind
# of answer says which column holds it and how a raw value becomes the API value and the CSV
# cell. Raw values differ by database: SQLite gives booleans as 0/1 and dates as text.

#: The Answer column each kind reads (lists: their choices, joined in order by the database).
_COLUMN_OF_KIND = {"choice": Answer.choice, "text": Answer.text, "integer": Answer.number, "number": Answer.number,
                   "date": Answer.date, "boolean": Answer.boolean}


def _kinds(version: SurveyVersion) -> dict[str, str]:
    """{question key: kind of answer} for one version's questions (each type says its kind)."""
    return {q.key: question_type(q.type).export_kind_of(q) for q in version.survey_def.questions}


def _date_text(value) -> str:
    return value if value.__class__ is str else value.isoformat()


def _safe_text(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def _empty(_value) -> str:
    return ""


def _identity(value):
    return value


#: {kind: raw value (never None) -> CSV cell}: text made spreadsheet-safe, yes/no, lists joined by ";".
_CSV_CELLS = {
    "choice": _safe_text, "text": _safe_text, "integer": int, "number": _identity,
    "boolean": lambda value: "yes" if value else "no", "date": lambda value: _safe_text(_date_text(value)),
    "list": lambda items: _safe_text(";".join(items)),
}
#: {kind: raw value (never None) -> the API value}, as app.responses.submission.answers_from_rows gives it.
_API_VALUES = {
    "choice": _identity, "text": _identity, "integer": int, "number": _identity, "boolean": bool,
    "date": _date_text, "list": _identity,
}


class _Pivot:
    """The query that pivots a batch's answers to one row per response: one column (slot) per
    (question key, kind) that any version reads. List answers come as a list of choices in order
    of position."""

    def __init__(self, versions: dict[int, SurveyVersion], dialect: str):
        self.kinds = {vid: _kinds(v) for vid, v in versions.items()}
        self.dialect = dialect
        self.slots: dict[tuple[str, str], int] = {}
        selected = [Answer.response_id]
        for kinds in self.kinds.values():
            for key, kind in kinds.items():
                if (key, kind) not in self.slots:
                    self.slots[(key, kind)] = len(selected)
                    selected.append(self._aggregate(kind).filter(Answer.question_key == key))
        self.lists = sorted({slot for (_key, kind), slot in self.slots.items() if kind == "list"})
        self.query = (sa.select(*selected).where(Answer.response_id.between(sa.bindparam("first"), sa.bindparam("last")))
                      .group_by(Answer.response_id))

    def _aggregate(self, kind: str):
        if kind == "list":
            return list_aggregate(self.dialect)
        if kind == "boolean" and self.dialect == "postgresql":
            return sa.func.bool_or(Answer.boolean)
        return sa.func.max(_COLUMN_OF_KIND[kind])

    def rows(self, conn, first: int, last: int) -> dict[int, list]:
        """{response id: pivoted row} of the responses with ids first..last that have answers."""
        found = {}
        lists = self.lists
        positioned = is_positioned(self.dialect)
        for row in _raw_rows(conn, self.query, first=first, last=last):
            row = list(row)
            for slot in lists:
                if row[slot] is not None:
                    row[slot] = list_items(row[slot], positioned)
            found[row[0]] = row
        return found


def _raw_rows(conn, statement, **params) -> list[tuple]:
    """The rows of `statement` as the DBAPI gives them: plain tuples, no SQLAlchemy row objects or
    type processing (which cost more than the query in a large export)."""
    result = conn.execute(statement, params)
    try:
        return result.cursor.fetchall()
    finally:
        result.close()


def _submitted_text(dialect: str):
    """Response.submitted_at as the export writes it, "2026-03-01T09:30:15Z", formatted by the
    database (datetime.isoformat(timespec="seconds") + "Z": seconds truncated, naive UTC)."""
    if dialect == "postgresql":
        return sa.func.to_char(Response.submitted_at, 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
    return sa.func.strftime("%Y-%m-%dT%H:%M:%SZ", Response.submitted_at)


def _response_batches(survey_id: int, pivot: _Pivot):
    """Lists of (meta, answers) for the survey's standing responses, BATCH at a time: meta is a
    tuple in the order of META_COLUMNS but with the version's id for its number, answers the
    response's pivoted row (see `_Pivot`) or None.

    Keyset batches on the response id, each one query for the responses and one for their
    answers (raw rows), so nothing grows with the survey's size.
    """
    conn = db.session.connection()
    responses = (sa.select(Response.id, Response.submission_id, Response.survey_version_id, Response.lang,
                           Response.channel, _submitted_text(conn.dialect.name), Response.consent_version)
                 .where(Response.survey_id == survey_id, Response.counted(),
                        Response.id > sa.bindparam("after"))
                 .order_by(Response.id).limit(BATCH))  # by index seek: ix_responses_survey_standing_id
    after = 0
    while True:
        batch = _raw_rows(conn, responses, after=after)
        if not batch:
            return
        first, after = batch[0][0], batch[-1][0]
        answers = pivot.rows(conn, first, after)
        yield [(meta, answers.get(meta[0])) for meta in batch]


def _value_batches(survey_id: int, versions: dict[int, SurveyVersion]):
    """Lists of (meta, values): meta in the order of META_COLUMNS, values {question key: answer}
    in API form, as answers_from_rows gives them (sort the keys for its key order)."""
    pivot = _Pivot(versions, db.session.connection().dialect.name)
    numbers = {vid: v.number for vid, v in versions.items()}
    plans = {vid: [(key, pivot.slots[(key, kind)], _API_VALUES[kind]) for key, kind in kinds.items()]
             for vid, kinds in pivot.kinds.items()}
    for batch in _response_batches(survey_id, pivot):
        found = []
        for meta, answers in batch:
            values = {}
            if answers is not None:
                for key, slot, convert in plans[meta[2]]:
                    if (value := answers[slot]) is not None:  # no answer (a stored answer always has its value)
                        values[key] = convert(value)
            found.append(((meta[0], meta[1], numbers[meta[2]], *meta[3:]), values))
        yield found


# --- Focus groups -------------------------------------------------------------------------------
# Sessions with their participants (demographics), contributions (themes), organisations named,
# ties mentioned and votes. Withdrawn participants are left out, with everything they said and
# their rankings; a mention on a withdrawn participant's words goes with them.

#: Columns of the focus-group CSV before the dimensions, one row per record of any kind.
FOCUS_GROUP_HEAD = ("record", "focus_group_id", "focus_group", "date", "place", "lang", "host", "survey",
                    "survey_version", "participant", "consent_version")
#: Columns after the dimensions.
FOCUS_GROUP_TAIL = ("contribution_id", "kind", "text", "text_lang", "themes", "learned_themes", "stakeholder", "source", "target",
                    "relationship_type", "priority", "votes", "rank")


def focus_group_sessions() -> list[dict]:
    """Every session as a dict with its records nested, withdrawn participants left out."""
    groups = db.session.scalars(sa.select(FocusGroup).order_by(FocusGroup.date, FocusGroup.id)).all()
    versions = {v.id: v for v in db.session.scalars(sa.select(SurveyVersion).where(
        SurveyVersion.id.in_([g.survey_version_id for g in groups if g.survey_version_id])))}
    slugs = dict(db.session.execute(sa.select(Survey.id, Survey.slug)).all())
    records = _focus_group_records()
    sessions = []
    for g in groups:
        version = versions.get(g.survey_version_id)
        own = records.get(g.id, {})
        sessions.append({
            "id": g.id, "title": g.title, "date": g.date.isoformat(), "place": g.place, "lang": g.lang,
            "host": g.host_id, "survey": slugs.get(version.survey_id) if version else None,
            "survey_version": version.number if version else None,
            **{kind: own.get(kind, []) for kind in ("participants", "contributions", "mentions", "relationships")},
            "votes": {"dots": own.get("dots", {}), "rankings": [
                {"participant": code, "ranking": keys} for code, keys in own.get("rankings", {}).items()]},
        })
    return sessions


def _focus_group_records() -> dict[int, dict]:
    """{session id: {"participants": […], "contributions": […], "mentions": […], "relationships": […],
    "dots": {priority: n}, "rankings": {code: [keys]}}}, withdrawn participants' records left out."""
    records: dict[int, dict] = {}

    def add(group_id: int, kind: str, item) -> None:
        records.setdefault(group_id, {}).setdefault(kind, []).append(item)

    people = db.session.scalars(sa.select(Participant).where(Participant.counted())
                                .order_by(Participant.id)).all()
    codes = {p.id: p.code for p in people}
    demographics: dict[int, dict] = {}
    for a in db.session.scalars(sa.select(ParticipantAttribute).where(
            ParticipantAttribute.participant_id.in_(list(codes))).order_by(ParticipantAttribute.dimension)):
        demographics.setdefault(a.participant_id, {})[a.dimension] = a.category
    for p in people:
        add(p.focus_group_id, "participants",
            {"code": p.code, "consent_version": p.consent_version, "demographics": demographics.get(p.id, {})})
    contributions = db.session.scalars(sa.select(Contribution).order_by(Contribution.created_at, Contribution.id))
    kept = [c for c in contributions if c.participant_id is None or c.participant_id in codes]
    themes = _contribution_themes({c.id for c in kept})
    learned = _learned_suggestions({c.id for c in kept})
    for c in kept:
        add(c.focus_group_id, "contributions",
            {"id": c.id, "client_id": c.client_id, "participant": codes.get(c.participant_id), "kind": c.kind,
             "text": c.text, "lang": c.lang, "created_at": c.created_at.isoformat(timespec="seconds") + "Z",
             "themes": themes.get(c.id, []), "learned_themes": learned.get(c.id, [])})
    kept_ids = {c.id for c in kept}
    for m in db.session.scalars(sa.select(Mention).order_by(Mention.id)):
        if m.contribution_id is None or m.contribution_id in kept_ids:
            add(m.focus_group_id, "mentions", {"stakeholder": m.stakeholder_id, "contribution": m.contribution_id})
    ties = sa.select(Relationship).where(Relationship.provenance == "focus_group",
                                         Relationship.focus_group_id.is_not(None)).order_by(Relationship.id)
    for r in db.session.scalars(ties):
        add(r.focus_group_id, "relationships", {"source": r.source_id, "target": r.target_id, "type": r.type})
    for v in db.session.scalars(sa.select(Vote).order_by(Vote.participant_id, Vote.rank, Vote.priority)):
        own = records.setdefault(v.focus_group_id, {})
        if v.participant_id is None:
            own.setdefault("dots", {})[v.priority] = v.votes
        elif v.participant_id in codes:
            own.setdefault("rankings", {}).setdefault(codes[v.participant_id], []).append(v.priority)
    return records


def _contribution_themes(contribution_ids: set[int]) -> dict[int, list[str]]:
    """{contribution id: theme keys people tagged it with (accepted)}; the automatic tagger's tags
    are left out, as the tagger can make them again from the text."""
    themes: dict[int, list[str]] = {}
    for cid, theme in db.session.execute(sa.select(ThemeTag.contribution_id, ThemeTag.theme).distinct().where(
            ThemeTag.contribution_id.is_not(None), ThemeTag.status == "accepted",
            ThemeTag.coder.not_in(MACHINE_CODERS))
            .order_by(ThemeTag.theme)):
        if cid in contribution_ids:
            themes.setdefault(cid, []).append(theme)
    return themes


def _learned_suggestions(contribution_ids: set[int]) -> dict[int, list[dict]]:
    """{contribution id: [{"theme", "probability"}]}: the themes the tagger learned from review
    suggests (app.themes.learning), kept apart from people's themes and marked as learned, since
    no person decided them."""
    found: dict[int, list[dict]] = {}
    for cid, theme, score in db.session.execute(sa.select(ThemeTag.contribution_id, ThemeTag.theme, ThemeTag.score).where(
            ThemeTag.contribution_id.is_not(None), ThemeTag.status == "accepted", ThemeTag.coder == LEARNED_CODER)
            .order_by(ThemeTag.contribution_id, ThemeTag.theme)):
        if cid in contribution_ids:
            found.setdefault(cid, []).append({"theme": theme, "probability": round(score or 0.0, 3)})
    return found


def focus_group_rows(sessions: list[dict]) -> tuple[list[str], list[dict]]:
    """(columns, rows) for the CSV: one row per session, participant, contribution, mention,
    relationship, dot count and ranking place, the `record` column saying which."""
    dimensions = sorted({d for s in sessions for p in s["participants"] for d in p["demographics"]})
    rows = []
    for s in sessions:
        base = {"focus_group_id": s["id"], "focus_group": s["title"], "date": s["date"], "place": s["place"],
                "lang": s["lang"], "host": s["host"], "survey": s["survey"], "survey_version": s["survey_version"]}
        rows.append({"record": "session", **base})
        rows += [{"record": "participant", **base, "participant": p["code"], "consent_version": p["consent_version"],
                  **p["demographics"]} for p in s["participants"]]
        rows += [{"record": "contribution", **base, "participant": c["participant"], "contribution_id": c["id"],
                  "kind": c["kind"], "text": c["text"], "text_lang": c["lang"], "themes": ";".join(c["themes"]),
                  "learned_themes": ";".join(f"{s['theme']}:{s['probability']:.3f}" for s in c["learned_themes"])}
                 for c in s["contributions"]]
        rows += [{"record": "mention", **base, "stakeholder": m["stakeholder"], "contribution_id": m["contribution"]}
                 for m in s["mentions"]]
        rows += [{"record": "relationship", **base, "source": r["source"], "target": r["target"],
                  "relationship_type": r["type"]} for r in s["relationships"]]
        rows += [{"record": "dot_vote", **base, "priority": k, "votes": n} for k, n in s["votes"]["dots"].items()]
        rows += [{"record": "ranking", **base, "participant": r["participant"], "priority": key, "rank": place}
                 for r in s["votes"]["rankings"] for place, key in enumerate(r["ranking"], start=1)]
    return [*FOCUS_GROUP_HEAD, *dimensions, *FOCUS_GROUP_TAIL], rows


def write_focus_groups(fmt: str, out: IO[str]) -> None:
    """The focus-group export as JSON (sessions with records nested) or CSV (one row per record)."""
    sessions = focus_group_sessions()
    if fmt == "json":
        json.dump(sessions, out, ensure_ascii=False, indent=1)
        out.write("\n")
        return
    columns, rows = focus_group_rows(sessions)
    writer = csv.writer(out)
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if row.get(c) is None else spreadsheet_safe(row.get(c)) for c in columns])
