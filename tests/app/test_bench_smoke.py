"""The load and scale benchmarks import and run at a tiny size (the real runs are by hand)."""
import json
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))

import load  # noqa: E402
import processes  # noqa: E402
import tagging  # noqa: E402, F401
import scale  # noqa: E402


def test_load_workload_has_replays_and_simultaneous_twins():
    bodies, ids = load.workload(400)
    assert len(bodies) == len(ids) == 400
    sids = [json.loads(b)["submission_id"] for b in bodies]
    assert sids == ids
    twins = sum(1 for a, b in zip(ids, ids[1:]) if a == b)
    assert 5 <= twins <= 40  # about 5%, sent back to back so two clients race
    assert 30 <= len(ids) - len(set(ids)) - twins <= 70  # about 10% replays of an earlier id
    assert load.DEFAULT_SETTINGS.split(",") == ["sync2", "sync4", "gthread2x4"]
    assert set(load.DEFAULT_SETTINGS.split(",")) < set(load.SETTINGS)


def test_processes_reads_where_the_cpu_went():
    """The two-against-one benchmark's CPU accounting: the machine's busy share and a process's own CPU."""
    import os
    busy, total = processes.machine_busy()
    assert 0 < busy < total
    spent = processes.process_cpu([os.getpid()])
    sum(i * i for i in range(3_000_000))  # some CPU of this process
    assert processes.process_cpu([os.getpid()]) > spent
    assert processes.process_cpu([2**22 + 1]) == 0.0  # a process that is gone counts nothing


def test_scale_runs_on_sqlite_at_a_tiny_size(capsys):
    assert scale.main(["--sqlite", "--n", "30", "--export-only"]) == 0
    printed = capsys.readouterr().out
    assert "export CSV of 450 rows" in printed  # the demo's 420 and the 30 filled
    assert "summary: export" in printed


def test_openrosa_workload_resends_a_tenth_with_the_same_answers():
    import openrosa
    sends, ids = openrosa.workload(400)
    assert len(sends) == len(ids) == 400
    assert 25 <= len(ids) - len(set(ids)) <= 60  # about 10% resends of an earlier submission
    first = {}
    for answers, sid in zip(sends, ids):
        assert first.setdefault(sid, answers) == answers  # a resend carries the same instance


def test_tagging_bench_runs_small_and_learning_never_falls_below_the_codebook():
    import tagging
    printed = []
    figures = tagging.run(draws=1, n_test=200, reviewed=(50, 400), out=printed.append)
    assert printed[0].startswith("data: 3000 generated comments")
    assert printed[-1].startswith("summary: never below codebook-only: met")
    assert figures["tag"] > 0 and figures["learned"] > 0
    assert all(f >= figures["codebook_f1"] for scores in figures["learned_f1"].values() for f in scores)


def test_wrk_load_runs_small_and_checks_what_it_acknowledged(tmp_path):
    """bench/load_wrk.py end to end at a tiny size: wrk's script sends every body, records each
    acknowledgement, and stops; every acknowledged submission is stored once."""
    import argparse
    import shutil

    import pytest
    if shutil.which("wrk") is None:
        pytest.skip("wrk is not installed here (Debian: apt-get install wrk); the load run needs it")
    import load_wrk
    result = load_wrk.one_setting("sqlite", "sync2", argparse.Namespace(n=300, concurrency=20), str(tmp_path), None,
                                  lambda *a: None)
    distinct = len(set(load.workload(300)[1]))
    assert result["requests"] >= 300 and result["5xx"] == 0
    assert distinct - 5 <= result["acknowledged"] <= distinct  # a thread stops once its own are answered
    assert result["lost"] == 0 and result["duplicated"] == 0
    assert 0 < result["p50"] <= result["p90"] <= result["p99"] <= result["max"]
