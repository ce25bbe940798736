"""Survey-based indicator values through the real database, against figures computed by hand."""
import pytest

from app.indicators.service import indicator_series
from tests.app.indicators.helpers import add_baseline, add_many, add_response, load, write_indicator


@pytest.fixture
def folder(tmp_path):
    path = tmp_path / "indicators"
    path.mkdir()
    return path


def series(app, key, **filters):
    with app.test_request_context():
        return indicator_series(key, **filters)


def test_share_counts_those_who_answered_in_the_year_they_submitted(surveys, folder):
    app = surveys
    write_indicator(folder, "feel_safe", """\
        title: Feel safe
        unit: percent
        polarity: higher_is_better
        frequency: year
        result: safe
        source: {survey: community-needs, question: safety_rating, share_of: [4, 5]}
        baseline: {period: 2024, value: 0.5}
        targets: [{period: 2027, value: 0.8}]
        """)
    load(app, folder)
    # 2024: 12 of 20 answered 4 or 5; 3 skipped the question (not counted); 5 withdrawn (never count).
    add_many(app, "2024-03-01", {"safety_rating": 5}, 7)
    add_many(app, "2024-12-31", {"safety_rating": 4}, 5)
    add_many(app, "2024-06-01", {"safety_rating": 2}, 8)
    add_many(app, "2024-06-01", {"recommend": True}, 3)
    add_many(app, "2024-06-01", {"safety_rating": 5}, 5, withdrawn=True)
    # 2025: 15 of 20.
    add_many(app, "2025-01-01", {"safety_rating": 4}, 15)
    add_many(app, "2025-07-01", {"safety_rating": 1}, 5)
    result = series(app, "feel_safe")
    assert [(p["period"], p["n"], p["value"]) for p in result["periods"]] == [
        ("2024", 20, pytest.approx(12 / 20)), ("2025", 20, pytest.approx(15 / 20))]
    assert result["periods"][0]["ci"] == pytest.approx([0.3866, 0.7812], abs=1e-4)  # Wilson 12/20
    # Baseline (2024, .5) to target (2027, .8): 2025 expects .6; .75 is on track.
    assert result["status"] == "on_track"
    assert result["status_detail"]["expected"] == pytest.approx(0.6)
    assert result["forecast"] == []  # two values make no line with an interval
    assert series(app, "feel_safe", period="2025")["periods"] == result["periods"][1:]


def test_mean_by_quarter_and_count_by_month(surveys, folder):
    app = surveys
    write_indicator(folder, "rating", """\
        title: Rating
        unit: number
        polarity: higher_is_better
        frequency: quarter
        result: safe
        source: {survey: community-needs, question: safety_rating, mean: true}
        """)
    write_indicator(folder, "heard", """\
        title: Heard
        unit: count
        polarity: higher_is_better
        frequency: month
        result: heard
        source: {survey: community-needs, count: true}
        """)
    load(app, folder)
    add_many(app, "2025-01-10", {"safety_rating": 2}, 3)
    add_many(app, "2025-03-10", {"safety_rating": 5}, 3)   # Q1: 2,2,2,5,5,5 → mean 3.5
    add_many(app, "2025-04-10", {"safety_rating": 1}, 2)
    add_many(app, "2025-04-11", {"recommend": False}, 4)  # Q2: 1,1 → too few for a mean
    rating = series(app, "rating")["periods"]
    assert [(p["period"], p["n"], p["value"]) for p in rating] == [("2025-Q1", 6, 3.5), ("2025-Q2", 2, None)]
    # s² = 6 * 2.25 / 5 = 2.7; t(5) = 2.570582
    half = 2.5705818 * (2.7 / 6) ** 0.5
    assert rating[0]["ci"] == pytest.approx([3.5 - half, 3.5 + half], abs=1e-6)
    assert rating[1]["suppressed"] == "too_few"
    heard = series(app, "heard")["periods"]
    assert [(p["period"], p["value"], p["suppressed"]) for p in heard] == [
        ("2025-01", None, "primary"), ("2025-03", None, "primary"), ("2025-04", 6, None)]
    assert heard[0]["range"] == [1, 4]


