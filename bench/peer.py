"""The peer: django-newsletter from PyPI, in its own virtualenv, sending to the same sink.

The bench generates a minimal Django project for it under var/bench/peer/
(its own PostgreSQL database on the same server, dropped with the bench's),
creates one newsletter, N subscriptions and one message whose articles are
our sample issue's English articles (title, lead, link: a message of similar
size), and times its `submit_newsletter` management command in-process, so
Django's start-up is not counted. A new Submission is prepared before each
timed run, outside the timer.
"""

import json
import shutil
import subprocess
import sys
import textwrap

from bench import procs

PEER_REQUIREMENTS = [
    "django-newsletter==1.2.1",   # the peer; supports Django 4.2 and 5.2
    "Django>=5.2,<5.3",
    "sorl-thumbnail",            # django-newsletter's image field needs a thumbnailer
    "psycopg2-binary",
]

SETTINGS = '''\
import os

SECRET_KEY = os.environ["SECRET_KEY"]
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sites",
    "sorl.thumbnail",
    "newsletter",
]
SITE_ID = 1
ROOT_URLCONF = "peer_urls"
DATABASES = {"default": {
    "ENGINE": "django.db.backends.postgresql",
    "NAME": os.environ["PEER_DB_NAME"],
    "HOST": os.environ["PEER_DB_HOST"],
    "PORT": os.environ["PEER_DB_PORT"],
    "USER": os.environ["PEER_DB_USER"],
    "PASSWORD": os.environ.get("PEER_DB_PASSWORD", ""),
}}
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": []},
}]
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = "127.0.0.1"
EMAIL_PORT = int(os.environ.get("PEER_SMTP_PORT", "25"))
DEFAULT_FROM_EMAIL = "bulletin@localhost"
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
NEWSLETTER_THUMBNAIL = "sorl-thumbnail"
NEWSLETTER_USE_HTTPS = False
NEWSLETTER_CONFIRM_EMAIL = False
STATIC_URL = "/static/"
MEDIA_URL = "/media/"
LOGGING = {"version": 1, "disable_existing_loggers": False,
           "root": {"level": "WARNING"}}
'''

URLS = '''\
from django.urls import include, path

urlpatterns = [path("newsletter/", include("newsletter.urls"))]
'''

SCRIPT = '''\
"""Runs inside the peer's virtualenv: `setup <subscribers> <articles.json>` or `send`."""
import json
import os
import sys
import time
import warnings

warnings.simplefilter("ignore")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peer_settings")
import django  # noqa: E402

django.setup()
from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402
from newsletter.models import Article, Message, Newsletter, Submission, Subscription  # noqa


def setup(count, articles_path):
    newsletter = Newsletter.objects.create(
        title="Belarus Weekly", slug="weekly", email="bulletin@localhost",
        sender="Belarus Weekly")
    Subscription.objects.bulk_create(
        [Subscription(newsletter=newsletter, email_field=f"peer-{i:06d}@example.org",
                      subscribed=True, subscribe_date=timezone.now()) for i in range(count)],
        batch_size=5000)
    message = Message.objects.create(title="Gas, troops and a cautious dialogue",
                                     slug="issue", newsletter=newsletter)
    for i, item in enumerate(json.load(open(articles_path)), start=1):
        Article.objects.create(post=message, sortorder=10 * i, title=item["title"],
                               text=item["text"], url=item["url"])
    print(json.dumps({"subscriptions": Subscription.objects.count(),
                      "articles": Article.objects.count()}))


def send():
    Submission.objects.update(sent=True)  # earlier runs' submissions are done
    message = Message.objects.get(slug="issue")
    submission = Submission.from_message(message)
    submission.prepared = True
    submission.publish_date = timezone.now() - timezone.timedelta(seconds=1)
    submission.save()
    start = time.perf_counter()
    call_command("submit_newsletter", verbosity=0)
    seconds = time.perf_counter() - start
    submission.refresh_from_db()
    print(json.dumps({"seconds": seconds, "sent": submission.sent,
                      "recipients": submission.subscriptions.count()}))


if sys.argv[1] == "setup":
    setup(int(sys.argv[2]), sys.argv[3])
else:
    send()
'''


