"""The production stack as plain processes, end to end (scripts/stack.sh).

`stack.sh up` starts gunicorn, a Celery worker, Celery beat and an SMTP sink
against PostgreSQL and Redis with production settings. Then, as an operator
would: load the demo content, publish the latest issue with "send now"
(manage.py against the stack's database), and watch each confirmed subscriber
get exactly one email in their language through the worker; read the public
pages through gunicorn; `stack.sh down` stops everything cleanly.
"""

import email
import email.policy
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.ops.helpers import ROOT

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.worker,
              pytest.mark.timeout(600)]

STACK = ROOT / "scripts" / "stack.sh"
EXTRA_SUBSCRIBERS = {"en": 3, "be": 4, "ru": 5}

SETUP_AND_PUBLISH = """
import json
from django.contrib.auth import get_user_model
from bulletin import services
from bulletin.models import Issue
from newsletter.models import Subscriber

extra = json.loads(%(extra)r)
for language, count in extra.items():
    for i in range(count):
        Subscriber.objects.create(email=f"smoke-{language}-{i}@example.org",
                                  language=language, status="confirmed")
issue = Issue.objects.exclude(status="published").order_by("-number").first()
editor = get_user_model().objects.get(username="editor")
services.issue_publish(issue=issue, user=editor, send_now=True)
issue.refresh_from_db()
print("RESULT " + json.dumps({
    "issue": issue.number,
    "status": issue.status,
    "recipients": {s.email: s.language for s in Subscriber.objects.filter(status="confirmed")},
    "not_recipients": list(
        Subscriber.objects.exclude(status="confirmed").values_list("email", flat=True)),
}))
"""

PAGES = """
import json
from django.utils.translation import override
from bulletin.models import Article, Issue
from newsletter.models import Dispatch

issue = Issue.objects.get(number=%(number)d)
pages = {}
for language in ("en", "be", "ru"):
    with override(language):
        article = (Article.objects.published().for_language(language)
                   .filter(issue=issue).order_by("pk").first())
        pages[language] = {
            "issue": issue.get_absolute_url(),
            "article": article.get_absolute_url(),
            "title": getattr(article, f"title_{language}"),
        }
print("RESULT " + json.dumps({
    "pages": pages,
    "dispatches": {d.language: [d.status, d.subject] for d in issue.dispatches.all()},
}))
"""


class Stack:
    def __init__(self, directory: Path, env: dict):
        self.directory = directory
        self.env = env
        self.values = {}

    def run(self, command, timeout=300):
        return subprocess.run([str(STACK), command], cwd=ROOT, env=self.env, text=True,
                              capture_output=True, timeout=timeout, check=False)

    def load(self):
        for line in (self.directory / "env").read_text().splitlines():
            if "=" in line and not line.startswith("#"):
                name, value = line.split("=", 1)
                self.values[name] = value.strip("'")

    def process_env(self):
        return {**self.env, **self.values}

    def manage(self, *args, timeout=180):
        result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT,
                                env=self.process_env(), text=True, capture_output=True,
                                timeout=timeout, check=False)
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
        return result.stdout

    def shell(self, code):
        out = self.manage("shell", "-c", code)
        (line,) = [x for x in out.splitlines() if x.startswith("RESULT ")]
        return json.loads(line.removeprefix("RESULT "))

    def pids(self):
        return {p.stem: int(p.read_text()) for p in self.directory.glob("*.pid")}

    def logs(self):
        return "\n".join(
            f"--- {p.name}\n{p.read_text(errors='replace')[-2500:]}"
            for p in sorted(self.directory.glob("*.log"))
        )

    @property
    def url(self):
        return self.values["STACK_WEB_URL"]

    @property
    def mail_dir(self):
        return Path(self.values["STACK_MAIL_DIR"])


def fetch(url, headers=None):
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def alive(pid):
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split()[2]
    except (FileNotFoundError, IndexError):
        return False
    return state not in ("Z", "X")


@pytest.fixture
def stack(need_postgres, need_redis, tmp_path, settings):
    """The stack's own database on the test run's PostgreSQL server, and its Redis."""
    db = settings.DATABASES["default"]
    server = (f"postgres://{db['USER'] or 'postgres'}"
              f"{':' + db['PASSWORD'] if db['PASSWORD'] else ''}"
              f"@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}")
    name = os.environ.get("DATABASE_URL", "").rsplit("/", 1)[-1] or "bulletin"
    env = {
        "PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"),
        "PY": sys.executable,
        "DATABASE_URL": f"{server}/{name}", "STACK_DB_NAME": f"{name}_smoke",
        "REDIS_URL": need_redis,
        "STACK_DIR": str(tmp_path / "stack"),
    }
    return Stack(tmp_path / "stack", env)