def test_multiple_choice_share_counts_people_not_ticks(surveys, folder):
    app = surveys
    write_indicator(folder, "food", """\
        title: Food bank
        unit: percent
        polarity: lower_is_better
        frequency: year
        result: food
        source: {survey: community-needs, question: services_used, share_of: [food_bank, clinic]}
        """)
    load(app, folder)
    add_many(app, "2025-02-01", {"services_used": ["food_bank", "clinic"]}, 6)  # counted once each
    add_many(app, "2025-02-01", {"services_used": ["library"]}, 14)
    [period] = series(app, "food")["periods"]
    assert (period["n"], period["value"]) == (20, pytest.approx(6 / 20))


def test_weighted_share_rakes_to_the_population_by_hand(surveys, folder):
    app = surveys
    write_indicator(folder, "feel_safe_w", """\
        title: Feel safe, weighted
        unit: percent
        polarity: higher_is_better
        frequency: year
        result: safe
        source: {survey: community-needs, question: safety_rating, share_of: [4, 5], weighted: true}
        """)
    load(app, folder)
    add_baseline(app, "city", "gender", {"woman": 5000, "man": 5000})
    # 30 men (10 feel safe), 10 women (8 feel safe): weights 2/3 and 2 → (10·2/3 + 8·2) / 40.
    add_many(app, "2025-05-01", {"gender": "man", "safety_rating": 5}, 10)
    add_many(app, "2025-05-01", {"gender": "man", "safety_rating": 1}, 20)
    add_many(app, "2025-05-01", {"gender": "woman", "safety_rating": 4}, 8)
    add_many(app, "2025-05-01", {"gender": "woman", "safety_rating": 2}, 2)
    result = series(app, "feel_safe_w")
    [period] = result["periods"]
    assert period["weighted"] is True and result["weighting"] is None
    assert period["value"] == pytest.approx((10 * 2 / 3 + 8 * 2) / 40)
    assert period["n"] == 40 and period["effective_n"] == 30.0
    # A geography with no figures of its own is not raked to another place's population.
    eastfield = series(app, "feel_safe_w", geography="eastfield")
    assert eastfield["weighting"] == "no_baseline"


def test_breakdown_suppresses_small_cells_with_a_safe_range(surveys, folder):
    app = surveys
    write_indicator(folder, "feel_safe", """\
        title: Feel safe
        unit: percent
        polarity: higher_is_better
        frequency: year
        result: safe
        source: {survey: community-needs, question: safety_rating, share_of: [4, 5]}
        disaggregate: [gender]
        """)
    load(app, folder)
    add_many(app, "2025-05-01", {"gender": "woman", "safety_rating": 5}, 20)
    add_many(app, "2025-05-01", {"gender": "woman", "safety_rating": 1}, 10)
    add_many(app, "2025-05-01", {"gender": "man", "safety_rating": 4}, 12)
    add_many(app, "2025-05-01", {"gender": "man", "safety_rating": 2}, 12)
    add_many(app, "2025-05-01", {"gender": "non_binary", "safety_rating": 4}, 2)
    add_many(app, "2025-05-01", {"safety_rating": 3}, 6)   # gender not stated
    result = series(app, "feel_safe", dimension="gender")
    cells = {c["category"]: c["periods"][0] for c in result["disaggregation"]["categories"]}
    assert cells["non_binary"]["suppressed"] == "primary" and cells["non_binary"]["range"] == [1, 4]
    assert cells["non_binary"]["value"] is None and cells["non_binary"]["n"] is None
    # The complement: one more cell hidden, published as the range the total allows.
    hidden = [c for c, cell in cells.items() if cell["suppressed"] == "complementary"]
    assert len(hidden) == 1 and cells[hidden[0]]["range"] is not None
    shown = [c for c, cell in cells.items() if cell["suppressed"] is None]
    for category in shown:
        expected = {"woman": (30, 20 / 30), "man": (24, 0.5)}[category]
        assert (cells[category]["n"], cells[category]["value"]) == (expected[0], pytest.approx(expected[1]))
    # The total is still the whole period: 34 of 62.
    assert result["periods"][0]["value"] == pytest.approx(34 / 62)
    # Filtering to the small group shows nothing of what they said.
    [only] = series(app, "feel_safe", dimension="gender", category="non_binary")["periods"]
    assert only["value"] is None and only["suppressed"] == "too_few"
    # A period with too few people for a breakdown shows none of it.
    add_many(app, "2026-01-01", {"gender": "woman", "safety_rating": 5}, 6)
    late = series(app, "feel_safe", dimension="gender", period="2026")["disaggregation"]["categories"]
    assert {c["periods"][0]["suppressed"] for c in late} == {"too_few"}