class Peer:
    def __init__(self, ctx):
        self.ctx = ctx
        self.venv = procs.ROOT / "var" / "bench" / "peer-venv"
        self.project = procs.ROOT / "var" / "bench" / "peer"
        self.python = self.venv / "bin" / "python"
        self.ready = False
        self.error = ""
        self.versions = {}

    def _install(self):
        marker = self.venv / ".bench-installed"
        wanted = "\n".join(PEER_REQUIREMENTS)
        if marker.exists() and marker.read_text() == wanted:
            return
        shutil.rmtree(self.venv, ignore_errors=True)
        base = shutil.which("python3.11") or sys.executable
        subprocess.run([base, "-m", "venv", str(self.venv)], check=True, capture_output=True)
        out = subprocess.run([str(self.python), "-m", "pip", "install", "--quiet",
                              *PEER_REQUIREMENTS], capture_output=True, text=True, check=False)
        if out.returncode != 0:
            raise RuntimeError("pip could not install django-newsletter into "
                               f"{self.venv}: {out.stderr.strip()[-1500:]}")
        marker.write_text(wanted)

    def _env(self, sink_port=None):
        db = self.ctx.db
        env = {**self.ctx.env, "PYTHONPATH": str(self.project),
               "DJANGO_SETTINGS_MODULE": "peer_settings", "PEER_DB_NAME": self.db_name,
               "PEER_DB_HOST": db.host, "PEER_DB_PORT": str(db.port), "PEER_DB_USER": db.user,
               "PEER_DB_PASSWORD": db.password}
        if sink_port:
            env["PEER_SMTP_PORT"] = str(sink_port)
        env.pop("DATABASE_URL", None)
        return env

    def _run(self, *args, sink_port=None, timeout=1800):
        out = subprocess.run([str(self.python), *args], cwd=self.project, env=self._env(sink_port),
                             capture_output=True, text=True, timeout=timeout, check=False)
        if out.returncode != 0:
            raise RuntimeError(f"peer {' '.join(args)} failed:\n{out.stderr.strip()[-3000:]}")
        return out.stdout

    def prepare(self, *, messages_from, target_size: int) -> dict:
        """Install, generate the project, migrate, create the list and the message.
        On failure, records why (and the benchmark reports it) instead of stopping."""
        try:
            print("peer: installing django-newsletter into its own virtualenv", flush=True)
            self._install()
            self.project.mkdir(parents=True, exist_ok=True)
            (self.project / "peer_settings.py").write_text(SETTINGS)
            (self.project / "peer_urls.py").write_text(URLS)
            (self.project / "peer_bench.py").write_text(SCRIPT)
            self.db_name = self.ctx.db.create_extra("peer")
            self._run("-c", "import django, sys; from django.core.management import "
                      "execute_from_command_line as e; e(['m', 'migrate', '-v', '0'])")
            articles = self.project / "articles.json"
            items = self._articles(messages_from, target_size)
            articles.write_text(json.dumps(items, ensure_ascii=False))
            setup = json.loads(self._run("peer_bench.py", "setup", str(self.ctx.peer_size),
                                         str(articles)).strip().splitlines()[-1])
            self.versions = json.loads(self._run("-c", textwrap.dedent("""
                import json
                from importlib.metadata import version
                print(json.dumps({p: version(p) for p in
                      ("django-newsletter", "Django", "sorl-thumbnail")}))
            """)).strip())
            self.ready = True
            return {**setup, "versions": self.versions}
        except Exception as exc:  # the rest of the benchmark goes on without the peer
            self.error = str(exc)
            print(f"peer: not available: {self.error}", flush=True)
            return {"error": self.error}

    @staticmethod
    def _articles(issue, target_size: int) -> list[dict]:
        """Our issue's English articles: title, lead and as much of the body as makes
        the peer's message about as large as ours (`target_size` bytes); its text
        goes into the message twice, as plain text and as HTML."""
        import re

        from django.utils.translation import override

        from newsletter.dispatch import content

        articles = [a for _topic, items in content.issue_articles(issue, "en") for a in items]
        per_article = max((target_size - 2500) // 2 // max(len(articles), 1), 0)
        items = []
        with override("en"):
            for article in articles:
                text = f"<p>{article.lead_en}</p>"
                for paragraph in re.findall(r"<p>(.*?)</p>", article.body_en, flags=re.S):
                    room = per_article - len(text.encode()) - 7
                    if room <= 0:
                        break
                    plain = re.sub(r"<[^>]+>", "", paragraph)
                    if len(plain.encode()) > room:
                        plain = plain.encode()[:room].decode("utf-8", "ignore").rsplit(" ", 1)[0]
                    text += f"<p>{plain}</p>"
                items.append({
                    "title": article.title_en,
                    "text": text,
                    "url": f"http://127.0.0.1:8000{article.get_absolute_url()}",
                })
        return items

    def send(self, sink, size: int) -> dict:
        sink.reset()
        result = json.loads(self._run("peer_bench.py", "send", sink_port=sink.port)
                            .strip().splitlines()[-1])
        stats = sink.stats()
        ok = stats["messages"] == size and stats["distinct_recipients"] == size
        return {"seconds": result["seconds"], "rate": size / result["seconds"],
                "mean_size": stats["mean_size"], "connections": stats["connections"],
                "check": {"received": stats["messages"], "distinct": stats["distinct_recipients"],
                          "ok": ok}}
