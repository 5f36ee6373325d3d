"""200 subscribe requests for one address at the same moment, over real HTTP to
a live server on PostgreSQL: one subscriber row, at most one confirmation email.

tests/newsletter/test_concurrency.py races the service directly with 50
threads; this one goes through everything in front of it (the view, the form,
the rate limits, the Origin check, the on-commit email to an SMTP server)."""

from collections import Counter

import pytest
import requests

from newsletter.models import Subscriber
from tests.concurrency import run_concurrently
from tests.newsletter.helpers import box_data, subscribe_url
from tests.reliability.live import BoundedLiveServer

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

REQUESTS = 200
SPELLINGS = ("Flood@Example.org", " flood@example.ORG ", "FLOOD@EXAMPLE.ORG", "flood@example.org")


@pytest.fixture
def server(settings, transactional_db):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "127.0.0.1"]
    server = BoundedLiveServer().start()
    yield server
    server.stop()


def test_200_concurrent_subscribes_for_one_address(need_postgres, server, smtp_sink, settings,
                                                   figures):
    figures["description"] = (
        f"{REQUESTS} subscribe POSTs for one address (four spellings, three languages) "
        "released together from as many client threads, over HTTP to a live server "
        f"with {server.thread.server_class.max_threads} request threads on PostgreSQL; "
        "rate limits raised so that every request reaches the subscription service.")
    settings.NEWSLETTER_SUBSCRIBE_RATE_PER_IP = "100000/h"
    settings.NEWSLETTER_SUBSCRIBE_RATE_PER_ADDRESS = "100000/h"
    settings.NEWSLETTER_CONFIRMATION_INTERVAL = 3600
    def subscribe(i):
        language = ("en", "be", "ru")[i % 3]
        with requests.Session() as session:
            response = session.post(
                server.url + subscribe_url(language),
                data=box_data(SPELLINGS[i % len(SPELLINGS)], language),
                headers={"User-Agent": "flood-test"}, timeout=120, allow_redirects=False,
            )
        return str(response.status_code)

    codes, errors = run_concurrently(REQUESTS, subscribe, timeout=300)
    statuses = Counter(codes)
    errors = [repr(exc) for exc in errors]

    rows = Subscriber.objects.filter(email__iexact="flood@example.org")
    # The local part keeps the case of whichever request created the row.
    emails = sum(smtp_sink.per_recipient.values())
    figures.update(requests=REQUESTS, statuses=dict(sorted(statuses.items())),
                   subscriber_rows=rows.count(), confirmation_emails=emails,
                   client_errors=len(errors))
    assert errors == []
    assert statuses == {"200": REQUESTS}  # every one "check your inbox", none a 5xx
    assert rows.count() == 1 and Subscriber.objects.count() == 1
    assert rows.get().status == Subscriber.Status.PENDING
    assert emails == 1  # the person asked for it once, however many times the box was sent
    assert {r.lower() for r in smtp_sink.per_recipient} <= {"flood@example.org"}
