"""The streamed responses export: the same bytes as the ORM export it replaced, on every answer
type, two survey versions, withdrawn responses and another survey's responses in between; and
memory that does not grow with the number of rows."""
import csv
import datetime as dt
import io
import json
import shutil
import tracemalloc

import pytest
import sqlalchemy as sa

from app.reporting import export
from app.reporting.export import question_keys, spreadsheet_safe, write_responses
from app.core.extensions import db
from app.models import Answer, Response, Survey, SurveyVersion
from app.responses.submission import answers_from_rows
from app.surveys.loader import load_surveys
from tests.conftest import SURVEYS_DIR


def reference_export(slug: str, fmt: str) -> str:
    """The export as it was before streaming (ORM objects, answers_from_rows): the oracle."""
    survey = Survey.by_slug(slug)
    versions = {v.id: v for v in db.session.scalars(sa.select(SurveyVersion).where(SurveyVersion.survey_id == survey.id))}
    keys = question_keys(list(versions.values()))
    rows = []
    for response in db.session.scalars(sa.select(Response).where(
            Response.survey_id == survey.id, Response.withdrawn_at.is_(None)).order_by(Response.id)):
        own = db.session.scalars(sa.select(Answer).where(Answer.response_id == response.id)).all()
        version = versions[response.survey_version_id]
        rows.append({"response_id": response.id, "submission_id": response.submission_id,
                     "survey_version": version.number, "lang": response.lang, "channel": response.channel,
                     "submitted_at": response.submitted_at.isoformat(timespec="seconds") + "Z",
                     "consent_version": response.consent_version, **answers_from_rows(version.survey_def, own)})
    out = io.StringIO()
    if fmt == "json":
        out.write("[")
        for i, row in enumerate(rows):
            out.write(("," if i else "") + "\n" + json.dumps(row, ensure_ascii=False))
        out.write("\n]\n")
        return out.getvalue()
    writer = csv.writer(out)
    writer.writerow([*export.META_COLUMNS, *keys])
    for row in rows:
        cells = [row.get(c) for c in export.META_COLUMNS]
        for key in keys:
            value = row.get(key)
            if isinstance(value, list):
                value = ";".join(map(str, value))
            elif isinstance(value, bool):
                value = "yes" if value else "no"
            cells.append(spreadsheet_safe(value))
        writer.writerow(["" if c is None else c for c in cells])
    return out.getvalue()


def streamed(slug: str, fmt: str) -> str:
    out = io.StringIO()
    write_responses(slug, fmt, out)
    return out.getvalue()


def second_version(tmp_path):
    """community-needs version 2: years_here no longer a whole number, a new question, one gone."""
    target = tmp_path / "community-needs.yaml"
    shutil.copy(SURVEYS_DIR / "community-needs.yaml", target)
    text = target.read_text()
    start = text.index("      - key: years_here")
    text = text[:start] + text[start:].replace("        integer: true\n", "", 1)
    text = text.replace("      - key: safety_where\n", "      - key: zz_new_note\n        type: short_text\n"
                        "        label: Anything else?\n      - key: safety_where\n", 1)
    target.write_text(text.replace("How old are you?", "What is your age?"))
    load_surveys(tmp_path)
    return Survey.by_slug("community-needs").latest_version()


def add_response(version, sid, answers, *, minutes=0, lang="en", withdrawn=False):
    rid = db.session.execute(sa.insert(Response).values(
        submission_id=sid, survey_id=version.survey_id, survey_version_id=version.id, lang=lang, channel="web",
        consent_version=1 if minutes % 3 else None, consent_given=True,
        submitted_at=dt.datetime(2026, 3, 1, 9, 30, 15) + dt.timedelta(minutes=minutes),
        withdrawn_at=dt.datetime(2026, 4, 1) if withdrawn else None, demographics="{}",
    ).returning(Response.id)).scalar_one()
    empty = {"choice": None, "text": None, "number": None, "boolean": None, "date": None, "lang": None}
    rows = []
    for key, value in answers.items():
        if isinstance(value, list):
            # Stored out of order on purpose: the export must follow `position`.
            rows += [{**empty, "question_key": key, "position": i, "choice": v} for i, v in reversed(list(enumerate(value)))]
        else:
            column = {str: "choice", float: "number", int: "number", bool: "boolean", dt.date: "date"}[type(value)]
            if key in ("biggest_change", "safety_where", "zz_new_note"):
                column = "text"
            rows.append({**empty, "question_key": key, "position": 0, column: value})
    if rows:
        db.session.execute(sa.insert(Answer), [{**r, "response_id": rid} for r in rows])
    return rid


