"""Many simultaneous subscribes for one address, on PostgreSQL: one row, one email."""


import pytest
from django.core import mail

from newsletter import consent, services
from newsletter.models import Subscriber
from tests.concurrency import run_concurrently
from tests.newsletter.helpers import ensure_languages

THREADS = 50  # PostgreSQL's default max_connections is 100, shared with other test runs


@pytest.mark.postgres
def test_concurrent_subscribes_for_one_address(need_postgres, transactional_db, settings):
    settings.NEWSLETTER_CONFIRMATION_INTERVAL = 3600
    ensure_languages()
    mail.outbox = []
    def request(i):
        return services.subscriber_subscribe(
            # The same address, written differently, as people do.
            email="Race@Example.org" if i % 2 else " race@example.ORG ",
            language=("en", "be", "ru")[i % 3],
            consent=consent.Consent(source="/en/", text="t", version="v", ip="192.0.2.1"),
        )

    results, errors = run_concurrently(THREADS, request)

    assert errors == []
    assert len(results) == THREADS
    assert Subscriber.objects.count() == 1
    assert sum(r.created for r in results) == 1
    assert sum(r.email_queued for r in results) == 1
    assert len({r.subscriber_id for r in results}) == 1
    assert len(mail.outbox) == 1
