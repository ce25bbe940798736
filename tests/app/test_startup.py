"""Start-up loads no heavy library: a command that needs no report starts without scipy, openpyxl,
networkx, pandas or TextBlob (bench/startup.py measures the seconds this saves)."""
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("scipy", "openpyxl", "networkx", "pandas", "textblob", "sklearn", "nltk", "numpy", "pyxform")

_PROBE = """
import json, sys
from app import create_app
app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "test", "TESTING": True})
app.test_cli_runner().invoke(args=["users", "--help"])
print(json.dumps(sorted(m for m in %r if m in sys.modules)))
"""


def test_the_app_and_a_command_start_without_the_heavy_libraries(tmp_path):
    out = subprocess.run([sys.executable, "-c", _PROBE % (HEAVY,)], cwd=ROOT, check=True, capture_output=True,
                         text=True, env={"PATH": "/usr/bin:/bin", "INSTANCE_PATH": str(tmp_path)}).stdout
    assert json.loads(out.strip().splitlines()[-1]) == []


def test_the_startup_benchmark_names_the_commands_it_times():
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import startup
    finally:
        sys.path.remove(str(ROOT / "bench"))
    assert ["users", "--help"] in [list(c) for c in startup.COMMANDS]
    assert set(HEAVY) <= set(startup.HEAVY)
