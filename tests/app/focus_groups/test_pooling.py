"""The pooling queries the reports use: focus-group data as plain values, withdrawn people left out."""
import datetime as dt

import pytest

from app.focus_groups.queries import participant_dimension_counts, vote_rankings
from tests.app.focus_groups.helpers import withdraw_p2


def test_dimension_counts(app, filled):
    with app.app_context():
        assert participant_dimension_counts() == {"age_band": {"25_44": 2, "65_plus": 1},
                                                  "gender": {"man": 1, "woman": 1}}


def test_dimension_counts_leave_out_the_withdrawn(client, app, filled):
    withdraw_p2(client, filled)
    with app.app_context():
        assert participant_dimension_counts() == {"age_band": {"25_44": 2}, "gender": {"woman": 1}}


def test_vote_rankings(app, filled):
    with app.app_context():
        rankings = vote_rankings()
    dots = {"housing": 1.0, "jobs": 2.0, "transport": 4.5, "safety": 4.5, "health": 4.5, "youth": 4.5}
    assert rankings == [{"transport": 1, "housing": 2}, {"health": 1}, dots]


def test_vote_rankings_leave_out_the_withdrawn(client, app, filled):
    withdraw_p2(client, filled)
    with app.app_context():
        rankings = vote_rankings()
    assert {"health": 1} not in rankings and len(rankings) == 2


@pytest.mark.parametrize("filters, expected", [
    ({"since": "2026-04-03"}, {}),
    ({"until": dt.date(2026, 4, 2)}, {"age_band": {"25_44": 2, "65_plus": 1}}),
    ({"channels": ["web", "api"]}, {}),
    ({"channels": ["web", "focus_group"], "survey": "community-needs"}, {"age_band": {"25_44": 2, "65_plus": 1}}),
    ({"host": "rfb"}, {}),
    ({"focus_groups": [999]}, {}),
])
def test_filters(app, filled, filters, expected):
    with app.app_context():
        counts = participant_dimension_counts(filters)
    assert counts.get("age_band", {}) == expected.get("age_band", {})
