"""Admin login brute force: django-axes locks out a username and, separately,
a client address after AXES_FAILURE_LIMIT failures in a row, with a clear page,
a 429 and a cool-off; behind NUM_PROXIES it counts the real client."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.utils import timezone

from tests.accounts.helpers import login
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

WRONG = "Please enter the correct username and password"


@pytest.fixture(autouse=True)
def limits(settings):
    settings.AXES_FAILURE_LIMIT = 5
    settings.AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)


@pytest.fixture
def staff():
    return [UserFactory(username=f"staff{i}") for i in range(7)]  # password "pw"


def assert_locked_out(response):
    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many failed logins" in html and "Try again in 15 minutes." in html
    assert response["Retry-After"] == "900"


def test_a_username_is_locked_out_after_five_failures_from_any_address(client, staff):
    for i in range(4):
        response = login(client, "staff0", f"guess{i}", REMOTE_ADDR=f"192.0.2.{i}")
        assert response.status_code == 200 and WRONG in response.content.decode()
    # The fifth failure is answered with the lockout page.
    assert_locked_out(login(client, "staff0", "guess4", REMOTE_ADDR="192.0.2.4"))
    # The next try, even with the right password and from a new address, is refused.
    assert_locked_out(login(client, "staff0", "pw", REMOTE_ADDR="198.51.100.1"))
    assert "_auth_user_id" not in client.session
    # Others can still log in.
    assert login(client, "staff1", "pw", REMOTE_ADDR="198.51.100.2").status_code == 302


def test_thirty_wrong_passwords_are_not_thirty_tries(client, staff):
    codes = [login(client, "staff0", f"guess{i}").status_code for i in range(30)]
    assert codes == [200] * 4 + [429] * 26


def test_an_address_is_locked_out_after_five_failures_for_any_usernames(client, staff):
    codes = [login(client, f"staff{i}", "wrong", REMOTE_ADDR="203.0.113.9").status_code
             for i in range(5)]
    assert codes == [200] * 4 + [429]
    assert_locked_out(login(client, "staff6", "pw", REMOTE_ADDR="203.0.113.9"))
    assert login(client, "staff6", "pw", REMOTE_ADDR="203.0.113.10").status_code == 302


def test_behind_a_proxy_the_client_is_counted_not_the_proxy(client, staff, settings):
    settings.NUM_PROXIES = 1
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for i in range(5):
        login(client, f"staff{i}", "wrong", HTTP_X_FORWARDED_FOR="203.0.113.50", **proxy)
    assert_locked_out(login(client, "staff6", "pw", HTTP_X_FORWARDED_FOR="203.0.113.50",
                            **proxy))
    # Another client through the same proxy is not locked out.
    response = login(client, "staff6", "pw", HTTP_X_FORWARDED_FOR="203.0.113.51", **proxy)
    assert response.status_code == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.50"}


def test_the_lockout_ends_after_the_cool_off(client, staff):
    for i in range(5):
        login(client, "staff0", f"guess{i}")
    assert_locked_out(login(client, "staff0", "pw"))
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=16))
    assert login(client, "staff0", "pw").status_code == 302


def test_a_success_resets_the_count(client, staff):
    for i in range(4):
        login(client, "staff0", f"guess{i}")
    assert login(client, "staff0", "pw").status_code == 302
    client.logout()
    for i in range(4):
        assert login(client, "staff0", f"again{i}").status_code == 200
    assert login(client, "staff0", "pw").status_code == 302


def test_the_lockout_page_is_translated(client, staff):
    for i in range(5):
        login(client, "staff0", f"guess{i}")
    response = login(client, "staff0", "pw", HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 429
    assert "Слишком много неудачных попыток входа" in response.content.decode()
