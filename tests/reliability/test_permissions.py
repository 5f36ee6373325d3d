"""Who may do what, by any request they can craft.

Roles: anonymous, a stranger holding a subscriber's token (as session cookie,
bearer header and query parameter), analyst, editor, superuser. The admin part
of the matrix is generated from admin.site._registry and each ModelAdmin's URL
patterns, so a new model or view joins it by itself; the expected answer of
each cell comes from the roles as DESIGN.md states them (ROLES_SPEC below),
not from the code under test. A denied cell must answer 302-to-login
(anonymous) or 403 (staff) and leave the database as it was; an allowed cell
must do what was asked.
"""

import datetime
import re
from dataclasses import dataclass, field

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core import mail
from django.test import Client
from django.utils import timezone

from bulletin import services
from bulletin.models import Article, Author, Issue, Language, Transition
from newsletter import tokens
from newsletter.dispatch import controls, scheduling
from newsletter.dispatch.content import render_issue_email
from newsletter.models import Delivery, DeliveryEvent, Dispatch, Subscriber, Suppression
from tests.factories import ArticleFactory, IssueFactory, SubscriberFactory, UserFactory
from tests.factories import analyst as make_analyst
from tests.factories import editor as make_editor
from tests.reader_content import article_in, sample_site
from tests.reliability.live import snapshot

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "token", "analyst", "editor", "superuser")
STAFF = ("analyst", "editor", "superuser")

# What each role may do in the admin, per DESIGN.md ("Analysts create and edit
# drafts and submit them; they cannot approve or publish. Editors do everything
# in the workflow"; editors send the newsletter and keep the subscriber list).
ROLES_SPEC = {
    "analyst": {
        "bulletin.article": {"view", "add", "change"},
        "bulletin.image": {"view", "add", "change"},
        "bulletin.author": {"view", "add", "change"},
        "bulletin.issue": {"view"},
        "bulletin.topic": {"view"},
        "bulletin.language": {"view"},
        "bulletin.transition": {"view"},
    },
    "editor": {
        "bulletin.article": {"view", "add", "change", "delete", "review"},
        "bulletin.image": {"view", "add", "change", "delete"},
        "bulletin.author": {"view", "add", "change", "delete"},
        "bulletin.issue": {"view", "add", "change", "delete", "publish"},
        "bulletin.topic": {"view", "add", "change"},
        "bulletin.language": {"view", "change"},
        "bulletin.transition": {"view"},
        "newsletter.subscriber": {"view", "add", "change", "delete"},
        "newsletter.dispatch": {"view", "change", "send"},
        "newsletter.delivery": {"view"},
        "newsletter.deliveryevent": {"view"},
        "newsletter.suppression": {"view"},
    },
}
# Records nobody adds, edits or deletes by hand, superusers included.
READ_ONLY = {"bulletin.transition", "newsletter.delivery", "newsletter.deliveryevent",
             "newsletter.suppression"}
NO_ADD_OR_DELETE = {"newsletter.dispatch"}
# django-axes' records: made by failed logins, never by hand; deleting one unlocks.
NO_ADD = {"axes.accessattempt", "axes.accesslog", "axes.accessfailurelog"}


def may(role, label, right):
    if role == "superuser":
        return True
    return right in ROLES_SPEC.get(role, {}).get(label, set())


@dataclass
class Matrix:
    checked: int = 0
    allowed_ok: int = 0
    denied_ok: int = 0
    violations: list = field(default_factory=list)
    by_area: dict = field(default_factory=dict)

    def cell(self, area, role, what, expected_allowed, allowed, ok=True, detail=""):
        """`allowed`: what happened; `ok`: whatever else the cell requires held."""
        self.checked += 1
        self.by_area[area] = self.by_area.get(area, 0) + 1
        if allowed == expected_allowed and ok:
            if allowed:
                self.allowed_ok += 1
            else:
                self.denied_ok += 1
        else:
            self.violations.append(
                f"{area} | {role} | {what}: expected {'allowed' if expected_allowed else 'denied'}"
                f", got {'allowed' if allowed else 'denied'} {detail}")

    def figures(self):
        return {
            "cells_checked": self.checked,
            "allowed_as_expected": self.allowed_ok,
            "denied_as_expected": self.denied_ok,
            "violations": len(self.violations),
            "cells_by_area": dict(sorted(self.by_area.items())),
        }


