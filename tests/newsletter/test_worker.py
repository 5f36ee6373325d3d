"""The dispatch with the real parts: a Celery worker subprocess on Redis,
PostgreSQL, and an SMTP server (aiosmtpd) in this process."""

import random
import time

import pytest
from django.db import connection

from bulletin import services
from config.celery import app as celery_app
from newsletter.dispatch import controls, ledger, scheduling
from newsletter.models import Delivery, Dispatch, Subscriber
from tests.factories import ArticleFactory, IssueFactory, editor
from tests.processes import celery_worker, wait_for
from tests.smtp import SMTPSink

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.worker,
    pytest.mark.timeout(600),
]

LANGUAGES = ("en", "be", "ru")


@pytest.fixture
def real_parts(need_postgres, need_redis, tmp_path, settings):
    """Tasks go to Redis; an SMTP sink listens; returns a worker factory."""
    celery_app.conf.task_always_eager = False
    celery_app.conf.broker_url = need_redis
    celery_app.control.purge()
    sink = SMTPSink().start()
    workers = []

    def start_worker(name="w1", concurrency=2, **env):
        env.setdefault("NEWSLETTER_LEASE_SECONDS", 4)
        env.setdefault("NEWSLETTER_BATCH_SIZE", 50)
        env.setdefault("NEWSLETTER_RETRY_BASE_SECONDS", 0.5)
        env.setdefault("NEWSLETTER_RETRY_MAX_SECONDS", 3)
        worker = celery_worker(tmp_path, name=name, concurrency=concurrency,
                               REDIS_URL=need_redis, EMAIL_URL=sink.url, **env).start()
        workers.append(worker)
        return worker

    settings.NEWSLETTER_LEASE_SECONDS = 4
    settings.NEWSLETTER_BATCH_SIZE = 50
    yield sink, start_worker, workers
    for worker in workers:
        worker.stop()
    sink.stop()
    celery_app.control.purge()
    celery_app.conf.task_always_eager = True


def publish(subscriber_count=0, *, statuses=("confirmed",), send_now=True):
    user = editor("worker-editor")
    issue = IssueFactory()
    articles = [
        ArticleFactory(issue=issue, title_en="Army drills near Hrodna",
                       title_be="Вучэнні войска каля Гродна", title_ru="Учения армии под Гродно"),
        ArticleFactory(issue=issue, title_en="Potash via Russian ports", body_be="",
                       title_ru="Калий через российские порты"),
    ]
    for article in articles:
        services.article_submit(article=article, user=user)
        services.article_approve(article=article, user=user)
    Subscriber.objects.bulk_create(
        Subscriber(email=f"s{i}-{status}@example.org", language=LANGUAGES[i % 3], status=status)
        for i in range(subscriber_count)
        for status in statuses
    )
    services.issue_publish(issue=issue, user=user, send_now=send_now)
    return issue


def all_sent(issue):
    return not Dispatch.objects.filter(issue=issue).exclude(status="sent").exists()


def sweeping(issue):
    """What beat does (start what is due, every minute; sweep, every 30 s),
    every half second here. A worker killed whole leaves the messages it had
    reserved unacknowledged in Redis until the visibility timeout (an hour):
    a start_dispatch among them leaves its dispatch scheduled, which only the
    beat's start_due_dispatches picks up again."""

    def beat():
        scheduling.dispatch_start_due()
        ledger.sweep()

    return beat


def state(issue) -> str:
    """Where each dispatch of `issue` stands, for a failure message."""
    lines = []
    for dispatch in Dispatch.objects.filter(issue=issue).order_by("language"):
        counts = {}
        for status in Delivery.objects.filter(dispatch=dispatch).values_list("status", flat=True):
            counts[status] = counts.get(status, 0) + 1
        lines.append(f"{dispatch.language}: {dispatch.status}, started {dispatch.started_at}, "
                     f"deliveries {counts}")
    return "\n".join(lines)


