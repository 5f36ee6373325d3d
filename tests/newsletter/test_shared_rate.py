"""NEWSLETTER_RATE_PER_SECOND holds for the whole send: two Celery worker
processes on Redis share one limiter, so together they send no faster than it."""

import pytest

from tests.newsletter.test_worker import all_sent, publish, real_parts  # noqa: F401
from tests.processes import wait_for

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.worker,
    pytest.mark.timeout(300),
]

RATE = 20


def test_two_worker_processes_share_one_rate(real_parts):  # noqa: F811
    sink, start_worker, workers = real_parts
    for name in ("rate1", "rate2"):
        start_worker(name=name, concurrency=1, NEWSLETTER_RATE_PER_SECOND=RATE,
                     NEWSLETTER_BATCH_SIZE=10)
    issue = publish(60)  # three dispatches (en, be, ru) going out at once
    assert wait_for(lambda: all_sent(issue), timeout=120), workers[0].log()[-3000:]
    assert len(sink.messages) == 60
    assert all("send_batch" in worker.log() for worker in workers), "one worker sent nothing"
    times = sorted(sink.received_at)
    # 60 messages at 20/s take at least 59/20 s whoever sends them (two
    # processes keeping the rate each on their own would take half that).
    assert times[-1] - times[0] >= 0.9 * (len(times) - 1) / RATE, times[-1] - times[0]
    busiest = max(sum(1 for t in times if start <= t < start + 1) for start in times)
    assert busiest <= RATE + 1, busiest
