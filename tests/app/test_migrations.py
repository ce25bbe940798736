"""The migrations produce the same schema as the models."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from app.core.extensions import db


def test_migrations_match_models(empty_app):
    app = empty_app
    with app.app_context():
        upgrade(directory=app.extensions["migrate"].directory)
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
        downgrade(directory=app.extensions["migrate"].directory, revision="base")
        db.engine.dispose()
    assert diff == []