def test_each_confirmed_subscriber_gets_one_email_in_their_language(real_parts):
    sink, start_worker, workers = real_parts
    start_worker()
    issue = publish(30, statuses=("pending", "confirmed", "unsubscribed", "bounced"))
    assert wait_for(lambda: all_sent(issue), timeout=120), workers[0].log()[-3000:]
    confirmed = Subscriber.objects.filter(status="confirmed")
    assert sink.per_recipient == {s.email: 1 for s in confirmed}
    assert len(sink.messages) == 30
    for subscriber in confirmed:
        (message,) = sink.for_address(subscriber.email)
        text = message.get_body(("plain",)).get_content()
        assert message["Subject"] == f"Belarus Weekly · {issue.period_label(subscriber.language)}"
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert message["Message-ID"] == (
            f"<issue-{issue.number}.{subscriber.language}.{subscriber.pk}@127.0.0.1>")
        expected = {"en": ["Army drills near Hrodna", "Potash via Russian ports"],
                    "be": ["Вучэнні войска каля Гродна"],
                    "ru": ["Учения армии под Гродно", "Калий через российские порты"]}
        for title in expected[subscriber.language]:
            assert title in text
        if subscriber.language == "be":
            assert "Potash" not in text and "Калий" not in text


def test_sigkill_during_a_send_loses_nobody(real_parts):
    """Workers killed repeatedly mid-send, then restarted: everyone receives the
    issue; duplicates are no more than the processes killed mid-message."""
    sink, start_worker, workers = real_parts
    worker = start_worker(NEWSLETTER_RATE_PER_SECOND=400)
    issue = publish(3000)
    kills = 0
    rounds = 0
    while not all_sent(issue) and rounds < 6:
        time.sleep(random.uniform(0.8, 1.5))
        if all_sent(issue):
            break
        rounds += 1
        if rounds % 3 == 0:
            kills += worker.kill()  # the whole worker, main process included
            worker = start_worker(name=f"w{rounds}", NEWSLETTER_RATE_PER_SECOND=400)
        else:
            kills += worker.kill_children()  # pool processes mid-batch
    assert kills > 0
    assert wait_for(lambda: all_sent(issue), timeout=300, on_wait=sweeping(issue)), (
        state(issue) + "\n" + worker.log()[-3000:])
    received = sum(sink.per_recipient.values())
    duplicates = received - len(sink.per_recipient)
    assert len(sink.per_recipient) == 3000, "somebody got nothing"
    assert duplicates <= kills, (duplicates, kills)
    assert Delivery.objects.filter(status="sent").count() == 3000
    print(f"kills={kills} duplicates={duplicates} received={received}")


def test_flaky_smtp_everyone_delivered_and_one_permanent_failure(real_parts):
    sink, start_worker, workers = real_parts
    issue = publish(300, send_now=False)
    for i in range(0, 300, 7):
        sink.faults.defer[f"s{i}-confirmed@example.org"] = 2  # 451 twice, then OK
    sink.faults.close_every = 37  # 421 and hang up now and then
    sink.faults.drop_every = 53  # or just drop the line
    sink.faults.reject["s5-confirmed@example.org"] = "550 5.1.1 <s5> No such user"
    start_worker()
    user = editor("worker-editor")
    for d in Dispatch.objects.filter(issue=issue):
        controls.dispatch_send_now(dispatch=d, user=user)
    assert wait_for(lambda: all_sent(issue), timeout=240, on_wait=sweeping(issue)), (
        workers[0].log()[-3000:])
    failed = Delivery.objects.get(status="failed")
    assert failed.subscriber.email == "s5-confirmed@example.org"
    assert "550 5.1.1" in failed.last_error
    assert Subscriber.objects.get(email="s5-confirmed@example.org").status == "bounced"
    # Only the subscribers: the editors' notice of a send that ended with a failure
    # goes through the same server.
    received = {address: count for address, count in sink.per_recipient.items()
                if address.endswith("-confirmed@example.org")}
    assert len(received) == 299
    assert sink.deferred > 0 and sink.drops > 0
    assert all(count == 1 for count in received.values()) or (
        sum(received.values()) - 299 <= sink.drops)


def test_send_twice_still_one_email_each(real_parts):
    sink, start_worker, workers = real_parts
    issue = publish(90, send_now=False)
    user = editor("worker-editor")
    for d in Dispatch.objects.filter(issue=issue):
        controls.dispatch_send_now(dispatch=d, user=user)
        controls.dispatch_send_now(dispatch=d, user=user)
    scheduling.dispatch_schedule_for_issue(issue_id=issue.pk, send_now=True)
    start_worker()
    assert wait_for(lambda: all_sent(issue), timeout=120, on_wait=sweeping(issue)), (
        workers[0].log()[-3000:])
    time.sleep(2)  # anything else queued would have run by now
    assert len(sink.per_recipient) == 90
    assert set(sink.per_recipient.values()) == {1}
    assert connection.vendor == "postgresql"
