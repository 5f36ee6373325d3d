"""The one concurrency harness: `count` threads released together by a barrier."""

import threading

from django.db import connection


def run_concurrently(count, target, *, timeout=120):
    """Call target(i) for i in range(count), each in its own thread, all released at
    once. Each thread closes its own database connection when done. Returns the
    results and the exceptions raised, in the order they happened."""
    barrier = threading.Barrier(count)
    results, errors = [], []

    def worker(i):
        try:
            barrier.wait(timeout=30)
            results.append(target(i))
        except Exception as exc:  # collected; the test asserts on them
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return results, errors
