"""Running Bulletin's own entry points in subprocesses with a chosen environment."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def documented_environment() -> dict[str, str]:
    """The variables .env.example sets (not the commented-out defaults)."""
    values = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        match = re.match(r"^([A-Z][A-Z0-9_]*)=(.*)$", line)
        if match:
            values[match[1]] = match[2]
    return values


def documented_names() -> set[str]:
    """Every variable .env.example mentions, set or commented out with its default."""
    text = (ROOT / ".env.example").read_text()
    return set(re.findall(r"^#? ?([A-Z][A-Z0-9_]*)=", text, flags=re.MULTILINE))


def new_secret_key() -> str:
    return secrets.token_urlsafe(60)


def production_environment(**overrides) -> dict[str, str]:
    """A clean process environment: .env.example with a real SECRET_KEY, plus overrides
    (a value of None removes the variable)."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "PYTHONUNBUFFERED": "1",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        **documented_environment(),
        "SECRET_KEY": new_secret_key(),
    }
    for name, value in overrides.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = str(value)
    return env


def run(args, env, timeout=120, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, **kwargs
    )


def python(code: str, env, timeout=120) -> subprocess.CompletedProcess:
    return run([sys.executable, "-c", code], env, timeout=timeout)


def manage(*args, env, timeout=120) -> subprocess.CompletedProcess:
    return run([sys.executable, "manage.py", *args], env, timeout=timeout)
