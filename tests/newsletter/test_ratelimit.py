import pytest
from django.test import RequestFactory

from newsletter import ratelimit


@pytest.mark.parametrize("rate, expected", [
    ("10/h", (10, 3600)), ("5/15m", (5, 900)), (" 3 / d ", (3, 86400)), ("1/s", (1, 1)),
])
def test_parse_rate(rate, expected):
    assert ratelimit.parse_rate(rate) == expected


@pytest.mark.parametrize("rate", ["", "ten/h", "10/y", "10"])
def test_malformed_rates_say_so(rate):
    with pytest.raises(ValueError, match="malformed rate"):
        ratelimit.parse_rate(rate)


def test_hit_counts_per_identity():
    assert [ratelimit.hit("t", "a", "2/h") for _ in range(3)] == [True, True, False]
    assert ratelimit.hit("t", "b", "2/h")
    assert ratelimit.hit("other-scope", "a", "2/h")


def test_client_ip_ignores_forwarded_for_unless_behind_proxies(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1",
                                   HTTP_X_FORWARDED_FOR="6.6.6.6, 192.0.2.5")
    settings.NUM_PROXIES = 0
    assert ratelimit.client_ip(request) == "10.0.0.1"
    settings.NUM_PROXIES = 1
    assert ratelimit.client_ip(request) == "192.0.2.5"
    settings.NUM_PROXIES = 2
    assert ratelimit.client_ip(request) == "6.6.6.6"
