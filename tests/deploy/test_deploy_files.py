"""deploy/: the Compose file, the Dockerfile and the nginx config hang together. The image is
built only where a Docker engine answers (`docker info`); elsewhere the files' syntax and
references are checked."""
import fnmatch
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent.parent
DEPLOY = REPO / "deploy"
APPS = ("app1", "app2")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) in order, continuation lines joined, comments left out."""
    text = re.sub(r"\\\n", " ", (DEPLOY / "Dockerfile").read_text())
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.strip().startswith("#")]
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1] if " " in line else "") for line in lines]


def nginx_blocks(text: str) -> dict[str, str]:
    """Top-level `upstream NAME { … }` and `server { … }` bodies of an nginx config, with
    braces checked to balance."""
    text = re.sub(r"#[^\n]*", "", text)
    assert text.count("{") == text.count("}"), "unbalanced braces in deploy/nginx.conf"
    blocks, depth, start, head = {}, 0, 0, ""
    for match in re.finditer(r"[{}]", text):
        if match.group() == "{":
            if depth == 0:
                head = text[text.rfind(";", 0, match.start()) + 1:match.start()].strip().split("}")[-1].strip()
                start = match.end()
            depth += 1
        else:
            depth -= 1
            if depth == 0:
                blocks[head] = text[start:match.start()]
    return blocks


def test_compose_has_nginx_two_apps_a_worker_postgres_and_redis(compose):
    services = compose["services"]
    assert {"nginx", *APPS, "worker", "postgres", "redis", "migrate"} == set(services)
    for name in (*APPS, "worker", "migrate"):  # all from the project's own image
        build = services[name]["build"]
        assert (DEPLOY / build["context"] / build["dockerfile"]).resolve() == (DEPLOY / "Dockerfile").resolve()
    assert services["worker"]["command"] == ["flask", "--app", "wsgi", "worker"]
    assert services["migrate"]["command"] == ["flask", "--app", "wsgi", "setup"]
    assert services["nginx"]["image"].startswith("nginx")
    assert services["postgres"]["image"].startswith("postgres") and services["redis"]["image"].startswith("redis")


def test_the_apps_share_one_database_one_redis_and_one_key_behind_one_proxy(compose):
    services = compose["services"]
    environments = [services[name]["environment"] for name in (*APPS, "worker")]
    assert all(env == environments[0] for env in environments)
    env = environments[0]
    assert env["DATABASE_URL"].startswith("postgresql+psycopg://") and "@postgres:5432/" in env["DATABASE_URL"]
    assert env["REDIS_URL"].startswith("redis://redis:6379/")
    assert env["SECRET_KEY"].startswith("${SECRET_KEY:?")  # one key from .env, never one per container
    assert env["TRUSTED_PROXIES"] == "1"
    for name in APPS:  # no app takes traffic before the migrations ran
        assert services[name]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
    assert {"app1", "app2"} <= set(services["nginx"]["depends_on"])


def test_every_setting_compose_requires_is_in_the_example_env(compose):
    text = (DEPLOY / "compose.yaml").read_text()
    required = set(re.findall(r"\$\{(\w+):\?", text)) | set(re.findall(r"\$\{(\w+):-", text))
    example = {line.split("=", 1)[0] for line in (DEPLOY / "env.example").read_text().splitlines()
               if "=" in line and not line.startswith("#")}
    assert required and required <= example


def test_files_compose_mounts_exist(compose):
    for service in compose["services"].values():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith("."):
                assert (DEPLOY / source).exists() or source == "./backups", volume


def test_dockerfile_builds_from_python_slim_and_copies_files_that_exist():
    instructions = dockerfile_instructions()
    assert instructions[0] == ("FROM", "python:3.11-slim")
    kinds = [kind for kind, _args in instructions]
    assert kinds.count("CMD") == 1 and "HEALTHCHECK" in kinds and "USER" in kinds
    run = " ".join(args for kind, args in instructions if kind == "RUN")
    assert "pip install ." in run
    command = dict(instructions)["CMD"]
    assert '"gunicorn"' in command and '"wsgi:app"' in command and '"0.0.0.0:8000"' in command
    assert "/healthz" in dict(instructions)["HEALTHCHECK"]
    ignored = [line.strip() for line in (REPO / ".dockerignore").read_text().splitlines()
               if line.strip() and not line.startswith("#")]
    copied = [source for kind, args in instructions if kind == "COPY" for source in shlex.split(args)[:-1]]
    assert {"pyproject.toml", "app", "analysis", "wsgi.py", "surveys", "translations"} <= set(copied)
    for source in copied:
        assert (REPO / source).exists(), f"COPY {source}: no such file"
        assert not any(fnmatch.fnmatch(source, pattern) for pattern in ignored), f"COPY {source} is in .dockerignore"


def test_nginx_proxies_to_both_apps(compose):
    blocks = nginx_blocks((DEPLOY / "nginx.conf").read_text())
    upstreams = {head.split()[1]: body for head, body in blocks.items() if head.startswith("upstream ")}
    assert len(upstreams) == 1
    (name, body), = upstreams.items()
    servers = re.findall(r"^\s*server\s+([\w.-]+):(\d+)", body, re.MULTILINE)
    assert sorted(servers) == [("app1", "8000"), ("app2", "8000")]
    assert all(host in compose["services"] for host, _port in servers)
    server = blocks["server"]
    assert f"proxy_pass http://{name};" in server
    assert re.search(r"proxy_set_header\s+X-Forwarded-For\s+\$proxy_add_x_forwarded_for;", server)
    mount = next(v for v in compose["services"]["nginx"]["volumes"] if v.startswith("./nginx.conf:"))
    assert mount.split(":")[1].startswith("/etc/nginx/conf.d/")


@pytest.mark.skipif(shutil.which("nginx") is None and not Path("/usr/sbin/nginx").exists(),
                    reason="nginx is not installed here: its own check (nginx -t) is not run")
def test_nginx_accepts_the_config(tmp_path):
    """`nginx -t` on the config as the nginx image includes it, with the apps' names pointed at
    loopback (nginx resolves upstream names while checking, and app1/app2 exist only in Compose)."""
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    site = (DEPLOY / "nginx.conf").read_text().replace("app1:8000", "127.0.0.1:8001").replace("app2:8000", "127.0.0.1:8002")
    (tmp_path / "default.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n  access_log off;\n  client_body_temp_path {tmp_path};\n  proxy_temp_path {tmp_path};\n"
        f"  fastcgi_temp_path {tmp_path};\n  uwsgi_temp_path {tmp_path};\n  scgi_temp_path {tmp_path};\n"
        f"  include {tmp_path}/default.conf;\n}}\n")
    checked = subprocess.run([nginx, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
                             capture_output=True, text=True, timeout=30)
    assert checked.returncode == 0, checked.stderr
    assert "syntax is ok" in checked.stderr


def _docker_engine() -> bool:
    if shutil.which("docker") is None:
        return False
    return subprocess.run(["docker", "info"], capture_output=True, timeout=30).returncode == 0


@pytest.mark.skipif(not _docker_engine(), reason="no Docker engine here (`docker info` fails): "
                    "the image is not built; the files' syntax is checked above")
def test_the_image_builds_and_its_app_starts():
    tag = "common-ground:test"
    subprocess.run(["docker", "build", "-f", "deploy/Dockerfile", "-t", tag, "."], cwd=REPO, check=True,
                   timeout=1200)
    checked = subprocess.run(["docker", "run", "--rm", tag, "flask", "--app", "wsgi", "surveys", "check"],
                             capture_output=True, text=True, timeout=300)
    assert checked.returncode == 0, checked.stderr
    assert "survey files are valid" in checked.stdout
