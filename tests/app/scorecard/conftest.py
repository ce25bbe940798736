"""The demo initiative, seeded once per module (tests/app/reports/conftest.py), for the scorecard's pages."""
from tests.app.reports.conftest import demo_app, demo_client, lead  # noqa: F401  (fixtures)
