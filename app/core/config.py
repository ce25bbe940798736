"""Configuration: defaults, then the environment, then the test override."""
import os
import secrets
from pathlib import Path

#: Largest request body we accept; a complete survey response is a few KB.
MAX_CONTENT_LENGTH = 256 * 1024


def load_secret_key(instance_path: str) -> str:
    """Return SECRET_KEY from the environment, else one generated once and kept in the instance folder."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        # Write-then-rename so two processes starting together agree on one key.
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(secrets.token_hex(32))
        tmp.chmod(0o600)
        if not path.exists():
            tmp.replace(path)
        else:
            tmp.unlink()
    return path.read_text().strip()


def default_config(instance_path: str) -> dict:
    """The settings every app starts from; the environment overrides the database and key."""
    sqlite_path = Path(instance_path) / "common-ground.sqlite"
    return {
        "SQLALCHEMY_DATABASE_URI": os.environ.get("DATABASE_URL", f"sqlite:///{sqlite_path}"),
        "SECRET_KEY": load_secret_key(instance_path),
        "MAX_CONTENT_LENGTH": MAX_CONTENT_LENGTH,
        "SURVEYS_DIR": os.environ.get("SURVEYS_DIR", str(Path(__file__).resolve().parents[2] / "surveys")),
        # A resident may take a long time over a page; an expired token must not lose answers.
        "WTF_CSRF_TIME_LIMIT": None,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": os.environ.get("SESSION_COOKIE_SECURE", "0") == "1",
        "BABEL_DEFAULT_LOCALE": "en",
        "SQLITE_SYNCHRONOUS": os.environ.get("SQLITE_SYNCHRONOUS", "FULL"),
        # Seconds. A database that is away must give a quick 503, not a worker hung until killed.
        "DATABASE_CONNECT_TIMEOUT": float(os.environ.get("DATABASE_CONNECT_TIMEOUT", "5")),
        "DATABASE_STATEMENT_TIMEOUT": float(os.environ.get("DATABASE_STATEMENT_TIMEOUT", "20")),
        "REPORT_STATEMENT_TIMEOUT": float(os.environ.get("REPORT_STATEMENT_TIMEOUT", "12")),
        # Seconds each app process reuses the public page's theme counts (0: count on every view).
        "PUBLIC_THEMES_SECONDS": float(os.environ.get("PUBLIC_THEMES_SECONDS", "300")),
        "DATABASE_RETRY_AFTER": int(os.environ.get("DATABASE_RETRY_AFTER", "30")),
        # How long a SQLite writer waits for another's lock before the request gets a 503: as long
        # as a PostgreSQL statement may wait (DATABASE_STATEMENT_TIMEOUT), under the worker's 30 s.
        # None: DATABASE_STATEMENT_TIMEOUT.
        "SQLITE_BUSY_TIMEOUT": float(os.environ["SQLITE_BUSY_TIMEOUT"]) if os.environ.get("SQLITE_BUSY_TIMEOUT") else None,
        # Reverse proxies in front of the app whose X-Forwarded-For we trust (0: none, use the peer).
        "TRUSTED_PROXIES": int(os.environ.get("TRUSTED_PROXIES", "0")),
        # Shared counters (sign-in limits): Redis when set, else the database.
        "REDIS_URL": os.environ.get("REDIS_URL", ""),
        "COUNTER_KEY_PREFIX": os.environ.get("COUNTER_KEY_PREFIX", "cg"),
        "SIGNIN_ACCOUNT_LIMIT": os.environ.get("SIGNIN_ACCOUNT_LIMIT", "5 per 15 minutes"),
        "SIGNIN_ADDRESS_LIMIT": os.environ.get("SIGNIN_ADDRESS_LIMIT", "30 per 15 minutes"),
        # Background tasks (app.tasks): on RQ when REDIS_URL is set; else in this process, in a
        # thread after the response ("thread") or at once after the commit ("sync").
        "TASKS_IN_PROCESS": os.environ.get("TASKS_IN_PROCESS", "thread"),
        "TASK_QUEUE": os.environ.get("TASK_QUEUE", "common-ground"),
        "TASK_RETRIES": int(os.environ.get("TASK_RETRIES", "2")),
        "TASK_RETRY_INTERVAL": int(os.environ.get("TASK_RETRY_INTERVAL", "30")),
    }