def test_forecast_and_status_from_a_history(surveys, folder):
    import numpy as np
    app = surveys
    write_indicator(folder, "heard", """\
        title: Heard
        unit: count
        polarity: higher_is_better
        frequency: month
        result: heard
        source: {survey: community-needs, count: true}
        targets: [{period: 2025-12, value: 30}]
        """)
    load(app, folder)
    counts = [10, 12, 15, 14, 18]
    for month, n in enumerate(counts, start=1):
        add_many(app, f"2025-{month:02d}-15", {"recommend": True}, n)
    add_response(app, "2025-06-01", {"recommend": True}, withdrawn=True)
    result = series(app, "heard")
    assert [p["value"] for p in result["periods"]] == counts
    slope, intercept = np.polyfit(range(1, 6), counts, 1)
    forecast = {p["period"]: p for p in result["forecast"]}
    assert forecast["2025-12"]["value"] == pytest.approx(slope * 12 + intercept)
    assert forecast["2025-12"]["lo"] < forecast["2025-12"]["value"] < forecast["2025-12"]["hi"]
    assert list(forecast)[0] == "2025-06" and list(forecast)[-1] == "2026-05"  # 12 months past the last value
    assert result["status"] == "off_track" and result["status_detail"]["target"] == {"period": "2025-12", "value": 30.0}


def test_kept_values_follow_new_and_withdrawn_responses(surveys, folder):
    import datetime as dt
    from app.core.extensions import db
    from app.models import Response
    app = surveys
    write_indicator(folder, "heard", """\
        title: Heard
        unit: count
        polarity: higher_is_better
        frequency: year
        result: heard
        source: {survey: community-needs, count: true}
        """)
    load(app, folder)
    add_many(app, "2025-02-01", {"recommend": True}, 6)
    assert series(app, "heard")["periods"][0]["value"] == 6
    last = add_response(app, "2025-03-01", {"recommend": True})
    assert series(app, "heard")["periods"][0]["value"] == 7
    with app.app_context():
        db.session.get(Response, last).withdrawn_at = dt.datetime(2025, 4, 1)
        db.session.commit()
    assert series(app, "heard")["periods"][0]["value"] == 6


def test_a_yes_is_read_as_yes_after_a_rating_of_one_was_read():
    """True == 1 == 1.0 in Python: a cache keyed on the value alone once read a yes as the rating
    point "1", and a yes/no share on the scorecard (after a rating share) came out as 0%."""
    from app.indicators.compute import _normal
    assert (_normal(1.0), _normal(1), _normal(True), _normal(False), _normal(0.0)) == ("1", "1", "yes", "no", "0")


def test_a_forecast_stays_within_what_its_unit_allows():
    """Three yearly shares give a wide prediction band; a share's band stops at 0% and 100%, a
    count's at 0, and a number's is left as fitted."""
    from app.indicators.service import bounded
    point = {"value": 0.29, "lo": -0.657, "hi": 1.238}
    assert bounded(point, "percent") == {"value": 0.29, "lo": 0.0, "hi": 1.0}
    assert bounded({"value": -3.0, "lo": -9.0, "hi": 4.0}, "count") == {"value": 0.0, "lo": 0.0, "hi": 4.0}
    assert bounded(point, "number") == point