def test_stack_up_send_read_down(stack):
    timings = {}
    started = time.monotonic()
    up = stack.run("up")
    timings["up"] = time.monotonic() - started
    assert up.returncode == 0, up.stdout + up.stderr
    stack.load()
    pids = stack.pids()
    try:
        assert set(pids) == {"mail", "web", "worker", "beat"}
        assert all(alive(pid) for pid in pids.values())

        # Production settings, for real: hardened headers on every page.
        status, headers, body = fetch(stack.url + "/healthz")
        health = json.loads(body)
        assert (status, health["database"], health["cache"], health["broker"]) == (
            200, "ok", "ok", "ok")

        stack.manage("load_demo", "--force")  # DEBUG=0: random passwords
        started = time.monotonic()
        published = stack.shell(SETUP_AND_PUBLISH % {"extra": json.dumps(EXTRA_SUBSCRIBERS)})
        assert published["status"] == "published"
        recipients = published["recipients"]
        assert set(recipients.values()) == {"en", "be", "ru"}
        assert len(recipients) >= sum(EXTRA_SUBSCRIBERS.values()) + 3

        # The worker sends through the SMTP sink: exactly one email per confirmed subscriber.
        deadline = time.monotonic() + 180
        def newsletter_files():
            # The staff's workflow notices (the demo's and this test's steps) go
            # through the same sink; only the subscribers' emails are counted here.
            return [path for path in sorted(stack.mail_dir.glob("*.eml"))
                    if email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
                    ["To"].addresses[0].addr_spec in recipients]

        while time.monotonic() < deadline and len(newsletter_files()) < len(recipients):
            time.sleep(0.5)
        timings["publish_to_last_email"] = time.monotonic() - started
        time.sleep(3)  # anything sent twice would have arrived by now
        files = newsletter_files()
        assert len(files) == len(recipients), stack.logs()

        state = stack.shell(PAGES % {"number": published["issue"]})
        dispatches = state["dispatches"]
        assert {lang: s for lang, (s, _subject) in dispatches.items()} == {
            "en": "sent", "be": "sent", "ru": "sent"}
        seen = {}
        for path in files:
            message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            to = message["To"].addresses[0].addr_spec
            language = recipients[to]
            seen[to] = seen.get(to, 0) + 1
            assert message["Subject"] == dispatches[language][1]
            assert f".{language}." in message["Message-ID"]
            assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
            html = message.get_body(("html",)).get_content()
            assert f'lang="{language}"' in html
            assert stack.url in html  # links point at the stack's SITE_URL
        assert seen == dict.fromkeys(recipients, 1)
        assert not set(published["not_recipients"]) & set(seen)

        # The public pages, through gunicorn.
        started = time.monotonic()
        for language, page in state["pages"].items():
            status, headers, body = fetch(f"{stack.url}/{language}/")
            assert status == 200, (language, body[:500])
            assert "Content-Security-Policy" in headers
            assert headers["X-Frame-Options"] == "DENY"
            for kind in ("issue", "article"):
                status, headers, body = fetch(stack.url + page[kind])
                assert status == 200, (page[kind], body[:500])
            assert page["title"] in body.decode(), (page["article"], body[:500])
            text = body.decode()
            if "<html" in text:
                assert f'lang="{language}"' in text
        # Hashed, compressed static files from whitenoise.
        status, _h, body = fetch(stack.url + "/admin/login/")
        assert status == 200
        css = body.decode().split('href="/static/admin/css/base.', 1)[1].split('"', 1)[0]
        status, headers, _b = fetch(f"{stack.url}/static/admin/css/base.{css}",
                                    {"Accept-Encoding": "gzip"})
        assert status == 200 and headers.get("Content-Encoding") == "gzip"
        assert "immutable" in headers["Cache-Control"]
        # One JSON line per request in gunicorn's log, with the request id.
        fetch(stack.url + "/en/", {"X-Request-ID": "smoke-test-1"})
        # A subscriber's token never reaches the log (a bad one gives a 400, logged too).
        secret_path = "/en/newsletter/unsubscribe/NotReally:1xZ7QS:leaked-signature/"
        assert fetch(stack.url + secret_path, {"X-Request-ID": "smoke-token"})[0] == 400
        timings["pages"] = time.monotonic() - started
        time.sleep(0.5)
        web_log = (stack.directory / "web.log").read_text()
        access = [json.loads(line) for line in web_log.splitlines() if line.startswith("{")]
        assert any(a.get("request_id") == "smoke-test-1" and a.get("path") == "/en/"
                   for a in access)
        assert any(a.get("request_id") == "smoke-token"
                   and a.get("path") == "/en/newsletter/unsubscribe/[token]/" for a in access)
        assert "leaked-signature" not in web_log
        assert "beat: Starting" in (stack.directory / "beat.log").read_text()
    finally:
        started = time.monotonic()
        down = stack.run("down")
        timings["down"] = time.monotonic() - started
    assert down.returncode == 0, down.stdout + down.stderr
    assert "clean" in down.stdout and "killed" not in down.stdout, down.stdout
    assert not any(alive(pid) for pid in pids.values())
    assert not list(stack.directory.glob("*.pid"))
    print("\nstack smoke timings (s): " + ", ".join(f"{k}={v:.1f}" for k, v in timings.items()))
    print(up.stdout + down.stdout)
