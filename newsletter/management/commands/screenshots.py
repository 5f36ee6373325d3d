"""Screenshots of the reader site and the newsletter email for docs/screenshots/:
the home, a topic and an article page, and the latest issue's email, in every
site language, at 1280 px (a laptop) and 390 px (a phone) wide, and the email at
390 px in dark mode.

It serves the site from this process (the configured database, e.g. the demo
after `make run` or `make screenshots`) on a free local port and drives
Debian's Chromium with Playwright."""

import threading
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.management.base import BaseCommand, CommandError
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
from django.core.wsgi import get_wsgi_application

from bulletin import languages
from bulletin.models import Article, Issue, Topic
from newsletter.dispatch.content import render_issue_email

WIDTHS = {"1280": (1280, 900), "390": (390, 844)}
CHROMIUM = "/usr/bin/chromium"


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


class Command(BaseCommand):
    help = "Take screenshots of the home, topic and article pages and the email."

    def add_arguments(self, parser):
        parser.add_argument("--out", default=str(settings.BASE_DIR / "docs" / "screenshots"))

    def handle(self, *args, out, **options):
        issue = Issue.objects.published().order_by("-start_date").first()
        if issue is None:
            raise CommandError("No published issue: run `manage.py load_demo` first.")
        codes = languages.codes()
        article = next(
            (a for a in Article.objects.published().filter(issue=issue).select_related("issue")
             if all(a.has_language(code) for code in codes)),
            None,
        )
        topic = article.topic if article else Topic.objects.first()
        pages = {"home": lambda code: f"/{code}/", "topic": topic.url_in}
        if article is not None:
            pages["article"] = article.url_in

        server = ThreadedWSGIServer(("127.0.0.1", 0), _QuietHandler)
        server.set_app(StaticFilesHandler(get_wsgi_application()))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}"
        emails = {code: render_issue_email(issue, code).html for code in codes}
        folder = Path(out)
        folder.mkdir(parents=True, exist_ok=True)
        from playwright.sync_api import sync_playwright

        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM, args=["--headless", "--no-sandbox"])
                for width, viewport in WIDTHS.items():
                    page = browser.new_page(viewport=dict(zip(("width", "height"), viewport,
                                                              strict=True)))
                    for code in codes:
                        for name, url_in in pages.items():
                            page.goto(base + url_in(code))
                            page.screenshot(path=folder / f"{name}-{code}-{width}.png")
                        # A blank page first: content written into a site page
                        # would keep that page's CSP, which refuses inline styles.
                        page.goto("about:blank")
                        page.set_content(emails[code])
                        page.screenshot(path=folder / f"email-{code}-{width}.png")
                    page.close()
                # The email as a phone in dark mode shows it.
                page = browser.new_page(viewport={"width": 390, "height": 844},
                                        color_scheme="dark")
                for code in codes:
                    page.set_content(emails[code])
                    page.screenshot(path=folder / f"email-{code}-390-dark.png", full_page=True)
                page.close()
                browser.close()
        finally:
            server.shutdown()
        self.stdout.write(f"Screenshots written to {folder}")
