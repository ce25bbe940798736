"""The task tests' app: shipped surveys, the test codebook, some answers with text."""
import pytest

from app.core.extensions import db
from tests.app.themes.conftest import CODEBOOK, hold_tasks


@pytest.fixture
def tasks_app(app, surveys):
    from analysis.themes import Codebook
    from app.themes.codebook import replace_codebook
    with app.app_context():
        replace_codebook(Codebook.from_dict(CODEBOOK), source="test")
        db.session.commit()
    return app


@pytest.fixture
def tasks_held(monkeypatch):
    """Tasks recorded but not run; the ids started (tests.app.themes.conftest.hold_tasks)."""
    return hold_tasks(monkeypatch)
