"""Load the demo: languages, the five topics, three weekly issues (two published
as back issues, the latest approved and ready for an editor to publish, which
sends the newsletter), a few of their articles with charts, tables and quotes
(bulletin/demo_charts.py), an editor, an analyst and an administrator, and
each app's own demo data (AppConfig.load_demo: the newsletter's subscribers).
Running it again changes nothing.

The demo accounts have well-known passwords, so the command refuses to run
with DEBUG off (a production settings module) unless --force is given; then
each account it creates gets a random password, printed once."""

import contextlib
import datetime
import io
import secrets

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from bulletin import roles, services, signals
from bulletin.demo_charts import CHARTS, figure_html
from bulletin.demo_content import ISSUES, TOPICS, author_fields, author_names
from bulletin.images import image_create
from bulletin.models import Article, Issue, Language, Topic

ACCOUNTS = [
    # username, password, group, superuser
    ("admin", "bulletin-admin", None, True),
    ("editor", "bulletin-editor", roles.EDITORS, False),
    ("analyst", "bulletin-analyst", roles.ANALYSTS, False),
]
LANGUAGES = [("en", "English", 0), ("be", "Беларуская", 1), ("ru", "Русский", 2)]
@contextlib.contextmanager
def _unannounced(signal):
    """`signal` reaches no receiver inside the block (its on-commit sends
    included, when the block holds the transaction): the demo's own workflow
    steps are not news, and must not fill the outbox with staff notices."""
    with signal.lock:
        saved, signal.receivers = signal.receivers, []
        signal.sender_receivers_cache.clear()
    try:
        yield
    finally:
        with signal.lock:
            signal.receivers = saved
            signal.sender_receivers_cache.clear()


def _translated(prefix: str, values: dict) -> dict:
    return {f"{prefix}_{code}": text for code, text in values.items()}


class Command(BaseCommand):
    help = "Load demo content and accounts (idempotent). Refuses with DEBUG off unless --force."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true",
            help="Run even with DEBUG off; the accounts then get random passwords, printed once.",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "DEBUG is off: this looks like production, and the demo creates staff accounts. "
                "Use --force to load it anyway (the accounts then get random passwords)."
            )
        self.random_passwords = not settings.DEBUG
        with _unannounced(signals.article_moved), transaction.atomic():
            created, passwords = self.load()
        self.stdout.write(
            self.style.SUCCESS("Demo content loaded.") if created else "Demo content already there."
        )
        self.stdout.write("Accounts (admin at /admin/):")
        for username, password, group, _superuser in ACCOUNTS:
            role = group or "superuser"
            if self.random_passwords:
                # Shown once, when made; an account that existed keeps its password.
                password = passwords.get(username, "(unchanged)")
            self.stdout.write(f"  {role:10} username: {username:8} password: {password}")

    def load(self) -> tuple[bool, dict[str, str]]:
        for code, name, position in LANGUAGES:
            Language.objects.get_or_create(code=code, defaults={"name": name, "position": position})
        users, passwords = {}, {}
        for username, password, group, superuser in ACCOUNTS:
            user, created = get_user_model().objects.get_or_create(
                username=username,
                defaults={"is_staff": True, "is_superuser": superuser,
                          "email": f"{username}@example.org"},
            )
            if created:
                if self.random_passwords:
                    password = secrets.token_urlsafe(18)
                passwords[username] = password
                user.set_password(password)
                user.save()
                if group:
                    user.groups.add(Group.objects.get(name=group))
            users[username] = user
        topics = {}
        for spec in TOPICS:
            topics[spec["slug"]], _ = Topic.objects.get_or_create(
                slug=spec["slug"],
                defaults={
                    "position": spec["position"],
                    **_translated("name", spec["name"]),
                    **_translated("description", spec["description"]),
                },
            )
        # Other apps' demo data (the newsletter's subscribers): AppConfig.load_demo().
        for config in apps.get_app_configs():
            if callable(getattr(config, "load_demo", None)):
                config.load_demo()
        today = timezone.localdate()
        this_monday = today - datetime.timedelta(days=today.weekday())
        created_any = False
        latest = max(spec["number"] for spec in ISSUES)
        for spec in ISSUES:
            if Issue.objects.filter(number=spec["number"]).exists():
                continue
            start = this_monday - datetime.timedelta(weeks=spec["week_offset"])
            if Issue.objects.filter(start_date=start).exists():
                continue  # someone already made an issue for that week; leave it alone
            created_any = True
            self.create_issue(spec, start, topics, users, publish=spec["number"] != latest)
        return created_any, passwords

    def create_issue(self, spec, start, topics, users, *, publish):
        issue = Issue.objects.create(
            number=spec["number"],
            start_date=start,
            **_translated("title", spec["title"]),
            **_translated("summary", spec["summary"]),
        )
        for position, item in enumerate(spec["articles"], start=1):
            body = dict(item["body"])
            lead_image = None
            chart = CHARTS.get(item["slug"])
            if chart:
                image = image_create(
                    upload=io.BytesIO(chart["draw"]()), user=users["analyst"],
                    **_translated("credit", chart["credit"]), **_translated("alt", chart["alt"]),
                    **_translated("caption", chart["caption"]),
                )
                if chart["place"] == "lead":
                    lead_image = image
                for code in [c for c, text in body.items() if text.strip()]:
                    if chart["place"] == "body":
                        body[code] += figure_html(image, chart["caption"][code])
                    body[code] += chart.get("append", {}).get(code, "")
            article = Article(
                issue=issue,
                topic=topics[item["topic"]],
                slug=item["slug"],
                trend=item["trend"],
                position=position,
                created_by=users["analyst"],
                lead_image=lead_image,
                **_translated("title", item["title"]),
                **_translated("lead", item["lead"]),
                **_translated("body", body),
            )
            # Written and moved through the workflow as the people would do it
            # (article_save records its first revision, byline included).
            article.pending_author_ids = [
                services.author_get_or_create(name=name, **author_fields(name)).pk
                for name in author_names(item["authors"])
            ]
            services.article_save(article=article, user=users["analyst"])
            services.article_submit(article=article, user=users["analyst"])
            services.article_approve(article=article, user=users["editor"])
        if not publish:
            return  # the latest issue waits for an editor: publishing it sends the newsletter
        services.issue_publish(issue=issue, user=users["editor"], newsletter=False)
        # Backdate to the Monday after the week, as if published on time.
        when = timezone.make_aware(
            datetime.datetime.combine(issue.end_date + datetime.timedelta(days=1),
                                      datetime.time(9, 0))
        )
        when = min(when, timezone.now())
        Issue.objects.filter(pk=issue.pk).update(published_at=when)
        issue.articles.update(published_at=when)
        issue.transitions.update(at=when)
