"""Start-up cost: how long a command takes before it does anything, and what it loads.

Run from the repository root: ``python bench/startup.py [--repeat 3]``.

For a few commands that need no analysis (``users --help``, ``surveys check``, ``tokens
--help``) it times a cold ``flask --app wsgi …`` in a fresh process, best of ``--repeat``. The
baseline, measured in the same run, is the same command with the heavy libraries imported first
(scipy.stats, openpyxl, networkx, pandas, TextBlob): what every command paid when the report
modules imported them at the top. It also times ``import app`` and ``create_app()`` and lists the
heavy modules that start-up leaves loaded (there should be none).
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: Libraries only some reports, exports and tasks need; a command should not pay for them.
HEAVY = ("scipy", "openpyxl", "networkx", "pandas", "textblob", "sklearn", "nltk", "numpy", "pyxform")
#: Commands timed, as arguments after `flask --app wsgi`.
COMMANDS = (["users", "--help"], ["surveys", "check"], ["tokens", "--help"])
#: What the baseline imports before running the command (what start-up used to load).
BASELINE_IMPORTS = "import scipy.stats, openpyxl, networkx, pandas, textblob"

_RUN_FLASK = "import sys; from flask.cli import main; sys.argv = ['flask', '--app', 'wsgi'] + sys.argv[1:]; main()"
_PROBE = """
import json, sys, time
start = time.perf_counter()
import app
imported = time.perf_counter()
app.create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "bench"})
created = time.perf_counter()
print(json.dumps({"import": imported - start, "create_app": created - imported,
                  "heavy": sorted(m for m in %r if m in sys.modules)}))
"""


def _seconds(code: str, args: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def best(code: str, args: list[str], repeat: int) -> float:
    return min(_seconds(code, args) for _ in range(repeat))


def probe() -> dict:
    """``import app`` and ``create_app()`` seconds in a fresh process, and the heavy modules loaded."""
    out = subprocess.run([sys.executable, "-c", _PROBE % (HEAVY,)], cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per command; the best is shown")
    args = parser.parse_args(argv)
    print(f"cold start, best of {args.repeat} (baseline: the heavy libraries imported first)")
    for command in COMMANDS:
        now = best(_RUN_FLASK, command, args.repeat)
        before = best(f"{BASELINE_IMPORTS}; {_RUN_FLASK}", command, args.repeat)
        print(f"  flask --app wsgi {' '.join(command):<16} {now:6.2f} s   baseline {before:6.2f} s   "
              f"saved {before - now:5.2f} s")
    found = min((probe() for _ in range(args.repeat)), key=lambda r: r["import"] + r["create_app"])
    print(f"import app {found['import']:.2f} s, create_app {found['create_app']:.2f} s, "
          f"heavy modules loaded: {', '.join(found['heavy']) or 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
