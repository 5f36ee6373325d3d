"""Faults during a send, with the real parts: Celery worker and beat as
subprocesses, a Redis of the test's own, PostgreSQL, an aiosmtpd server.

The test process only sets up data and injects faults; beat starts the
dispatch and sweeps, the workers send. Each test checks that every confirmed
subscriber got the issue and counts duplicates against the faults injected.
"""

import random
import time

import pytest
from django.db import connection
from django.utils import timezone

from bulletin import services
from newsletter.models import Delivery, Dispatch, Subscriber
from tests.factories import ArticleFactory, IssueFactory, editor
from tests.processes import celery_beat, celery_worker, wait_for
from tests.smtp import SMTPSink

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.worker,
    pytest.mark.timeout(900),
]

LANGUAGES = ("en", "be", "ru")
WORKER_APP = "bulletin-worker"


@pytest.fixture
def stack(need_postgres, own_redis, tmp_path):
    sink = SMTPSink().start()
    env = {
        "REDIS_URL": own_redis.url,
        "EMAIL_URL": sink.url,
        "NEWSLETTER_LEASE_SECONDS": 4,
        "NEWSLETTER_BATCH_SIZE": 50,
        "NEWSLETTER_RETRY_BASE_SECONDS": 0.5,
        "NEWSLETTER_RETRY_MAX_SECONDS": 3,
        "NEWSLETTER_RATE_PER_SECOND": 120,
        "BEAT_SWEEP_SECONDS": 1,
        "BEAT_DISPATCH_SECONDS": 1,
        "PGAPPNAME": WORKER_APP,
    }
    processes = []

    class Stack:
        redis = own_redis
        smtp = sink

        def worker(self, name="w1", concurrency=2, **overrides):
            process = celery_worker(tmp_path, name=name, concurrency=concurrency,
                                    **{**env, **overrides}).start()
            processes.append(process)
            return process

        def beat(self):
            process = celery_beat(tmp_path, **{**env, "PGAPPNAME": "bulletin-beat"}).start()
            processes.append(process)
            return process

        def logs(self):
            return "\n".join(p.log()[-2000:] for p in processes)

    yield Stack()
    for process in processes:
        process.stop()
    sink.stop()


def publish_for(subscribers: int):
    """A published issue whose dispatches are due now, and confirmed subscribers."""
    user = editor("fault-editor")
    issue = IssueFactory()
    article = ArticleFactory(issue=issue)
    services.article_submit(article=article, user=user)
    services.article_approve(article=article, user=user)
    Subscriber.objects.bulk_create(
        Subscriber(email=f"f{i}@example.org", language=LANGUAGES[i % 3], status="confirmed")
        for i in range(subscribers)
    )
    services.issue_publish(issue=issue, user=user)  # dispatches scheduled by the signal
    Dispatch.objects.filter(issue=issue).update(scheduled_for=timezone.now())
    return issue


def sent_count(issue):
    return Delivery.objects.filter(dispatch__issue=issue, status="sent").count()


def all_sent(issue):
    return not Dispatch.objects.filter(issue=issue).exclude(status="sent").exists()


def outcome(stack, issue, subscribers):
    received = sum(stack.smtp.per_recipient.values())
    unique = len(stack.smtp.per_recipient)
    return {
        "subscribers": subscribers,
        "received": received,
        "lost": subscribers - unique,
        "duplicates": received - unique,
        "failed_rows": Delivery.objects.filter(dispatch__issue=issue, status="failed").count(),
    }


def start_send(stack, subscribers: int):
    """Publish an issue for `subscribers` and start one worker and beat to send it."""
    issue = publish_for(subscribers)
    stack.worker()
    stack.beat()
    return issue


def test_redis_restarted_mid_dispatch(stack, figures):
    """Redis (broker, no persistence) restarted twice during a send of 2,000: every queued
    batch task is lost; beat's sweeper re-queues the work from the ledger."""
    issue = start_send(stack, 2000)
    restarts = 0
    for threshold in (400, 1200):
        assert wait_for(lambda t=threshold: sent_count(issue) >= t, timeout=120), stack.logs()
        stack.redis.restart(down_seconds=2)
        restarts += 1
    assert wait_for(lambda: all_sent(issue), timeout=300), stack.logs()
    result = outcome(stack, issue, 2000)
    figures.update(faults=f"{restarts} Redis restarts", **result)
    assert result["lost"] == 0 and result["failed_rows"] == 0
    assert result["duplicates"] <= 2 * 2  # at most the messages in flight (2 processes)


