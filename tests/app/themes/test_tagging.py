"""Automatic tagging in a background task: answers that arrive through the API are tagged by a task
started after their commit, again when the codebook's keywords change, in committed batches, never
touching people's tags; reading a report never tags (it counts what waits)."""
import sqlalchemy as sa

from app.core.extensions import db
from app.models import TaggedText, ThemeTag
from app.models import TaskRun
from tests.app.themes.conftest import api_report, item_of, review, submit, theme
from tests.conftest import make_token


def auto_tags(app, item):
    with app.app_context():
        return set(db.session.scalars(sa.select(ThemeTag.theme).where(
            ThemeTag.answer_id == int(item[1:]), ThemeTag.coder == "auto")))


def test_answers_sent_through_the_api_are_tagged_by_a_task_after_the_commit(themes_app, client):
    item = item_of(themes_app, submit(client, "The rent is too high and the landlord ignores us."))
    assert auto_tags(themes_app, item) == {"housing", "rent"}
    with themes_app.app_context():
        runs = db.session.execute(sa.select(TaskRun.kind, TaskRun.status, TaskRun.progress, TaskRun.total)).all()
    assert runs == [("tag_texts", "done", 1, 1)]
    report = api_report(client, make_token(themes_app, "equity_lead"))
    assert theme(report, "rent")["count"] == 1 and theme(report, "housing")["count"] == 1
    assert report["n"] == 1 and report["pending"] == 0


def test_english_texts_get_a_sentiment_and_other_languages_none(themes_app, client):
    english = item_of(themes_app, submit(client, "The park is lovely."))
    spanish = item_of(themes_app, submit(client, "El alquiler es muy caro.", lang="es"))
    api_report(client, make_token(themes_app, "admin"))
    with themes_app.app_context():
        rows = {f"a{r.answer_id}": r for r in db.session.scalars(sa.select(TaggedText))}
    assert rows[english].polarity > 0 and rows[english].subjectivity is not None
    assert rows[spanish].polarity is None and rows[spanish].subjectivity is None


def test_changing_keywords_retags_and_keeps_peoples_tags(themes_app, client, auth):
    item = item_of(themes_app, submit(client, "The library closes too early."))
    auth.login("admin")
    review(client, item, ["transport"])  # a person's tag, before the change
    assert auto_tags(themes_app, item) == set()
    page = client.get("/reports/themes/codebook/parks/edit").get_data(as_text=True)
    from tests.forms import hidden_fields
    form = hidden_fields(page, page.count("<form", 0, page.index('name="label_en"')) - 1)
    response = client.post("/reports/themes/codebook/parks/edit", data={
        **form, "parent": "", "label_en": "Parks and libraries", "keywords_en": "park\nlibrary"})
    assert response.status_code == 302
    report = api_report(client, make_token(themes_app, "equity_lead"))
    assert auto_tags(themes_app, item) == {"parks"}
    with themes_app.app_context():
        people = db.session.execute(sa.select(ThemeTag.theme, ThemeTag.status).where(
            ThemeTag.answer_id == int(item[1:]), ThemeTag.coder != "auto")).all()
    assert people == [("transport", "accepted")]
    assert theme(report, "parks")["label"] == "Parks and libraries" and theme(report, "parks")["count"] == 1


def test_renaming_a_theme_does_not_retag(themes_app, client):
    from app.themes.codebook import current_codebook, save_theme
    submit(client, "More buses please.")
    token = make_token(themes_app, "equity_lead")
    api_report(client, token)
    with themes_app.app_context():
        before = db.session.scalar(sa.select(TaggedText.tagged_at))
        _codebook, old_hash = current_codebook()
        save_theme({"key": "transport", "labels": {"en": "Getting around"}, "keywords": {"en": ["bus", "train"]}})
        db.session.commit()
        assert current_codebook()[1] == old_hash
    assert theme(api_report(client, token), "transport")["label"] == "Getting around"
    with themes_app.app_context():
        assert db.session.scalar(sa.select(TaggedText.tagged_at)) == before


def test_tagging_commits_batch_by_batch_within_a_budget(themes_app, client, tasks_held):
    from app.themes.codebook import current_codebook
    from app.themes.tagging import bring_up_to_date, pending_count
    for n in range(5):
        submit(client, f"Bus number {n} is late.")
    commits = []
    with themes_app.app_context():
        codebook, tag_hash = current_codebook()

        def commit():
            db.session.commit()
            commits.append(db.session.scalar(sa.select(sa.func.count()).select_from(TaggedText)))

        run = bring_up_to_date(codebook, tag_hash, commit=commit, budget=0, batch_size=2)
        assert (run.tagged, run.batches, run.pending) == (2, 1, 3) and commits == [2]
        run = bring_up_to_date(codebook, tag_hash, commit=commit, batch_size=2)
        assert (run.tagged, run.batches, run.pending) == (3, 2, 0) and commits == [2, 4, 5]
        assert pending_count(tag_hash) == 0


def test_a_read_says_how_many_texts_wait_and_tags_none(themes_app, client, tasks_held):
    from app.tasks.runner import run_with_retries
    for text in ("A bus.", "A train.", "A park."):
        submit(client, text)
    token = make_token(themes_app, "equity_lead")
    report = api_report(client, token)
    # The texts still waiting are selected but neither counted nor in the shares' denominator yet.
    assert report["pending"] == 3 and report["n"] == 0 and report["n_texts"] == 3
    assert api_report(client, token)["pending"] == 3  # a second read did not tag either
    # One tagging task for the burst of submissions (a queued one is reused), run as a worker would.
    assert len(set(tasks_held)) == 1
    with themes_app.app_context():
        assert run_with_retries(tasks_held[0]) is True
    report = api_report(client, token)
    assert report["pending"] == 0 and report["n"] == 3 and sum(t["count"] for t in report["themes"]) == 3


def test_the_tag_command_tags_everything(themes_app, client, runner, tasks_held):
    item = item_of(themes_app, submit(client, "Fix the park."))
    result = runner.invoke(args=["themes", "tag"])
    assert result.exit_code == 0, result.output
    assert "tagged 1 texts in 1 batches; 0 waiting" in result.output
    assert auto_tags(themes_app, item) == {"parks"}
    again = runner.invoke(args=["themes", "tag"])
    assert "tagged 0 texts" in again.output