@pytest.fixture
def matrix(figures):
    matrix = Matrix()
    yield matrix
    figures.update(matrix.figures())
    if matrix.violations:
        figures["violation_list"] = matrix.violations[:20]


@pytest.fixture
def world():
    site = sample_site()
    users = {
        "analyst": make_analyst("m-analyst"),
        "editor": make_editor("m-editor"),
        "superuser": UserFactory(username="m-root", is_superuser=True),
    }
    subscriber = SubscriberFactory(email="holder@example.org")
    dispatches = scheduling.dispatch_schedule_for_issue(issue_id=site.first.pk)
    delivery = Delivery.objects.create(dispatch=dispatches[0], subscriber=subscriber,
                                       status=Delivery.Status.FAILED, attempts=6)
    site.users = users
    site.subscriber = subscriber
    site.dispatch = dispatches[0]
    site.delivery = delivery
    site.event = DeliveryEvent.objects.create(
        kind=DeliveryEvent.Kind.BOUNCED, source="dsn", delivery=delivery, subscriber=subscriber)
    site.suppressed = Suppression.objects.get(
        pk=SubscriberFactory(email="gone@example.org", status=Subscriber.Status.BOUNCED).pk)
    return site


class RoleClient(Client):
    """A test client acting as one role. The token role carries a subscriber's
    token everywhere a confused server might look for credentials."""

    def __init__(self, role, world):
        super().__init__()
        self.role = role
        self.token = None
        if role in STAFF:
            self.force_login(world.users[role])
        elif role == "token":
            self.token = tokens.make_token(world.subscriber.pk, tokens.PREFERENCES)
            self.cookies["sessionid"] = self.token
            self.defaults["HTTP_AUTHORIZATION"] = f"Bearer {self.token}"

    def _with_token(self, path):
        if not self.token:
            return path
        return path + ("&" if "?" in path else "?") + f"token={self.token}"

    def get(self, path, *args, **kwargs):
        return super().get(self._with_token(path), *args, **kwargs)

    def post(self, path, data=None, *args, **kwargs):
        if self.token:
            data = {**(data or {}), "token": self.token}
        return super().post(self._with_token(path), data, *args, **kwargs)


def outcome(response) -> str:
    """login / forbidden / ok / notfound / other, after following redirects."""
    path = response.request["PATH_INFO"]
    if path.startswith("/admin/login/"):
        return "login"
    return {200: "ok", 403: "forbidden", 404: "notfound"}.get(response.status_code, "other")


def denied_properly(role, result) -> bool:
    return result == ("login" if role not in STAFF else "forbidden")


# --- every admin view, by GET -----------------------------------------------------

PARAMS = re.compile(r"<(?:\w+:)?(\w+)>")


def admin_views(world):
    """(label, kind, url) for every named view of every registered ModelAdmin,
    and the bare object URL, with real objects filled in."""
    objects = {
        "auth.group": Group.objects.first(),
        "auth.user": world.users["analyst"],
        "bulletin.language": Language.objects.first(),
        "bulletin.topic": world.security,
        "bulletin.article": world.draft,  # approved, not published
        "bulletin.transition": Transition.objects.first(),
        "bulletin.issue": world.draft_issue,
        "newsletter.dispatch": world.dispatch,
        "newsletter.delivery": world.delivery,
        "newsletter.subscriber": world.subscriber,
        "newsletter.deliveryevent": world.event,
        "newsletter.suppression": world.suppressed,
        "bulletin.image": _image(),
        "bulletin.author": Author.objects.get_or_create(name_en="Matrix Author")[0],
        **_sign_in_records(world),
    }
    views = []
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label_lower
        prefix = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        obj = objects[label]
        for pattern in model_admin.get_urls():
            route = str(pattern.pattern)
            name = pattern.name or "object"
            kind = name.removeprefix(f"{model._meta.app_label}_{model._meta.model_name}_")
            if kind in ("workflow", "newsletter_action", "restore"):
                continue  # POST-only: the workflow and dispatch matrices below, restore in
                # tests/bulletin/test_revisions.py
            values = {"object_id": obj.pk, "id": obj.pk, "pk": obj.pk, "issue_id": obj.pk,
                      "language": "en",
                      "key": "0" * 32, "number": 1}
            url = prefix + PARAMS.sub(lambda m, v=values: str(v[m.group(1)]), route)
            views.append((label, kind, url))
        if label == "bulletin.article":  # a published article: never deletable
            views.append((label, "delete_published", f"{prefix}{world.troops.pk}/delete/"))
    return views


