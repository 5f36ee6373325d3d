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


@pytest.mark.parametrize("address, identity", [
    ("192.0.2.7", "192.0.2.7"),
    ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),
    ("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64"),
    ("2001:DB8:1:2::dead:beef", "2001:db8:1:2::/64"),
    ("::ffff:192.0.2.7", "192.0.2.7"),
    ("not an address", "not an address"),
])
def test_ip_identity_groups_ipv6_by_its_64(address, identity):
    assert ratelimit.ip_identity(address) == identity


def test_ip_identity_keeps_neighbouring_64s_apart():
    assert ratelimit.ip_identity("2001:db8:1:2::1") != ratelimit.ip_identity("2001:db8:1:3::1")


@pytest.mark.parametrize("variants", [
    ["jane@example.org", "Jane@Example.org", "jane+news@example.org", "jane+a+b@example.org"],
    ["john.smith@gmail.com", "johnsmith@gmail.com", "j.o.h.n.smith+x@gmail.com",
     "JohnSmith@googlemail.com", "john.smith@GMAIL.COM"],
])
def test_mailbox_identity_treats_tags_and_ignored_dots_as_one_mailbox(variants):
    assert len({ratelimit.mailbox_identity(v) for v in variants}) == 1


def test_mailbox_identity_keeps_dots_where_the_provider_does_not_ignore_them():
    assert ratelimit.mailbox_identity("j.smith@example.org") != ratelimit.mailbox_identity(
        "jsmith@example.org")
    assert ratelimit.mailbox_identity("+only@example.org") == "+only@example.org"
