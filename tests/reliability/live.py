"""Helpers for the reliability tests that talk HTTP to a live server: a
counting client, a snapshot of what the database holds, and a live server with
a bounded number of request threads (as gunicorn has a bounded number of
workers), for floods that would otherwise open more PostgreSQL connections
than the server allows."""

import socketserver
import threading
from collections import Counter
from urllib.parse import quote

import requests
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test.testcases import LiveServerThread

from bulletin.models import Article, Issue, Topic, Transition
from newsletter.models import Delivery, Dispatch, Subscriber


class Probe:
    """Requests to a live server, counted by status. A 5xx fails at once,
    naming the request; `expect` names the statuses that request may get."""

    def __init__(self, base: str, session: requests.Session | None = None):
        self.base = base
        self.session = session or requests.Session()
        self.statuses: Counter = Counter()
        self.requests = 0

    def request(self, method: str, path: str, *, expect=None, **kwargs) -> requests.Response:
        kwargs.setdefault("allow_redirects", False)
        kwargs.setdefault("timeout", 60)
        response = self.session.request(method, self.base + path, **kwargs)
        self.requests += 1
        self.statuses[str(response.status_code)] += 1
        where = f"{method} {path[:300]!r}"
        assert response.status_code < 500, f"{where} -> {response.status_code}"
        if expect is not None:
            assert response.status_code in expect, f"{where} -> {response.status_code}"
        return response

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, **kwargs):
        return self.request("POST", path, **kwargs)

    def close(self):
        # A kept-alive connection holds a server thread (and, on SQLite, the
        # shared in-memory connection) until it is closed.
        self.session.close()

    def figures(self) -> dict:
        return {
            "requests": self.requests,
            "statuses": dict(sorted(self.statuses.items())),
            "5xx": sum(n for code, n in self.statuses.items() if code.startswith("5")),
        }


def segment(text: str) -> str:
    """`text` as one URL path segment (a "/" in it stays inside the segment)."""
    return quote(text, safe="")


def snapshot() -> dict:
    """What must not change when a request is refused: every subscriber's
    address, status and language, every issue's and article's state, and the
    workflow and sending records."""
    return {
        "subscribers": sorted(Subscriber.objects.values_list("pk", "email", "status", "language")),
        "issues": sorted(Issue.objects.values_list("pk", "status", "published_at")),
        "articles": sorted(Article.objects.values_list("pk", "status", "published_at")),
        "topics": sorted(Topic.objects.values_list("pk", "slug")),
        "transitions": Transition.objects.count(),
        "dispatches": sorted(Dispatch.objects.values_list("pk", "status", "scheduled_for")),
        "deliveries": sorted(Delivery.objects.values_list("pk", "status", "attempts")),
    }


FACTORY_PASSWORD = "pw"  # what tests.factories.UserFactory sets


def admin_session(base: str, username: str, password: str = FACTORY_PASSWORD) -> requests.Session:
    """A requests session logged in through the admin's login form."""
    session = requests.Session()
    login = base + "/admin/login/"
    session.get(login, timeout=30)
    response = session.post(login, data={
        "username": username, "password": password, "next": "/admin/",
        "csrfmiddlewaretoken": session.cookies["csrftoken"],
    }, headers={"Referer": login}, allow_redirects=False, timeout=30)
    assert response.status_code == 302, response.text[:500]
    return session


class BoundedThreadedWSGIServer(ThreadedWSGIServer):
    """At most `max_threads` requests in progress; the rest wait in the listen
    queue, as they would for a fixed pool of gunicorn workers."""

    max_threads = 32
    request_queue_size = 256

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._slots = threading.BoundedSemaphore(self.max_threads)

    def process_request(self, request, client_address):
        self._slots.acquire()
        try:
            socketserver.ThreadingMixIn.process_request(self, request, client_address)
        except BaseException:
            self._slots.release()
            raise

    def process_request_thread(self, request, client_address):
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()


class BoundedLiveServerThread(LiveServerThread):
    server_class = BoundedThreadedWSGIServer


class BoundedLiveServer:
    """A live server of the test's own (pytest-django's is unbounded and
    shared by the session)."""

    def __init__(self):
        from django.contrib.staticfiles.handlers import StaticFilesHandler

        self.thread = BoundedLiveServerThread("127.0.0.1", StaticFilesHandler, {})
        self.thread.daemon = True

    def start(self):
        self.thread.start()
        self.thread.is_ready.wait()
        if self.thread.error:
            raise self.thread.error
        return self

    def stop(self):
        self.thread.terminate()

    @property
    def url(self):
        return f"http://{self.thread.host}:{self.thread.port}"
