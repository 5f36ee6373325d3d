"""`make run` itself: its server runs the periodic jobs Celery beat runs in
production, so a scheduled issue goes live and a due dispatch starts.

The server is the real `make run` (migrate, load_demo, `manage.py serve`) on a
free port, against a fresh SQLite file and an outbox folder of its own, with no
REDIS_URL (the embedded default). The test works as an editor would, through
the admin over HTTP, and looks at what a reader and a subscriber get.
"""

import datetime
import email
import email.policy
import os
import shutil
import socket
import sqlite3

import pytest
import requests

from tests.processes import Process, wait_for


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def answers(url) -> bool:
    try:
        return requests.get(url, timeout=5).status_code == 200
    except requests.RequestException:
        return False


@pytest.fixture
def make_run(tmp_path):
    if shutil.which("make") is None:
        pytest.fail("make is needed to run `make run`")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL")}
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'run.sqlite3'}",
        EMAIL_URL=f"outbox://{tmp_path / 'outbox'}",
        BEAT_PUBLISH_SECONDS="1", BEAT_DISPATCH_SECONDS="1", BEAT_SWEEP_SECONDS="2",
        PYTHONUNBUFFERED="1", DEBUG="1",
    )
    env.pop("DJANGO_SETTINGS_MODULE", None)
    server = Process(["make", "run", f"PORT={port}"], env, tmp_path / "make-run.log").start()
    base = f"http://127.0.0.1:{port}"
    try:
        assert wait_for(lambda: answers(f"{base}/en/"), timeout=240, interval=1), server.log()
        yield base, tmp_path
    finally:
        server.stop()


def database(tmp_path):
    db = sqlite3.connect(tmp_path / "run.sqlite3", timeout=10)
    db.row_factory = sqlite3.Row
    return db


def editor_session(base) -> requests.Session:
    session = requests.Session()
    session.get(f"{base}/admin/login/", timeout=10)
    response = session.post(
        f"{base}/admin/login/?next=/admin/",
        data={"username": "editor", "password": "bulletin-editor",
              "csrfmiddlewaretoken": session.cookies["csrftoken"], "next": "/admin/"},
        headers={"Referer": f"{base}/admin/login/"}, timeout=10,
    )
    assert "/admin/login/" not in response.url, response.text[:500]
    return session


def test_make_run_publishes_a_scheduled_issue_and_starts_a_due_dispatch(make_run):
    base, tmp_path = make_run
    with database(tmp_path) as db:
        issue = db.execute(
            "SELECT id, number FROM bulletin_issue WHERE status = 'draft' "
            "ORDER BY start_date DESC LIMIT 1"
        ).fetchone()
    assert issue is not None, "the demo has an issue ready to publish"
    assert f"No. {issue['number']}" not in requests.get(f"{base}/en/", timeout=10).text

    session = editor_session(base)
    at = datetime.datetime.now(datetime.UTC) + datetime.timedelta(seconds=3)
    response = session.post(
        f"{base}/admin/bulletin/issue/{issue['id']}/workflow/",
        data={"action": "schedule", "at": at.isoformat(timespec="seconds"),
              "csrfmiddlewaretoken": session.cookies["csrftoken"]},
        headers={"Referer": base}, timeout=10,
    )
    assert "Scheduled" in response.text

    # The server's own scheduler publishes it: readers see it on the home page.
    assert wait_for(
        lambda: f"No. {issue['number']}" in requests.get(f"{base}/en/", timeout=10).text,
        timeout=60, interval=1,
    ), (tmp_path / "make-run.log").read_text()
    with database(tmp_path) as db:
        assert db.execute("SELECT status FROM bulletin_issue WHERE id = ?",
                          (issue["id"],)).fetchone()["status"] == "published"
        dispatches = db.execute("SELECT id, status FROM newsletter_dispatch WHERE issue_id = ?",
                                (issue["id"],)).fetchall()
        assert {d["status"] for d in dispatches} == {"scheduled"}
        # The weekly send time comes (it is days away): its dispatches become due.
        now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S")
        db.execute("UPDATE newsletter_dispatch SET scheduled_for = ? WHERE issue_id = ?",
                   (now, issue["id"]))

    def sent():
        with database(tmp_path) as db:
            return {r["status"] for r in db.execute(
                "SELECT status FROM newsletter_dispatch WHERE issue_id = ?", (issue["id"],))}

    assert wait_for(lambda: sent() == {"sent"}, timeout=60, interval=1), (
        sent(), (tmp_path / "make-run.log").read_text())
    with database(tmp_path) as db:
        confirmed = {r[0] for r in db.execute(
            "SELECT email FROM newsletter_subscriber WHERE status = 'confirmed'")}
    messages = [email.message_from_bytes(p.read_bytes(), policy=email.policy.default)
                for p in (tmp_path / "outbox").glob("*.eml")]
    # The staff's workflow notices (the demo's steps) land in the outbox too.
    newsletters = [m for m in messages if m["To"].addresses[0].addr_spec in confirmed]
    assert len(newsletters) == len(confirmed)
    links = [m.get_body(("plain",)).get_content() for m in newsletters]
    assert all(f"/issues/{issue['number']}/" in text for text in links)
    log = (tmp_path / "make-run.log").read_text()
    assert "NotRegistered" not in log
    assert f"127.0.0.1:{base.rsplit(':', 1)[1]}" in log


def test_periodic_tasks_names_a_missing_task(settings):
    from django.core.exceptions import ImproperlyConfigured

    from bulletin.management.commands.serve import periodic_tasks

    assert set(periodic_tasks()) == set(settings.CELERY_BEAT_SCHEDULE)
    settings.CELERY_BEAT_SCHEDULE = {"typo": {"task": "bulletin.tasks.no_such", "schedule": 1}}
    with pytest.raises(ImproperlyConfigured, match="bulletin.tasks.no_such"):
        periodic_tasks()
