"""Fixed-window rate limits kept in Django's cache, and the client's address.

Why our own twenty lines rather than django-ratelimit: we need two counters
(per IP, per address) checked at chosen points of one view, a key that is a
hash rather than the raw address, and nothing else; django-ratelimit would add a
dependency, a decorator layer and its own settings for the same cache.add/incr.

Counters are atomic: `cache.add` creates a window's counter only if it is
absent, `cache.incr` is an atomic increment (INCR in Redis, a lock in locmem),
so concurrent requests on any number of web processes never lose a hit.

While the shared cache is unreachable (config/cache.py) the counters are kept
in this process's memory instead: limits then hold per process rather than
site-wide, which is looser but still a limit, and the form keeps working.
"""

import hashlib
import ipaddress
import re
import time

from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache

_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")
_PERIOD = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """'10/h' -> (10, 3600); '5/15m' -> (5, 900)."""
    match = _RATE.match(rate or "")
    if not match:
        raise ValueError(f"malformed rate {rate!r}; expected e.g. '10/h' or '5/15m'")
    count, multiplier, unit = match.groups()
    return int(count), int(multiplier or 1) * _PERIOD[unit]


def hit(scope: str, identity: str, rate: str) -> bool:
    """Count one hit for `identity` in `scope`; False once `rate` is exceeded."""
    limit, period = parse_rate(rate)
    digest = hashlib.sha256(identity.encode()).hexdigest()[:32]
    window = int(time.time() // period)
    key = f"ratelimit:{scope}:{digest}:{window}"
    count = _count(cache, key, period)
    if count is None or not getattr(cache, "available", True):
        count = _count(_local, key, period)
    return count <= limit


# Counters of this process, for while the shared cache is down.
_local = LocMemCache("ratelimit-fallback", {"OPTIONS": {"MAX_ENTRIES": 10_000}})


def forget_local_counts():
    """Drop this process's fallback counters (for tests)."""
    _local.clear()


def _count(store, key: str, period: int) -> int | None:
    """This window's count after one more hit; None when `store` could not say."""
    if store.add(key, 1, timeout=period + 1):
        return 1
    try:
        return store.incr(key)
    except ValueError:  # expired between add and incr
        store.add(key, 1, timeout=period + 1)
        return 1


def client_ip(request) -> str:
    """The client's address: REMOTE_ADDR, or, behind NUM_PROXIES trusted proxies,
    the address the outermost of them saw (the rest of X-Forwarded-For is forgeable)."""
    proxies = getattr(settings, "NUM_PROXIES", 0)
    remote = request.META.get("REMOTE_ADDR", "") or ""
    if proxies > 0:
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [p for p in forwarded if p]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return remote


# IPv6 clients get a /64 each (RFC 6177, and what ISPs hand out): counting by the
# full address would let one client rotate through 2**64 of them.
IPV6_PREFIX = 64
# Providers that deliver "j.smith@" and "jsmith@" to the same mailbox.
DOTLESS_DOMAINS = {"gmail.com": "gmail.com", "googlemail.com": "gmail.com"}


def ip_identity(address: str) -> str:
    """What the per-IP limit counts: an IPv4 address, an IPv6 client's /64
    (an IPv4-mapped IPv6 address counts as its IPv4 address)."""
    try:
        ip = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return address or ""
    if ip.version == 6:
        if ip.ipv4_mapped:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/{IPV6_PREFIX}", strict=False))
    return str(ip)


def mailbox_identity(address: str) -> str:
    """What the per-address limit counts: the mailbox behind `address`, with any
    "+tag" dropped, and dots dropped for providers that ignore them. Only for
    counting: the address itself is stored and mailed as it was given."""
    local, _at, domain = (address or "").strip().lower().rpartition("@")
    if not local:
        return address.lower()
    local = local.split("+", 1)[0] or local
    domain = domain.rstrip(".")
    if domain in DOTLESS_DOMAINS:
        domain = DOTLESS_DOMAINS[domain]
        local = local.replace(".", "")
    return f"{local}@{domain}"