def _image():
    import io

    from bulletin.images import image_create
    from tests.images import picture

    return image_create(upload=io.BytesIO(picture("PNG", size=(40, 30))), alt_en="Chart")


def _sign_in_records(world):
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = world.users["editor"]
    where = {"ip_address": "192.0.2.1", "user_agent": "test", "path_info": "/admin/login/"}
    return {
        "otp_totp.totpdevice": TOTPDevice.objects.create(user=user, name="phone",
                                                         confirmed=False),
        "axes.accessattempt": AccessAttempt.objects.create(username="x", failures_since_start=1,
                                                           **where),
        "axes.accesslog": AccessLog.objects.create(username="x", **where),
        "axes.accessfailurelog": AccessFailureLog.objects.create(username="x", **where),
    }


def expected_get(role, label, kind) -> bool:
    if role not in STAFF:
        return False
    if kind in ("config", "qrcode"):  # another account's TOTP secret: never shown
        return False
    if kind == "picker":  # the rich-text editor's image browser
        return may(role, label, "view")
    if kind in ("changelist", "change", "history", "object", "compare"):
        return may(role, label, "view") or may(role, label, "change")
    if kind == "add":
        return label not in READ_ONLY | NO_ADD_OR_DELETE | NO_ADD and may(role, label, "add")
    if kind == "delete":
        return label not in READ_ONLY | NO_ADD_OR_DELETE and may(role, label, "delete")
    if kind == "delete_published":
        return False
    if kind in ("newsletter_preview", "newsletter_progress"):
        return may(role, "newsletter.dispatch", "view")
    if kind in ("import", "import_report"):
        return may(role, label, "add")
    if kind == "export":
        return may(role, label, "view")
    if kind == "password_change":
        return may(role, label, "change")
    raise AssertionError(f"no expectation for {label} {kind}: add one to the matrix")


def test_admin_views_by_role(world, matrix, figures, settings, tmp_path):
    """Every view of every registered ModelAdmin (changelist, add, change, delete, history,
    the bare object URL and the custom ones: email preview, progress, CSV import, report and
    export), generated from admin.site._registry, fetched by anonymous, a subscriber's
    token, analyst, editor and superuser."""
    settings.MEDIA_ROOT = tmp_path / "media"  # the image it uploads
    views = admin_views(world)
    before = snapshot()
    for role in ROLES:
        client = RoleClient(role, world)
        for label, kind, url in views:
            result = outcome(client.get(url, follow=True))
            expected = expected_get(role, label, kind)
            allowed = result == "ok" or (kind == "import_report" and result == "notfound")
            matrix.cell("admin GET", role, f"{label} {kind}", expected, allowed,
                        ok=allowed or denied_properly(role, result), detail=f"({result} {url})")
    assert snapshot() == before
    assert matrix.violations == []


# --- the editorial workflow, by POST ------------------------------------------------

def _approved(issue, user):
    article = ArticleFactory(issue=issue)
    services.article_submit(article=article, user=user)
    services.article_approve(article=article, user=user)
    return article


