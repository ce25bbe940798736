"""Benchmark: tagging speed, and what learning from review adds to the codebook (issue #12).

    python bench/tagging.py [--draws 5] [--n-test 1000]

On the labelled comments of bench/_tagging_data.py (generated with a fixed seed; that module
says why and what they hold) and the shipped codebook, on one core:

- comments/s of ``analysis.themes.tag``, of ``tag`` + ``sentiment`` + ``theme_sentiment`` (the
  whole text's and each theme's clause, what the tagging task does per text), and of the learned tagger (``train(...).tag``) trained on 1,000 reviewed
  comments; goal: at least 1,000/s for the learned tagger;
- micro-F1 against the labels of the held-out comments, codebook only and codebook plus
  learning from 50, 200 and 1,000 reviewed comments, for several random draws of the reviewed
  comments; goals: never below codebook-only, at least +0.05 at 1,000.
"""
import os

for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_name] = "1"  # one core, as the goal says

import argparse  # noqa: E402
import random  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.append(str(ROOT / "bench"))  # after the root: bench/analysis.py must not hide the package

from _tagging_data import comments  # noqa: E402

from analysis.themes import Codebook, evaluate_tags, sentiment, tag, theme_sentiment, train  # noqa: E402

CODEBOOK = ROOT / "surveys" / "codebooks" / "community-themes.yaml"
#: Reviewed comments the learned tagger is trained on, as the issue asks.
REVIEWED = (50, 200, 1000)
#: Comments held out for measuring (the rest are the pool reviewed comments are drawn from).
N_TEST = 1000
#: The goals of issue #12.
GOAL_LEARNED_PER_SECOND = 1000
GOAL_GAIN_AT_1000 = 0.05


def rate(func, texts):
    """Comments per second of `func` over `texts`: the second of two passes, so every measure
    sees warm caches (stems, compiled codebook) as a long-running process does."""
    for text in texts:
        func(text)
    started = time.perf_counter()
    for text in texts:
        func(text)
    return len(texts) / (time.perf_counter() - started)


def micro_f1(codebook, predict, test):
    reference = [themes for _text, themes in test]
    return evaluate_tags(reference, [{m["theme"] for m in predict(text)} for text, _ in test], codebook.keys)["micro"]["f1"]


def run(*, draws=5, n_test=N_TEST, reviewed=REVIEWED, out=print):
    """Print the figures; return them as a dict (the smoke test runs it small)."""
    codebook = Codebook.from_yaml(CODEBOOK)
    data = comments(codebook)
    test, pool = data[:n_test], data[n_test:]
    texts = [text for text, _themes in test]
    out(f"data: {len(data)} generated comments (bench/_tagging_data.py), {len(test)} held out, "
        f"reviewed comments drawn from the other {len(pool)}; shipped codebook, {len(codebook.keys)} themes")
    def tag_and_sentiment(text):  # what the tagging task does per text (app.themes.tagging.read_text)
        matches = tag(text, codebook, "en")
        return matches, sentiment(text, "en"), theme_sentiment(text, matches, "en") if matches else {}

    figures = {"tag": rate(lambda t: tag(t, codebook, "en"), texts), "tag_sentiment": rate(tag_and_sentiment, texts)}
    largest = train(codebook, random.Random(0).sample(pool, min(max(reviewed), len(pool))), "en")
    figures["learned"] = rate(largest.tag, texts)
    out(f"throughput, comments/s on one core: tag {figures['tag']:,.0f}; tag + sentiment (text and clauses) "
        f"{figures['tag_sentiment']:,.0f}; learned tagger ({max(reviewed)} reviewed) {figures['learned']:,.0f} "
        f"(goal >= {GOAL_LEARNED_PER_SECOND:,}: {'met' if figures['learned'] >= GOAL_LEARNED_PER_SECOND else 'NOT met'})")
    baseline = micro_f1(codebook, lambda t: tag(t, codebook, "en"), test)
    figures["codebook_f1"] = baseline
    out(f"micro-F1 on the {len(test)} held-out comments, codebook only: {baseline:.4f}")
    figures["learned_f1"] = {}
    for k in reviewed:
        scores = []
        for draw in range(draws):
            sample = random.Random(draw).sample(pool, min(k, len(pool)))
            started = time.perf_counter()
            tagger = train(codebook, sample, "en")
            seconds = time.perf_counter() - started
            scores.append(micro_f1(codebook, tagger.tag, test))
        figures["learned_f1"][k] = scores
        gains = [s - baseline for s in scores]
        out(f"  + learning from {k:>5} reviewed: micro-F1 mean {sum(scores) / len(scores):.4f} "
            f"(gain mean {sum(gains) / len(gains):+.4f}, lowest {min(gains):+.4f}, highest {max(gains):+.4f} "
            f"over {draws} draws; last draw trained in {seconds:.2f} s, {len(tagger.learned_themes)} themes learned)")
    lowest = min(s - baseline for scores in figures["learned_f1"].values() for s in scores)
    at_most = figures["learned_f1"][max(reviewed)]
    gain = min(at_most) - baseline
    out(f"summary: never below codebook-only: {'met' if lowest >= 0 else 'NOT met'} (lowest gain {lowest:+.4f}); "
        f"gain at {max(reviewed)} reviewed >= {GOAL_GAIN_AT_1000}: {'met' if gain >= GOAL_GAIN_AT_1000 else 'NOT met'} "
        f"(lowest {gain:+.4f})")
    return figures


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=5, help="random draws of the reviewed comments per size")
    parser.add_argument("--n-test", type=int, default=N_TEST, help="comments held out for measuring")
    args = parser.parse_args(argv)
    run(draws=args.draws, n_test=args.n_test)
    return 0


if __name__ == "__main__":
    sys.exit(main())
