"""The scorecard benchmark imports and runs at a tiny size (the real run is by hand)."""
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[3] / "bench"
sys.path.insert(0, str(BENCH))

import indicators as bench  # noqa: E402


def test_scorecard_bench_runs_on_sqlite_at_a_tiny_size(capsys, tmp_path):
    assert bench.main(["--sqlite", "--responses", "300", "--indicators", "10", "--keep", str(tmp_path)]) == 0
    printed = capsys.readouterr().out
    assert "[sqlite] populated 300 responses and 10 indicators" in printed
    assert "scorecard of 10 indicators" in printed and "summary: scorecard warm sqlite" in printed
    # A second run reuses the filled database.
    assert bench.main(["--sqlite", "--responses", "300", "--indicators", "10", "--keep", str(tmp_path)]) == 0
    assert "populated" not in capsys.readouterr().out


def test_the_fifty_indicators_cover_every_kind(tmp_path):
    keys = bench.indicator_files(tmp_path, 50)
    texts = [(tmp_path / f"{key}.yaml").read_text() for key in keys]
    assert len(keys) == 50
    assert sum("weighted: true" in t for t in texts) == 10 and sum("source: reported" in t for t in texts) == 5
    assert {f for f in bench.FREQUENCIES if any(f"frequency: {f}" in t for t in texts)} == set(bench.FREQUENCIES)