def _article_in_state(state, boss):
    """A fresh article in the state an action starts from."""
    if state == "published":
        issue = IssueFactory()
        article = _approved(issue, boss)
        services.issue_publish(issue=issue, user=boss)
        return Article.objects.get(pk=article.pk)
    article = ArticleFactory()
    if state == "review":
        services.article_submit(article=article, user=boss)
    return Article.objects.get(pk=article.pk)


ARTICLE_ACTIONS = {
    # action: (state it starts from, state it leads to, (model, right) it needs)
    "submit": ("draft", "review", ("bulletin.article", "change")),
    "approve": ("review", "approved", ("bulletin.article", "review")),
    "return": ("review", "draft", ("bulletin.article", "review")),
    "unpublish": ("published", "draft", ("bulletin.issue", "publish")),
}


def _issue_in_state(state, boss):
    issue = IssueFactory()
    _approved(issue, boss)
    if state == "scheduled":
        services.issue_publish(issue=issue, user=boss,
                               at=timezone.now() + datetime.timedelta(days=2))
    return Issue.objects.get(pk=issue.pk)


ISSUE_ACTIONS = {
    "publish": ("draft", "published", {"confirmed": "1"}),
    "schedule": ("draft", "scheduled",
                 {"at": (timezone.localtime() + datetime.timedelta(days=3)).strftime(
                     "%Y-%m-%dT%H:%M")}),
    "unschedule": ("scheduled", "draft", {}),
}


UNKNOWN_TARGETS = {"issue action on the article URL", "article workflow for an issue's id"}


def _workflow_post(client, model, pk, data):
    return client.post(f"/admin/bulletin/{model}/{pk}/workflow/", data, follow=False)


