"""The themes report's plan must not depend on fresh statistics, and bulk loads gather them."""
import sqlalchemy as sa

from app.core.extensions import db
from tests.app.themes.conftest import api_report, submit
from tests.conftest import SURVEYS_DIR, make_token


def test_themes_queries_are_planned_without_nested_loops_before_any_analyze(themes_app, client):
    """Right after a bulk load PostgreSQL guesses a few rows and nests the tags inside a loop over
    the texts (212 s for 20,000 responses); the report's queries must be hash joins."""
    for text in ("The rent is too high.", "More buses please.", "A park for the children."):
        submit(client, text)
    statements = []
    with themes_app.app_context():
        engine = db.engine

        def keep(conn, cursor, statement, parameters, context, executemany):
            statements.append((statement, parameters))
        sa.event.listen(engine, "before_cursor_execute", keep)
        try:
            report = api_report(client, make_token(themes_app, "equity_lead"))
        finally:
            sa.event.remove(engine, "before_cursor_execute", keep)
        themed = [(s, p) for s, p in statements if "effective_tags" in s]
        assert report["n"] == 3 and len(themed) >= 3
        if engine.dialect.name != "postgresql":
            return
        setting = [s for s, _p in statements].index("SET LOCAL enable_nestloop = off")
        assert setting < statements.index(themed[0])
        with engine.connect() as conn:
            conn.exec_driver_sql("SET enable_nestloop = off")  # as in the report's transaction
            for statement, parameters in themed:
                plan = "\n".join(conn.exec_driver_sql("EXPLAIN " + statement, parameters).scalars())
                assert "Nested Loop" not in plan, plan
                assert "CTE effective_tags" in plan  # computed once, never again per row


def test_loading_surveys_gathers_planner_statistics(app, runner):
    def analyzed():
        with app.app_context():
            if db.engine.dialect.name == "postgresql":
                db.session.execute(sa.text("SELECT pg_stat_clear_snapshot()"))
                return db.session.execute(sa.text(
                    "SELECT coalesce(analyze_count, 0) FROM pg_stat_user_tables "
                    "WHERE relid = CAST('survey_versions' AS regclass)")).scalar()
            tables = db.session.execute(sa.text("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'"))
            if not tables.scalar():
                return 0
            return db.session.execute(sa.text("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'survey_versions'")).scalar()

    before = analyzed()
    result = runner.invoke(args=["surveys", "load", str(SURVEYS_DIR)])
    assert result.exit_code == 0, result.output
    assert analyzed() > before
