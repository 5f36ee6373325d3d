"""International addresses: the subscribe box and the CSV import accept what
can be delivered (IDNA domains, Unicode local parts) and refuse, with a
message, only what never can; the hourly cap and the shared rate's fallback."""

import pytest
import redis
from django.utils import timezone

from newsletter import services
from newsletter.dispatch import ledger, throttle, worker
from newsletter.models import Dispatch, Subscriber
from tests.factories import SubscriberFactory, UserFactory, published_issue
from tests.newsletter.helpers import post_subscribe

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("address", ["reader@пример.рф", "пётр@пример.бел",
                                     "anna@Bücher.example", "ülle@example.ee"])
def test_the_box_accepts_international_addresses(client, address):
    response = post_subscribe(client, address, "en")
    assert response.status_code == 200
    assert Subscriber.objects.with_email(address).exists()


@pytest.mark.parametrize("address", ["пётр@-пример.рф", "a b@пример.рф", "user@xn--zz.бел",
                                     "пётр@пример", "two@@пример.рф"])
def test_the_box_refuses_what_can_never_be_delivered(client, address):
    response = post_subscribe(client, address, "en")
    assert response.status_code == 400
    assert "Enter a valid email address" in response.content.decode()
    assert not Subscriber.objects.exists()


def test_the_import_takes_international_addresses_and_reports_the_rest():
    data = ("email,language\nreader@пример.рф,ru\nпётр@пример.бел,be\n"
            "broken@-пример.рф,en\n").encode()
    report = services.subscriber_import_csv(data=data, filename="intl.csv", user=UserFactory(),
                                 attested_consent="Signed up on paper at the fair.")
    assert report.imported == 2
    assert [(p.line, p.reason) for p in report.problems] == [
        (4, "bad address: Enter a valid email address.")]


@pytest.fixture
def fresh_hour_counter(need_redis, settings):
    settings.REDIS_URL = need_redis
    throttle._client = None
    client = redis.Redis.from_url(need_redis)
    for key in client.scan_iter(f"{throttle.HOUR_KEY}:*"):
        client.delete(key)
    yield
    for key in client.scan_iter(f"{throttle.HOUR_KEY}:*"):
        client.delete(key)
    throttle._client = None


def test_past_the_hourly_cap_the_rest_wait_for_the_next_hour(smtp_sink, settings,
                                                              fresh_hour_counter):
    settings.NEWSLETTER_RATE_PER_HOUR = 3
    for i in range(5):
        SubscriberFactory(email=f"r{i}@example.org")
    issue = published_issue()
    dispatch = Dispatch.objects.get(issue=issue, language="en")
    ledger.start(dispatch_id=dispatch.pk)
    outcome = worker.send_batch(dispatch_id=dispatch.pk)
    assert (outcome["sent"], outcome["retry"]) == (3, 2)
    assert len(smtp_sink.messages) == 3
    waiting = dispatch.deliveries.filter(status="pending")
    assert waiting.count() == 2
    next_hour = timezone.now().replace(minute=0, second=0, microsecond=0)
    assert all(d.next_attempt_at >= next_hour for d in waiting)
    assert all(d.attempts == 0 for d in waiting)  # not an attempt


def test_without_redis_the_rate_is_kept_per_process(smtp_sink, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    settings.NEWSLETTER_RATE_PER_SECOND = 1000
    throttle._client = None
    try:
        for i in range(3):
            SubscriberFactory(email=f"r{i}@example.org")
        issue = published_issue()
        dispatch = Dispatch.objects.get(issue=issue, language="en")
        ledger.start(dispatch_id=dispatch.pk)
        assert worker.send_batch(dispatch_id=dispatch.pk)["sent"] == 3
    finally:
        throttle._client = None