def _denied_response(role, response) -> bool:
    if role in STAFF:
        return response.status_code == 403
    return response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_workflow_actions_by_role(world, matrix, figures):
    """Every workflow POST (article submit/approve/return/publish/unpublish; issue
    publish/schedule/unschedule) by every role on an object in the right state, plus crafted
    requests by analysts (actions meant for the other model, extra fields naming an editor,
    bulk actions, change-form POSTs of objects they may only view): denied means 403 or
    302-to-login and nothing changed."""
    boss = make_editor("m-boss")
    for role in ROLES:
        client = RoleClient(role, world)
        for action, (start, target, right) in ARTICLE_ACTIONS.items():
            article = _article_in_state(start, boss)
            before = snapshot()
            response = _workflow_post(client, "article", article.pk,
                                      {"action": action, "comment": "why"})
            status = Article.objects.get(pk=article.pk).status
            expected = role in STAFF and may(role, *right)
            allowed = status == target
            ok = (response.status_code == 302) if allowed else (
                _denied_response(role, response) and snapshot() == before)
            matrix.cell("workflow", role, f"article {action}", expected, allowed, ok,
                        f"({response.status_code}, now {status})")
        # Publishing one approved article of a published issue.
        issue = IssueFactory()
        _approved(issue, boss)
        services.issue_publish(issue=issue, user=boss)
        late = _approved(issue, boss)  # approved after the issue went out
        before = snapshot()
        response = _workflow_post(client, "article", late.pk,
                                  {"action": "publish", "confirmed": "1"})
        allowed = Article.objects.get(pk=late.pk).status == "published"
        ok = allowed or (_denied_response(role, response) and snapshot() == before)
        matrix.cell("workflow", role, "article publish",
                    role in STAFF and may(role, "bulletin.issue", "publish"), allowed, ok,
                    f"({response.status_code})")
        for action, (start, target, extra) in ISSUE_ACTIONS.items():
            issue = _issue_in_state(start, boss)
            before = snapshot()
            response = _workflow_post(client, "issue", issue.pk, {"action": action, **extra})
            status = Issue.objects.get(pk=issue.pk).status
            allowed = status == target
            ok = (response.status_code == 302) if allowed else (
                _denied_response(role, response) and snapshot() == before)
            matrix.cell("workflow", role, f"issue {action}",
                        role in STAFF and may(role, "bulletin.issue", "publish"), allowed, ok,
                        f"({response.status_code}, now {status})")

    # Crafted requests by an analyst: whatever the form says, nothing moves.
    client = RoleClient("analyst", world)
    in_review = _article_in_state("review", boss)
    draft_issue = _issue_in_state("draft", boss)
    scheduled = _issue_in_state("scheduled", boss)
    crafted = [
        ("approve naming an editor", f"/admin/bulletin/article/{in_review.pk}/workflow/",
         {"action": "approve", "user": boss.pk, "user_id": boss.pk, "username": "m-boss"}),
        ("publish posted to the article URL",
         f"/admin/bulletin/article/{in_review.pk}/workflow/", {"action": "publish"}),
        ("issue action on the article URL", f"/admin/bulletin/article/{in_review.pk}/workflow/",
         {"action": "schedule", "at": "2099-01-01T09:00"}),
        ("publish with send_now", f"/admin/bulletin/issue/{draft_issue.pk}/workflow/",
         {"action": "publish", "send_now": "1"}),
        ("schedule in the past", f"/admin/bulletin/issue/{draft_issue.pk}/workflow/",
         {"action": "schedule", "at": "2000-01-01T00:00"}),
        ("unschedule", f"/admin/bulletin/issue/{scheduled.pk}/workflow/",
         {"action": "unschedule"}),
        ("article workflow for an issue's id",
         f"/admin/bulletin/article/{draft_issue.pk}/workflow/", {"action": "approve"}),
        ("change form of an article in review",
         f"/admin/bulletin/article/{in_review.pk}/change/",
         {"issue": in_review.issue_id, "topic": in_review.topic_id, "slug": in_review.slug,
          "trend": "improved", "position": 0, "title_en": "Hijacked", "status": "published",
          "_save": "Save"}),
        ("change form of an issue", f"/admin/bulletin/issue/{draft_issue.pk}/change/",
         {"number": draft_issue.number, "start_date": draft_issue.start_date,
          "status": "published", "_save": "Save"}),
        ("add an issue", "/admin/bulletin/issue/add/",
         {"number": 9999, "start_date": "2031-01-06", "_save": "Save"}),
        ("add a topic", "/admin/bulletin/topic/add/", {"slug": "x", "position": 0}),
        ("delete an article", f"/admin/bulletin/article/{in_review.pk}/delete/",
         {"post": "yes"}),
        ("delete an issue", f"/admin/bulletin/issue/{draft_issue.pk}/delete/",
         {"post": "yes"}),
        ("import subscribers", "/admin/newsletter/subscriber/import/",
         {"default_language": "en"}),
        ("edit a language", f"/admin/bulletin/language/{Language.objects.first().pk}/change/",
         {"code": "en", "name": "X", "position": 0, "_save": "Save"}),
    ]
    for what, url, data in crafted:
        before = snapshot()
        response = client.post(url, data)
        refused = response.status_code == 403 or (
            # An action that exists for neither model, or an id of no article.
            what in UNKNOWN_TARGETS and response.status_code in (302, 404))
        matrix.cell("workflow crafted", "analyst", what, False, snapshot() != before,
                    ok=refused, detail=f"({response.status_code} {url})")
    bulk = [
        ("bulk approve", "/admin/bulletin/article/",
         {"action": "approve_selected", "_selected_action": [in_review.pk], "index": 0}),
        ("bulk delete articles", "/admin/bulletin/article/",
         {"action": "delete_selected", "_selected_action": [in_review.pk], "post": "yes",
          "index": 0}),
    ]
    for what, url, data in bulk:
        before = snapshot()
        response = client.post(url, data)
        # Django answers an action the user does not have with "No action
        # selected" and a redirect back to the list: refused, nothing done.
        refused = response.status_code in (302, 403) and not response.get(
            "Location", "").startswith("/admin/login/")
        matrix.cell("workflow crafted", "analyst", what, False, snapshot() != before,
                    ok=refused, detail=f"({response.status_code})")
    assert matrix.violations == []


# --- sending the newsletter, by POST -------------------------------------------------

