"""The reader page cache, all of it in one place.

    generation    the cache generation (one value in the shared cache), the
                  per-request memo (reads prefetched in one MGET, writes sent in
                  one pipeline), this process's copy, value_read/value_store
    responses     serve() for reader views, cached_response for feeds and the
                  sitemap: content keys, the whole-response store, ETags
    middleware    PageCacheMiddleware: a hit answered before URL resolution
    invalidation  the one invalidation path: a receiver of content_changed (and
                  of the content models' post_save/post_delete) that bumps the
                  generation once, when a transaction's changes commit (and
                  after a cache outage)
    prerender     after a publication, a task renders the issue's pages in every
                  live language before readers arrive

Imports run down the list's arrows: middleware → responses → generation;
invalidation → generation. Nothing here imports a view or a service.
"""
