"""Exports: responses (one row per response, one column per question key) and focus groups (CSV or JSON)."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import IO

import sqlalchemy as sa

from app.extensions import db
from app.models import (
    Answer, Contribution, FocusGroup, Mention, Participant, ParticipantAttribute, Relationship, Response, Survey,
    SurveyVersion, ThemeTag, Vote,
)
from app.submission import LIST_TYPES

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
        for batch in _response_batches(survey.id, versions):
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
    batches = _response_batches(survey.id, versions)
    return _json_chunks(batches) if fmt == "json" else _csv_chunks(batches, keys)


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


def _csv_chunks(batches, keys: list[str]):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([*META_COLUMNS, *keys])
    yield _drain(buffer)
    for batch in batches:
        for meta, values in batch:
            cells = ["" if m is None else m for m in meta]
            get = values.get
            for key in keys:  # the hot loop of a large export: types tested by class, cheapest first
                value = get(key)
                if value is None:
                    cells.append("")
                elif value.__class__ is str:
                    cells.append("'" + value if value.startswith(FORMULA_PREFIXES) else value)
                elif value.__class__ is list:
                    cells.append(spreadsheet_safe(";".join(map(str, value))))
                elif value is True or value is False:
                    cells.append("yes" if value else "no")
                else:
                    cells.append(spreadsheet_safe(value))
            writer.writerow(cells)
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


#: Which column of an answers row (choice, text, number, boolean, date) holds each type's value,
#: and how it becomes the API form (the same conversions as app.submission.answers_from_rows).
_SCALAR_SPECS = {
    "single_choice": (0, None), "likert": (0, None), "rating": (2, int), "short_text": (1, None),
    "long_text": (1, None), "date": (4, dt.date.isoformat), "yes_no": (3, None),
}
#: The spec of list answers (multiple choice, ranking, stakeholders): choices gathered in order.
LIST = object()


def _specs(version: SurveyVersion) -> dict[str, object]:
    """{question key: (column, conversion or None), or LIST} for one version's questions."""
    specs: dict[str, object] = {}
    for q in version.survey_def.questions:
        if q.type in LIST_TYPES:
            specs[q.key] = LIST
        elif q.type == "number":
            specs[q.key] = (2, int) if q.integer else (2, None)
        elif q.type in _SCALAR_SPECS:
            specs[q.key] = _SCALAR_SPECS[q.type]
    return specs


def _response_batches(survey_id: int, versions: dict[int, SurveyVersion]):
    """Lists of (meta, values) for the survey's standing responses, BATCH at a time: meta is a
    tuple in the order of META_COLUMNS, values {question key: answer}.

    Keyset batches on the response id, each one query for the responses and one for their
    answers (plain rows, no ORM objects), so nothing grows with the survey's size. The database
    pivots the answers to one row per response itself (see `_pivot_in_sql`). Values are
    the answers in API form, as answers_from_rows gives them (list items in order; sort the keys
    for its key order).
    """
    specs = {vid: _specs(v) for vid, v in versions.items()}
    numbers = {vid: v.number for vid, v in versions.items()}
    # Plain rows through the connection: no ORM loading for what is only read and written out.
    conn = db.session.connection()
    pivot = _pivot_in_sql(specs, conn.dialect.name)
    after = 0
    while True:
        responses = conn.execute(
            sa.select(Response.id, Response.submission_id, Response.survey_version_id, Response.lang,
                      Response.channel, Response.submitted_at, Response.consent_version)
            .where(Response.survey_id == survey_id, Response.withdrawn_at.is_(None), Response.id > after)
            .order_by(Response.id).limit(BATCH)
        ).all()
        if not responses:
            return
        first, after = responses[0][0], responses[-1][0]
        spec_of = {r[0]: specs[r[2]] for r in responses}
        values = pivot(conn, first, after, spec_of)
        yield [((rid, sid, numbers[vid], lang, channel, submitted.isoformat(timespec="seconds") + "Z", consent),
                values[rid])
               for rid, sid, vid, lang, channel, submitted, consent in responses]


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

    people = db.session.scalars(sa.select(Participant).where(Participant.withdrawn_at.is_(None))
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
            ThemeTag.coder.not_in(("auto", "learned")))
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
            ThemeTag.contribution_id.is_not(None), ThemeTag.status == "accepted", ThemeTag.coder == "learned")
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


#: Joins a list answer's items inside PostgreSQL; never in a choice value or stakeholder id.
_ITEM_SEPARATOR = "\x1f"


#: Between a list item's position and its value where the database cannot order inside an aggregate.
_POSITION_SEPARATOR = "\x1e"


def _list_aggregate(dialect: str):
    """A list answer's items in one string. PostgreSQL joins them in order of position; SQLite
    before 3.44 has no ORDER BY inside an aggregate, so each item carries its position and
    `_list_items` sorts them."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import aggregate_order_by
        return sa.func.string_agg(Answer.choice, aggregate_order_by(sa.literal(_ITEM_SEPARATOR), Answer.position))
    item = sa.cast(Answer.position, sa.String) + sa.literal(_POSITION_SEPARATOR) + Answer.choice
    return sa.func.group_concat(item, sa.literal(_ITEM_SEPARATOR))


def _list_items(joined: str, positioned: bool) -> list[str]:
    items = joined.split(_ITEM_SEPARATOR)
    if not positioned:
        return items
    pairs = sorted((int(p), v) for p, v in (item.split(_POSITION_SEPARATOR, 1) for item in items))
    return [v for _p, v in pairs]


def _pivot_in_sql(specs: dict[int, dict], dialect: str):
    """The answers of a batch pivoted by the database: one row per response, one column per
    (question key, answers column) that any version reads, list items in order of position."""
    positioned = dialect != "postgresql"
    columns = (Answer.choice, Answer.text, Answer.number, Answer.boolean, Answer.date)
    slots: dict[tuple, int] = {}
    selected = [Answer.response_id]
    for spec_by_key in specs.values():
        for key, spec in spec_by_key.items():
            slot = (key, "list" if spec is LIST else spec[0])
            if slot in slots:
                continue
            slots[slot] = len(selected)
            if spec is LIST:
                agg = _list_aggregate(dialect)
            elif spec[0] == 3 and dialect == "postgresql":
                agg = sa.func.bool_or(Answer.boolean)
            else:
                agg = sa.func.max(columns[spec[0]])
            selected.append(agg.filter(Answer.question_key == key))
    plans = {vid: [(key, slots[(key, "list" if spec is LIST else spec[0])], spec) for key, spec in spec_by_key.items()]
             for vid, spec_by_key in specs.items()}
    plan_of_specs = {id(specs[vid]): plans[vid] for vid in specs}

    def pivot(conn, first: int, last: int, spec_of: dict[int, dict]) -> dict[int, dict]:
        values: dict[int, dict] = {rid: {} for rid in spec_of}
        rows = conn.execute(sa.select(*selected).where(Answer.response_id.between(first, last))
                            .group_by(Answer.response_id)).all()
        for row in rows:
            own = spec_of.get(row[0])
            if own is None:  # another survey's or a withdrawn response in the same id range
                continue
            out = values[row[0]]
            for key, slot, spec in plan_of_specs[id(own)]:
                value = row[slot]
                if value is None:  # no answer (a stored answer always has its value)
                    continue
                if spec is LIST:
                    out[key] = _list_items(value, positioned)
                else:
                    out[key] = value if spec[1] is None else spec[1](value)
        return values

    return pivot
