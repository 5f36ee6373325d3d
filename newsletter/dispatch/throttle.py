"""The sending rate, held for the whole send across every worker process and
machine: NEWSLETTER_RATE_PER_SECOND and NEWSLETTER_RATE_PER_HOUR.

With Redis (REDIS_URL), one Lua script per message reserves its slot: a
"theoretical arrival time" key (GCRA) spaces messages 1/rate apart whoever
sends them, on Redis's own clock, and an hourly counter refuses past the cap.
Without Redis (the embedded default), or while Redis does not answer, each
process keeps the rate by itself: sending goes on, a little faster than asked
at worst, rather than stopping.
"""

import logging
import time

from django.conf import settings

from newsletter import sending

log = logging.getLogger(__name__)

RATE_KEY = "newsletter:send-rate"
HOUR_KEY = "newsletter:send-hour"

# KEYS: rate key, hour key prefix. ARGV: interval (µs, 0 = none), hourly cap (0 = none).
# Returns µs to wait before sending (>= 0), or -(µs until the next hour) at the cap.
_SCRIPT = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local cap = tonumber(ARGV[2])
if cap > 0 then
  local hour = math.floor(now / 3600000000)
  local key = KEYS[2] .. ':' .. hour
  local n = redis.call('INCR', key)
  if n == 1 then redis.call('EXPIRE', key, 7200) end
  if n > cap then
    redis.call('DECR', key)
    return -((hour + 1) * 3600000000 - now)
  end
end
if interval <= 0 then return 0 end
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
redis.call('SET', KEYS[1], tat + interval, 'PX', math.ceil((tat + interval - now) / 1000) + 1000)
return tat - now
"""

_client = None


class HourlyCapReached(Exception):
    """NEWSLETTER_RATE_PER_HOUR messages went out this hour; `retry_in` seconds to the next."""

    def __init__(self, retry_in: float):
        super().__init__(f"hourly cap reached; next hour in {retry_in:.0f} s")
        self.retry_in = retry_in


def _redis():
    global _client
    if _client is None:
        import redis

        _client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=5,
                                       socket_connect_timeout=5)
    return _client


class Throttle:
    """One per batch. `wait()` before each message: sleeps until its slot, or
    raises HourlyCapReached."""

    def __init__(self):
        self.per_second = settings.NEWSLETTER_RATE_PER_SECOND
        self.per_hour = settings.NEWSLETTER_RATE_PER_HOUR
        self.local = sending.RateLimiter(self.per_second)
        self.shared = bool(settings.REDIS_URL) and (self.per_second > 0 or self.per_hour > 0)
        self._script = None
        self._local_hour = (None, 0)

    def wait(self):
        if self.shared:
            try:
                self._wait_shared()
                return
            except HourlyCapReached:
                raise
            except Exception as exc:  # Redis unreachable: keep the rate in this process
                log.warning("shared send rate unavailable, keeping it per process: %s", exc)
                self.shared = False
        self._wait_local()

    def _wait_shared(self):
        if self._script is None:
            self._script = _redis().register_script(_SCRIPT)
        interval = int(1_000_000 / self.per_second) if self.per_second > 0 else 0
        micros = int(self._script(keys=[RATE_KEY, HOUR_KEY], args=[interval, self.per_hour]))
        if micros < 0:
            raise HourlyCapReached(-micros / 1_000_000)
        if micros:
            time.sleep(micros / 1_000_000)

    def _wait_local(self):
        if self.per_hour > 0:
            hour = int(time.time() // 3600)
            current, count = self._local_hour
            count = count + 1 if current == hour else 1
            if count > self.per_hour:
                raise HourlyCapReached((hour + 1) * 3600 - time.time())
            self._local_hour = (hour, count)
        self.local.wait()
