"""A small HTTP load generator, used only when wrk is not installed.

    python bench/loadgen.py --url http://127.0.0.1:8000/en/ --connections 4 --seconds 10

Each connection is a thread with its own keep-alive HTTP/1.1 connection
(reopened when the server closes it). Prints one line of JSON:
{"requests": n, "seconds": s, "rps": r, "latency_ms": median, "errors": e}.
"""

import argparse
import http.client
import json
import statistics
import sys
import threading
import time
from urllib.parse import urlsplit


def worker(url, deadline, latencies, errors):
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    while time.perf_counter() < deadline:
        start = time.perf_counter()
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                errors.append(response.status)
            if response.getheader("Connection", "").lower() == "close":
                conn.close()
        except (OSError, http.client.HTTPException):
            errors.append("io")
            conn.close()
            continue
        latencies.append(time.perf_counter() - start)
    conn.close()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=10.0)
    options = parser.parse_args(argv)
    latencies, errors = [], []
    start = time.perf_counter()
    deadline = start + options.seconds
    threads = [threading.Thread(target=worker, args=(options.url, deadline, latencies, errors))
               for _ in range(options.connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - start
    json.dump({"requests": len(latencies), "seconds": seconds, "rps": len(latencies) / seconds,
               "latency_ms": 1000 * statistics.median(latencies) if latencies else None,
               "errors": len(errors)}, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
