"""Benchmark of the analysis package on synthetic data of realistic shape (fixed seeds).

Runs each part's figures in turn; each part compares against a naive baseline in the same run:
  representation — 100,000 respondents × 6 dimensions with raking
  themes         — tagging 10,000 comments (English with TextBlob, Spanish with stemming)
  graph          — metrics for 2,000 stakeholders / 20,000 ties and 10,000 / 100,000
  alignment      — Kendall's W and the alignment report for 20,000 raters

    python bench/analysis.py [representation themes graph alignment]
"""
from __future__ import annotations

import importlib
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PARTS = ("representation", "themes", "graph", "alignment")


def main(argv: list[str]) -> None:
    chosen = argv or list(PARTS)
    unknown = sorted(set(chosen) - set(PARTS))
    if unknown:
        sys.exit(f"unknown part(s): {', '.join(unknown)}; choose from {', '.join(PARTS)}")
    for part in chosen:
        print(f"== {part} ==", flush=True)
        started = time.perf_counter()
        importlib.import_module(f"bench._analysis_{part}").run(lambda *a: print(*a, flush=True))
        print(f"({part}: {time.perf_counter() - started:.1f} s in all)\n", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
