"""docker-compose.yml, the Dockerfile and .env.example, checked without a Docker daemon.

`docker compose config` (or Debian's docker-compose) validates the file when a
compose client is installed (.ci/run installs one); the structure that matters
is asserted here from the YAML itself either way.
"""

import shutil
import subprocess

import pytest
import yaml

from tests.conftest import need
from tests.ops.helpers import ROOT, documented_environment

COMPOSE = ROOT / "docker-compose.yml"


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load(COMPOSE.read_text())


def command(service) -> str:
    value = service["command"]
    return value if isinstance(value, str) else " ".join(value)


def test_services(compose):
    services = compose["services"]
    assert set(services) == {"postgres", "redis", "cache", "migrate", "web", "worker", "beat",
                             "mailpit"}
    # The broker never evicts; the page cache is bounded and evicts the least recent.
    assert command(services["redis"]).endswith("--maxmemory-policy noeviction")
    assert "--maxmemory-policy allkeys-lru" in command(services["cache"])
    assert "--maxmemory " in command(services["cache"])
    assert "postgres-data" in compose["volumes"]
    assert "postgres-data:/var/lib/postgresql/data" in services["postgres"]["volumes"]
    assert services["mailpit"]["image"].startswith("axllent/mailpit")
    assert services["mailpit"]["profiles"] == ["staging"]


def test_the_worker_yields_the_cpu_to_web(compose):
    # Docker's default weight is 1024: under contention readers come first.
    assert compose["services"]["worker"]["cpu_shares"] < compose["services"]["web"].get(
        "cpu_shares", 1024)


def test_healthchecks(compose):
    services = compose["services"]
    assert "pg_isready" in " ".join(services["postgres"]["healthcheck"]["test"])
    assert services["redis"]["healthcheck"]["test"] == ["CMD", "redis-cli", "ping"]
    web_check = " ".join(services["web"]["healthcheck"]["test"])
    assert "http://127.0.0.1:8000/healthz" in web_check and "python" in web_check
    assert "inspect ping" in " ".join(services["worker"]["healthcheck"]["test"])


def test_app_services_share_the_image_and_the_env_file(compose):
    for name in ("migrate", "web", "worker", "beat"):
        service = compose["services"][name]
        assert service["image"] == "bulletin:latest" and service["build"] == "."
        assert service["env_file"] == ["${BULLETIN_ENV_FILE:-.env}"]


def test_commands_and_start_order(compose):
    services = compose["services"]
    assert command(services["migrate"]) == "python manage.py migrate --noinput"
    assert command(services["web"]).startswith("gunicorn -c config/gunicorn.py config.wsgi")
    assert command(services["worker"]).startswith("celery -A config worker")
    # Scaling: no fixed container name or host port on the worker.
    assert "container_name" not in services["worker"] and "ports" not in services["worker"]
    assert command(services["beat"]).startswith("celery -A config beat")
    assert "/tmp/celerybeat-schedule" in command(services["beat"])
    for name in ("web", "worker", "beat"):
        depends = services[name]["depends_on"]
        assert depends["postgres"]["condition"] == "service_healthy"
        assert depends["redis"]["condition"] == "service_healthy"
        assert depends["migrate"]["condition"] == "service_completed_successfully"
    assert services["worker"]["stop_grace_period"]


def test_env_example_fits_the_compose_services():
    env = documented_environment()
    assert env["DEBUG"] == "0"
    assert env["DATABASE_URL"] == (
        f"postgres://{env['POSTGRES_USER']}:{env['POSTGRES_PASSWORD']}@postgres:5432/"
        f"{env['POSTGRES_DB']}"
    )
    assert env["REDIS_URL"].startswith("redis://redis:6379/")
    assert env["EMAIL_URL"] == "smtp://mailpit:1025"
    assert env["COMPOSE_PROFILES"] == "staging"


def test_dockerfile():
    text = (ROOT / "Dockerfile").read_text()
    lines = [line.strip() for line in text.splitlines()]
    assert lines[[i for i, line in enumerate(lines) if line.startswith("FROM")][0]] == (
        "FROM python:3.11-slim")
    assert "gettext" in text
    assert "collectstatic --noinput" in text and "compilemessages" in text
    assert "pip install --no-deps ." in text
    users = [line for line in lines if line.startswith("USER ")]
    assert users == ["USER bulletin"]  # the last word on who runs the processes
    assert lines.index("USER bulletin") > max(
        i for i, line in enumerate(lines) if line.startswith("RUN"))
    assert '"gunicorn", "-c", "config/gunicorn.py", "config.wsgi"' in text
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".git", ".venv", "var", ".env"} <= set(ignored)


def compose_client():
    docker = shutil.which("docker")
    if docker and subprocess.run([docker, "compose", "version"], capture_output=True,
                                 check=False).returncode == 0:
        return [docker, "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    return None


def test_compose_config_validates():
    client = compose_client()
    need(client is not None, "a compose client: `docker compose` or docker-compose "
                             "(apt-get install docker-compose)")
    result = subprocess.run(
        [*client, "--env-file", ".env.example", "config", "-q"],
        cwd=ROOT, env={"PATH": "/usr/local/bin:/usr/bin:/bin",
                       "BULLETIN_ENV_FILE": ".env.example"},
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert result.returncode == 0, result.stderr
