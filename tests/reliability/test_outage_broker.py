"""Redis, as the broker and the cache, stopped under a running site and a real
worker and beat, then started again (empty: it keeps nothing on disk).

While it is down, reader pages and search come from the database, an editor
publishes with "send now", and a reader subscribes: the subscriber is stored
and told to check their inbox, and the tasks that could not be queued wait in
the outbox (PostgreSQL). Once Redis is back, beat's outbox drain hands them to
the broker: the confirmation email reaches the SMTP server, the issue goes to
every subscriber, and no page older than the publication is served.
"""

import time

import pytest
from django.test import Client
from kombu import pools

from bulletin import services
from config.celery import app as celery_app
from config.env import cache_config
from newsletter.dispatch import queue
from newsletter.models import Dispatch, OutboxTask, Subscriber
from tests.newsletter.helpers import post_subscribe
from tests.processes import celery_beat, celery_worker, wait_for
from tests.reader_content import sample_site
from tests.smtp import SMTPSink

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.worker,
    pytest.mark.timeout(600),
]

LANGUAGES = ("en", "be", "ru")


def _broker_at(url: str):
    """This process queues to `url` from now on (a pool made earlier for
    another broker is closed)."""
    celery_app.conf.broker_url = url
    if celery_app._pool is not None:
        celery_app._pool.force_close_all()
        celery_app._pool = None
    celery_app.amqp._producer_pool = None
    pools.reset()  # kombu keeps producer pools per broker URL: none may hold a closed pool
    queue._broker.down = False


@pytest.fixture
def running_site(need_postgres, own_redis, settings, tmp_path):
    """This process is the web (its cache and broker on the test's own Redis);
    a worker and beat run as subprocesses on the same Redis."""
    sink = SMTPSink().start()
    settings.CACHES = cache_config(own_redis.url)
    celery_app.conf.task_always_eager = False
    previous = celery_app.conf.broker_url
    _broker_at(own_redis.url)
    env = {"REDIS_URL": own_redis.url, "EMAIL_URL": sink.url, "BEAT_OUTBOX_SECONDS": 1,
           "BEAT_SWEEP_SECONDS": 1, "BEAT_DISPATCH_SECONDS": 1, "NEWSLETTER_LEASE_SECONDS": 4}
    processes = [celery_worker(tmp_path, **env).start(), celery_beat(tmp_path, **env).start()]
    yield sink, processes
    for process in processes:
        process.stop()
    sink.stop()
    _broker_at(previous)
    celery_app.conf.task_always_eager = True


def test_broker_and_cache_down_nothing_lost_nothing_stale(running_site, own_redis, figures):
    """Redis (broker and cache, no persistence) stopped under the web, a real worker and
    beat: pages, search, publishing with send now and subscribing all work; once it is back
    the outbox is drained, the confirmation and the issue arrive, nothing is stale."""
    sink, processes = running_site
    site = sample_site()
    Subscriber.objects.bulk_create(
        Subscriber(email=f"r{i}@example.org", language=LANGUAGES[i % 3], status="confirmed")
        for i in range(30)
    )
    client = Client(raise_request_exception=False)
    assert "No. 3" not in client.get("/en/issues/").content.decode()  # cached

    own_redis.stop()
    started = time.monotonic()
    for path in ("/en/", "/en/issues/1/", "/ru/issues/1/azerbaijan/", "/en/topics/security/"):
        assert client.get(path).status_code == 200, path
    found = client.get("/en/search/", {"q": "Aliyev"})
    assert found.status_code == 200 and "Azerbaijan to remain" in found.content.decode()
    services.issue_publish(issue=site.draft_issue, user=site.user, send_now=True)
    answer = post_subscribe(client, "reader@example.org", "ru")
    assert answer.status_code == 200
    assert Subscriber.objects.get(email="reader@example.org").status == "pending"
    assert "No. 3" in client.get("/en/issues/").content.decode()
    during = time.monotonic() - started
    kept = list(OutboxTask.objects.values_list("task", flat=True))
    assert "newsletter.tasks.send_subscription_emails" in kept
    assert "newsletter.tasks.start_dispatch" in kept

    time.sleep(2)  # beat and the worker find Redis gone
    own_redis.start()
    back = time.monotonic()
    logs = "\n".join(p.log()[-3000:] for p in processes)
    assert wait_for(lambda: sink.for_address("reader@example.org"), timeout=60), logs
    confirmation_after = round(time.monotonic() - back, 1)
    (confirmation,) = sink.for_address("reader@example.org")
    assert "/ru/newsletter/confirm/" in confirmation.get_body(("plain",)).get_content()
    assert wait_for(lambda: not Dispatch.objects.filter(issue=site.draft_issue).exclude(
        status="sent").exists(), timeout=120), logs
    issue_after = round(time.monotonic() - back, 1)
    # The draft issue has English and Russian articles: no Belarusian email (#18).
    expected = {f"r{i}@example.org": 0 if LANGUAGES[i % 3] == "be" else 1 for i in range(30)}
    assert {a: sink.per_recipient.get(a, 0) for a in expected} == expected
    assert not OutboxTask.objects.exists()
    assert "No. 3" in client.get("/en/issues/").content.decode()
    figures.update(seconds_down=round(during + 2, 1), outbox_rows=len(kept),
                   confirmation_seconds_after_restart=confirmation_after,
                   issue_sent_seconds_after_restart=issue_after,
                   issue_recipients=sum(expected.values()), lost=sum(
                       1 for a, n in expected.items() if n and not sink.per_recipient.get(a)))


def test_a_staff_notice_queued_while_the_broker_is_down_waits_in_the_outbox(
        need_postgres, own_redis, tmp_path):
    """The editors' notice of a submitted article, queued while Redis is down,
    is kept in the outbox like every other task, and reaches the SMTP server
    once the broker answers again and the outbox is drained."""
    from tests.factories import ArticleFactory, analyst, editor

    sink = SMTPSink().start()
    celery_app.conf.task_always_eager = False
    previous = celery_app.conf.broker_url
    _broker_at(own_redis.url)
    worker = None
    try:
        reviewer = editor("reviewer")
        writer = analyst("writer")
        article = ArticleFactory(created_by=writer)
        own_redis.stop()
        services.article_submit(article=article, user=writer)
        kept = list(OutboxTask.objects.values_list("task", "args"))
        assert kept == [("newsletter.tasks.send_staff_notice",
                         ["submitted", {"article_id": article.pk, "actor_id": writer.pk,
                                        "comment": ""}])]
        assert sink.messages == []

        own_redis.start()
        _broker_at(own_redis.url)
        worker = celery_worker(tmp_path, REDIS_URL=own_redis.url, EMAIL_URL=sink.url).start()
        assert queue.outbox_drain() == 1
        assert wait_for(lambda: sink.for_address(reviewer.email), timeout=60)
        assert not OutboxTask.objects.exists()
    finally:
        if worker is not None:
            worker.stop()
        sink.stop()
        _broker_at(previous)
        celery_app.conf.task_always_eager = True