def _dispatch_in_state(state, boss):
    issue = IssueFactory()
    _approved(issue, boss)
    services.issue_publish(issue=issue, user=boss)
    dispatch = scheduling.dispatch_schedule_for_issue(issue_id=issue.pk)[0]
    if state == "paused":
        controls.dispatch_pause(dispatch=dispatch, user=boss)
    if state == "failed":
        Delivery.objects.create(dispatch=dispatch, subscriber=SubscriberFactory(),
                                status=Delivery.Status.FAILED, attempts=6)
    return Dispatch.objects.get(pk=dispatch.pk)


def _dispatch_state(dispatch):
    dispatch = Dispatch.objects.get(pk=dispatch.pk)
    return (dispatch.status, dispatch.scheduled_for,
            sorted(dispatch.deliveries.values_list("status", flat=True)),
            Dispatch.objects.filter(issue=dispatch.issue).count())


DISPATCH_ACTIONS = {
    # action: state the dispatch starts in
    "send_now": "scheduled", "pause": "scheduled", "resume": "paused", "cancel": "scheduled",
    "retry": "failed", "schedule": "none", "test": "scheduled",
}


def test_dispatch_actions_by_role(world, matrix, figures, settings,
                                  django_capture_on_commit_callbacks):
    """Every newsletter action URL (/admin/bulletin/issue/<id>/newsletter/<lang>/<action>/:
    send now, pause, resume, cancel, retry, schedule, test) and every Dispatch admin bulk
    action, by every role: only editors and superusers change a dispatch or get an email
    out."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    boss = make_editor("m-sender")
    for role in ROLES:
        client = RoleClient(role, world)
        for action, state in DISPATCH_ACTIONS.items():
            if state == "none":
                issue = IssueFactory()
                _approved(issue, boss)
                services.issue_publish(issue=issue, user=boss)
                Dispatch.objects.filter(issue=issue).delete()
                dispatch, issue_id = None, issue.pk
            else:
                dispatch = _dispatch_in_state(state, boss)
                issue_id = dispatch.issue_id
            mail.outbox = []
            before = snapshot()
            dispatch_before = _dispatch_state(dispatch) if dispatch else None
            # Requests are not atomic: what an action queues after commit runs at once.
            with django_capture_on_commit_callbacks(execute=True):
                response = client.post(
                    f"/admin/bulletin/issue/{issue_id}/newsletter/en/{action}/",
                    {"confirmed": "1"})
            if dispatch is None:
                allowed = Dispatch.objects.filter(issue_id=issue_id).exists()
            elif action == "test":
                allowed = len(mail.outbox) == 1
            else:
                allowed = _dispatch_state(dispatch) != dispatch_before
            ok = allowed or (_denied_response(role, response) and snapshot() == before
                             and mail.outbox == [])
            matrix.cell("dispatch", role, f"newsletter {action}",
                        role in STAFF and may(role, "newsletter.dispatch", "send"), allowed, ok,
                        f"({response.status_code})")
        for action, state in (("pause_selected", "scheduled"), ("resume_selected", "paused"),
                              ("cancel_selected", "scheduled"), ("retry_selected", "failed")):
            dispatch = _dispatch_in_state(state, boss)
            before = _dispatch_state(dispatch)
            snap = snapshot()
            with django_capture_on_commit_callbacks(execute=True):
                response = client.post("/admin/newsletter/dispatch/", {
                    "action": action, "_selected_action": [dispatch.pk], "index": 0,
                    "confirmed": "1"})
            allowed = _dispatch_state(dispatch) != before
            ok = allowed or (_denied_response(role, response) and snapshot() == snap)
            matrix.cell("dispatch", role, f"Dispatch admin {action}",
                        role in STAFF and may(role, "newsletter.dispatch", "send"), allowed, ok,
                        f"({response.status_code})")
    assert matrix.violations == []


# --- unpublished content: previews, guessed URLs, feeds, search, sitemap, cache, email ------

def test_unpublished_content_by_role(world, matrix, figures):
    """The unpublished issue and article (and an approved article added to a published
    issue, and a scheduled issue) by every role: previews on the site for staff only; for
    everyone else a 404 at guessed URLs, and nothing in feeds, search, the sitemap, the web
    version or the newsletter email, even right after an editor previewed every page (the
    page cache)."""
    boss = world.users["editor"]
    late = article_in(world.first, world.security, "draft", slug="late-draft", position=9)
    services.article_submit(article=late, user=boss)
    services.article_approve(article=late, user=boss)
    scheduled = IssueFactory()
    secret = article_in(scheduled, world.security, "draft", slug="scheduled-draft")
    services.article_submit(article=secret, user=boss)
    services.article_approve(article=secret, user=boss)
    services.issue_publish(issue=scheduled, user=boss,
                           at=timezone.now() + datetime.timedelta(days=1))
    secrets = ("An unpublished draft", "Secret budget figures", "Неопубликованный",
               "late-draft", "scheduled-draft", "/issues/3/", f"/issues/{scheduled.number}/")
    previews = [f"/{c}/issues/3/" for c in ("en", "ru")] + [
        "/en/issues/3/draft/", "/ru/issues/3/draft/", f"/en/issues/{scheduled.number}/",
        f"/en/issues/{scheduled.number}/scheduled-draft/", "/en/issues/1/late-draft/",
    ]
    listings = ["/en/", "/ru/", "/en/issues/", "/en/issues/1/", "/en/topics/security/",
                "/en/feeds/rss/", "/en/feeds/atom/", "/ru/feeds/rss/",
                "/en/topics/security/feeds/rss/", "/ru/topics/security/feeds/atom/",
                "/en/search/?q=budget", "/ru/search/?q=бюджета", "/en/search/?q=draft",
                "/sitemap.xml", "/en/issues/1/?untranslated=late-draft",
                "/en/newsletter/issues/1/", "/en/newsletter/issues/3/",
                f"/en/newsletter/issues/{scheduled.number}/"]
    # An editor goes first everywhere (a cache warmed by a preview must not leak).
    editor_client = RoleClient("editor", world)
    for url in previews + listings:
        editor_client.get(url)
        editor_client.head(url)
    for role in ROLES:
        client = RoleClient(role, world)
        for url in previews:
            response = client.get(url)
            allowed = response.status_code == 200
            if allowed:
                # A preview: never cached, never indexed.
                assert "no-cache" in response.get("Cache-Control", "")
                assert response.get("X-Robots-Tag") == "noindex"
            matrix.cell("unpublished", role, f"GET {url}", role in STAFF, allowed,
                        ok=allowed or response.status_code in (302, 404),
                        detail=f"({response.status_code})")
        for url in listings:
            response = client.get(url, follow=True)
            body = response.content.decode()
            # A 404 page may echo the URL it was asked for; only pages that answer count.
            leaked = [s for s in secrets if s in body] if response.status_code == 200 else []
            matrix.cell("unpublished", role, f"listing {url}", False, bool(leaked),
                        ok=response.status_code in (200, 404), detail=str(leaked))
        email_preview = f"/admin/bulletin/issue/{world.draft_issue.pk}/newsletter/en/preview/"
        response = client.get(email_preview, follow=True)
        matrix.cell("unpublished", role, "admin email preview", role in ("editor", "superuser"),
                    outcome(response) == "ok",
                    ok=outcome(response) == "ok" or denied_properly(role, outcome(response)))
    # The newsletter itself carries published articles only.
    for code in ("en", "ru"):
        html = render_issue_email(world.first, code).html
        leaked = [s for s in secrets if s in html]
        matrix.cell("unpublished", "subscriber", f"newsletter email {code}", False, bool(leaked),
                    detail=str(leaked))
    assert matrix.violations == []


# --- one subscriber's token never touches another ---------------------------------------

def test_subscriber_tokens_touch_only_their_subscriber(world, matrix, figures):
    """Subscriber A's confirm, unsubscribe and preferences tokens used against B: forged
    form fields and query parameters naming B (id, email, another token), every purpose
    swapped for every link, the data download: B never changes, A changes only by the right
    token on the right link."""
    a = SubscriberFactory(email="a@example.org", status="pending", language="en")
    b = SubscriberFactory(email="b@example.org", status="confirmed", language="en")
    b_state = lambda: Subscriber.objects.filter(pk=b.pk).values(  # noqa: E731
        "email", "status", "language", "updated_at").get()
    b_before = b_state()
    tok = {p: tokens.make_token(a.pk, p) for p in (tokens.CONFIRM, tokens.UNSUBSCRIBE,
                                                    tokens.PREFERENCES)}
    b_tok = tokens.make_token(b.pk, tokens.PREFERENCES)
    forged = {"subscriber": b.pk, "subscriber_id": b.pk, "id": b.pk, "pk": b.pk,
              "email": b.email, "token": b_tok}
    query = f"?subscriber={b.pk}&email={b.email}&token={b_tok}"
    links = {
        "confirm": ("/en/newsletter/confirm/{}/", tokens.CONFIRM, {}),
        "unsubscribe": ("/en/newsletter/unsubscribe/{}/", tokens.UNSUBSCRIBE, {}),
        "one-click": ("/newsletter/one-click/{}/", tokens.UNSUBSCRIBE,
                      {"List-Unsubscribe": "One-Click"}),
        "preferences": ("/en/newsletter/preferences/{}/", tokens.PREFERENCES,
                        {"action": "language", "language": "ru"}),
    }
    client = Client()
    # Every purpose swapped: A's token of one purpose on every other link.
    for link, (template, purpose, body) in links.items():
        for other, token in tok.items():
            if other == purpose:
                continue
            before = snapshot()
            response = client.post(template.format(token) + query, {**body, **forged})
            matrix.cell("tokens", "holder of A's token", f"{other} token on {link}", False,
                        snapshot() != before, ok=response.status_code == 400,
                        detail=f"({response.status_code})")
    response = client.get(f"/en/newsletter/preferences/{tok[tokens.UNSUBSCRIBE]}/data.json")
    matrix.cell("tokens", "holder of A's token", "unsubscribe token on data.json", False,
                response.status_code == 200, ok=response.status_code == 400)
    # The data download names A only, whatever the query says.
    response = client.get(f"/en/newsletter/preferences/{tok[tokens.PREFERENCES]}/data.json"
                          + query)
    body = response.content.decode()
    matrix.cell("tokens", "holder of A's token", "data.json with B in the query", False,
                b.email in body, ok=response.status_code == 200 and a.email in body)
    # The right token on the right link, with B named everywhere: only that link's
    # own subscriber changes (a fresh one per link, in the state the link acts on).
    for link, (template, purpose, body) in links.items():
        own = SubscriberFactory(status="pending" if link == "confirm" else "confirmed")
        own_before = Subscriber.objects.filter(pk=own.pk).values("status", "language").get()
        response = client.post(template.format(tokens.make_token(own.pk, purpose)) + query,
                               {**body, **forged})
        own_after = Subscriber.objects.filter(pk=own.pk).values("status", "language").get()
        matrix.cell("tokens", "holder of a token", f"{link} naming B: its own subscriber",
                    True, own_after != own_before, ok=response.status_code in (200, 303),
                    detail=f"({response.status_code}, {own_after})")
        matrix.cell("tokens", "holder of a token", f"{link} naming B: B untouched",
                    False, b_state() != b_before)
    # A token for B cut and glued to A's: refused.
    glued = tok[tokens.PREFERENCES].rsplit(":", 1)[0] + ":" + b_tok.rsplit(":", 1)[1]
    before = snapshot()
    response = client.post(f"/en/newsletter/preferences/{glued}/",
                           {"action": "unsubscribe"})
    matrix.cell("tokens", "holder of A's token", "A's value with B's signature", False,
                snapshot() != before, ok=response.status_code == 400)
    assert b_state() == b_before
    assert matrix.violations == []
