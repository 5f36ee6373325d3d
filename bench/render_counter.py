"""Counts renders of reader pages in every process (for bench/part_burst.py).

Installed by bench/settings.py when BENCH_COUNT_RENDERS is set (and by
bench/part_burst.py in the bench's own process, whose publication renders the
issue's pages ahead of its commit): each time a
reader page's content is built (the `build` that bulletin.pagecache.responses.serve
runs on a miss) or a feed is rendered, the field "<path>" of the hash
`bench:renders` in the bench's Redis (REDIS_URL) is incremented.
"""

import os

from django.apps import AppConfig

KEY = "bench:renders"


class RenderCounter(AppConfig):
    name = "bench.render_counter"
    label = "bench_render_counter"

    def ready(self):
        install()


def install():
    """Count renders in this process from now on; returns what undoes it."""
    import redis
    from django.contrib.syndication.views import Feed

    from bulletin import views

    client = redis.Redis.from_url(os.environ["REDIS_URL"])
    serve, feed_call = views.serve, Feed.__call__

    def counting_serve(request, build, **kwargs):
        def counted():
            client.hincrby(KEY, request.path, 1)
            return build()

        return serve(request, counted, **kwargs)

    def counting_feed(self, request, *args, **kwargs):
        client.hincrby(KEY, request.path, 1)
        return feed_call(self, request, *args, **kwargs)

    views.serve, Feed.__call__ = counting_serve, counting_feed

    def uninstall():
        views.serve, Feed.__call__ = serve, feed_call

    return uninstall
