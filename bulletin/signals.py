from django.dispatch import Signal

# Sent after the transaction that published an issue commits.
# kwargs: issue_id, send_now (the editor asked for the newsletter to go out at once).
issue_published = Signal()

# Sent inside the transaction that publishes an issue, once everything it
# changes is written (bulletin.pagecache.prerender renders the issue's pages
# ahead of the commit). kwargs: issue.
issue_publishing = Signal()

# Sent after the transaction that moved an article in the workflow commits.
# kwargs: article_id, to (the new status), actor_id, comment.
article_moved = Signal()

# Sent by the workflow services, once per change, when something readers see
# changed inside the current transaction (bulletin.pagecache.invalidation listens).
# kwargs: instance (the Article or Issue).
content_changed = Signal()

# Sent by the shared cache's backend (config/cache.py) on its first successful
# call after an outage. Writes made meanwhile were lost, an invalidation among
# them, so bulletin.pagecache.invalidation makes every cached page stale.
cache_recovered = Signal()