@pytest.fixture
def mixed(surveys, tmp_path):
    """Responses of both versions with every answer type, hostile text, withdrawn ones, and the
    partner survey's responses interleaved in the same id range."""
    app = surveys
    with app.app_context():
        v1 = Survey.by_slug("community-needs").latest_version()
        partner = Survey.by_slug("partner-survey").latest_version()
        v2 = second_version(tmp_path)
        texts = ["=HYPERLINK(\"http://x\")", "@SUM(A1)", "-1+2", "+33", "\ttab", "plain, with \"quotes\"\nand a line",
                 "مرحبا بكم", "你好"]
        for i in range(40):
            version = v2 if i % 4 == 0 else v1
            answers = {"priorities": ["jobs", "health", "housing"][: 1 + i % 3], "age_band": "25_44",
                       "recommend": i % 2 == 0, "safety_rating": float(1 + i % 5),
                       "years_here": 3.5 if version is v2 else float(i), "biggest_change": texts[i % len(texts)],
                       "services_used": ["library", "clinic"] if i % 5 else [],
                       "moved_in": dt.date(2020, 1, 1) + dt.timedelta(days=i), "bus_often": "agree"}
            if version is v2:
                answers["zz_new_note"] = "-note"
            else:
                answers["safety_where"] = "n/a"
                answers["zz_new_note"] = "left out: not in version 1"
            add_response(version, f"sid-{i:03d}", answers, minutes=i, lang=["en", "ar", "zh_Hans"][i % 3],
                         withdrawn=i % 7 == 3)
            if i % 6 == 0:
                add_response(partner, f"partner-{i:03d}", {"priorities": ["housing"]}, minutes=i)
        add_response(v1, "no-answers", {}, minutes=99)
        db.session.commit()
    return app


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_stream_is_byte_identical_to_the_old_export(mixed, monkeypatch, fmt):
    monkeypatch.setattr(export, "BATCH", 7)  # many batches, some ending between a response's answers' ids
    with mixed.app_context():
        expected = reference_export("community-needs", fmt)
        assert streamed("community-needs", fmt) == expected
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(expected)))
        assert len(rows) == 40 - 6 + 1  # 6 withdrawn (3, 10, 17, 24, 31, 38) left out
        assert rows[0]["biggest_change"] == "'=HYPERLINK(\"http://x\")" and rows[0]["years_here"] == "3.5"
        assert rows[1]["years_here"] == "1" and rows[2]["priorities"] == "jobs;health;housing"
        assert rows[0]["zz_new_note"] == "'-note" and rows[1]["zz_new_note"] == ""
        assert {r["submission_id"] for r in rows}.isdisjoint({"sid-003", "sid-010", "partner-000"})


def test_iter_responses_gives_the_old_rows(mixed):
    with mixed.app_context():
        keys, rows = export.iter_responses("community-needs")
        assert json.loads(reference_export("community-needs", "json")) == list(rows)
        assert keys[:3] == ["priorities", "biggest_change", "services_used"] and "zz_new_note" in keys


def test_unknown_survey_raises_before_any_output(surveys):
    with surveys.app_context(), pytest.raises(export.UnknownSurvey):
        export.response_chunks("nope", "csv")


def bulk(app, count):
    with app.app_context():
        version = Survey.by_slug("community-needs").latest_version()
        first = (db.session.scalar(sa.select(sa.func.max(Response.id))) or 0) + 1
        db.session.execute(sa.insert(Response), [
            {"id": first + i, "submission_id": f"bulk-{first + i}", "survey_id": version.survey_id,
             "survey_version_id": version.id, "lang": "en", "channel": "web", "consent_version": 1,
             "consent_given": True, "submitted_at": dt.datetime(2026, 1, 1), "demographics": "{}"}
            for i in range(count)])
        db.session.execute(sa.insert(Answer), [
            {"response_id": first + i, "question_key": key, "position": p, "choice": choice, "text": None,
             "number": None, "boolean": None, "date": None, "lang": None}
            for i in range(count)
            for key, p, choice in (("priorities", 0, "jobs"), ("priorities", 1, "health"), ("age_band", 0, "25_44"),
                                   ("gender", 0, "woman"), ("neighbourhood", 0, "riverside"))])
        db.session.commit()


class CountingSink(io.TextIOBase):
    """Counts what is written and keeps none of it, as a pipe to another program would."""

    def __init__(self):
        self.chars = 0

    def write(self, text):
        self.chars += len(text)
        return len(text)


def export_peak(app) -> tuple[int, int]:
    """(characters written, tracemalloc peak bytes) of one CSV export to a sink that keeps nothing."""
    sink = CountingSink()
    with app.app_context():
        db.session.scalar(sa.select(SurveyVersion.id))  # connection and caches warm before measuring
        tracemalloc.start()
        try:
            write_responses("community-needs", "csv", sink)
            return sink.chars, tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()


def test_memory_does_not_grow_with_the_rows(surveys, monkeypatch):
    """8 times the rows (800 to 6,400; batches of 200) must not raise the peak more than a batch's
    worth: the old export held every answer row of the run (about 1 KiB a row)."""
    monkeypatch.setattr(export, "BATCH", 200)
    bulk(surveys, 800)
    small_chars, small_peak = export_peak(surveys)
    bulk(surveys, 5600)
    large_chars, large_peak = export_peak(surveys)
    assert large_chars > 7 * small_chars
    assert large_peak < small_peak * 1.5 + 64 * 1024, (small_peak, large_peak)
    assert large_peak < 2 * 2**20