def test_postgres_connections_dropped_mid_batch(stack, figures):
    """The workers' PostgreSQL connections terminated (pg_terminate_backend) five times
    during a send of 2,000; a lost ledger write is retried on a fresh connection, and rows
    claimed by a batch that died are recovered after the lease."""
    issue = start_send(stack, 2000)
    terminated = 0
    for round_ in range(5):
        assert wait_for(lambda r=round_: sent_count(issue) >= 250 * (r + 1), timeout=120), (
            stack.logs())
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE application_name = %s", [WORKER_APP])
            terminated += cursor.fetchone()[0]
    assert wait_for(lambda: all_sent(issue), timeout=300), stack.logs()
    result = outcome(stack, issue, 2000)
    figures.update(faults=f"5 rounds, {terminated} backends terminated", **result)
    assert terminated > 0
    assert result["lost"] == 0 and result["failed_rows"] == 0
    assert result["duplicates"] <= terminated


def test_smtp_server_down_for_a_minute(stack, figures):
    """The SMTP server stops listening for 60 s in the middle of a send of 1,500; batches
    back off without using up anyone's attempts, and finish when it is back."""
    issue = start_send(stack, 1500)
    assert wait_for(lambda: sent_count(issue) >= 300, timeout=120), stack.logs()
    stack.smtp.stop()
    down_at = time.monotonic()
    time.sleep(60)
    during = sent_count(issue)
    stack.smtp.start()
    down = round(time.monotonic() - down_at)
    assert wait_for(lambda: all_sent(issue), timeout=300), stack.logs()
    result = outcome(stack, issue, 1500)
    figures.update(faults=f"SMTP server down {down} s", sent_before_back=during, **result)
    assert result["lost"] == 0 and result["failed_rows"] == 0
    assert result["duplicates"] <= 2


def test_twenty_sigkills_during_one_send(stack, figures):
    """Workers SIGKILLed 20 times during a send of 3,000 (pool processes, and every fifth
    time the whole worker, which is then started again)."""
    issue = publish_for(3000)
    worker = stack.worker()
    stack.beat()
    assert wait_for(lambda: sent_count(issue) >= 100, timeout=120), stack.logs()
    kills = processes_killed = 0
    while kills < 20:
        time.sleep(random.uniform(0.4, 0.9))
        kills += 1
        if kills % 5 == 0:
            processes_killed += worker.kill()
            worker = stack.worker(name=f"w{kills}")
        else:
            processes_killed += worker.kill_children()
    assert wait_for(lambda: all_sent(issue), timeout=400), stack.logs()
    result = outcome(stack, issue, 3000)
    figures.update(faults=f"{kills} SIGKILLs ({processes_killed} processes)", **result)
    assert result["lost"] == 0 and result["failed_rows"] == 0
    assert result["duplicates"] <= processes_killed


def test_a_restarted_worker_resumes_at_once(stack, figures):
    """A send of 3,000 through one worker with the production lease (120 s); the whole
    worker SIGKILLed three times and started again under the same name: it puts back what
    its killed incarnation had claimed at once, instead of after the lease."""
    lease = 120
    issue = publish_for(3000)
    worker = stack.worker(NEWSLETTER_LEASE_SECONDS=lease)
    stack.beat()
    processes_killed = 0
    for threshold in (300, 900, 1500):
        assert wait_for(lambda t=threshold: sent_count(issue) >= t, timeout=120), stack.logs()
        processes_killed += worker.kill()
        worker = stack.worker(NEWSLETTER_LEASE_SECONDS=lease)
    restarted_at = time.monotonic()
    assert wait_for(lambda: all_sent(issue), timeout=lease - 20), (
        "the send waited for the lease\n" + stack.logs())
    after_restart = round(time.monotonic() - restarted_at, 1)
    result = outcome(stack, issue, 3000)
    figures.update(faults=f"3 SIGKILLs of the whole worker ({processes_killed} processes)",
                   lease_seconds=lease, seconds_from_last_restart_to_last_message=after_restart,
                   **result)
    assert result["lost"] == 0 and result["failed_rows"] == 0
    assert result["duplicates"] <= processes_killed
