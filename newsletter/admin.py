from newsletter import dispatch_admin  # noqa: F401  (issue page panel, dispatches, deliveries)
