"""A process that has drawn a survey serves its newer version as soon as one is loaded: the latest
version is looked up in the database on every request, and what is kept in memory (parsed
definitions, languages) is keyed by content hash, never by slug alone."""
import shutil

from app.core.extensions import db
from app.surveys.loader import load_surveys
from tests.conftest import SURVEYS_DIR

SLUG = "community-needs"


def test_a_newer_version_is_served_at_once_by_a_process_that_cached_the_old(client, surveys, tmp_path):
    before = client.get(f"/api/v1/surveys/{SLUG}").get_json()
    assert before["version"] == 1 and before["title"] == "Community needs survey"
    assert "Community needs survey" in client.get(f"/s/{SLUG}").get_data(as_text=True)

    changed = tmp_path / f"{SLUG}.yaml"
    shutil.copy(SURVEYS_DIR / f"{SLUG}.yaml", changed)
    changed.write_text(changed.read_text().replace("title: Community needs survey",
                                                   "title: Community needs survey, autumn round", 1))
    with surveys.app_context():
        load_surveys(changed)
        db.session.commit()

    after = client.get(f"/api/v1/surveys/{SLUG}").get_json()
    assert after["version"] == 2 and after["title"] == "Community needs survey, autumn round"
    assert "Community needs survey, autumn round" in client.get(f"/s/{SLUG}").get_data(as_text=True)
    listed = {s["slug"]: s for s in client.get("/api/v1/surveys").get_json()["surveys"]}
    assert listed[SLUG]["version"] == 2
