"""Django's Redis cache backend, keeping its client objects.

Django's RedisCacheClient builds a new redis.Redis for every cache call, and
redis-py fills a table of a few hundred response callbacks for each one: on a
cached reader page that costs more than the round trip to Redis itself. This
client keeps one redis.Redis per connection pool (a redis.Redis is safe to
share between threads; the pool hands out the connections).
"""

from django.core.cache.backends import redis as django_redis


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
