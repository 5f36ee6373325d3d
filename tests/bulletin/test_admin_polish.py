"""The admin's own 403 page (config/denied.py): a refusal under /admin/ keeps
the admin's header and breadcrumbs, in the admin's language; the reader site
keeps its own page. (A published issue's number being read-only is
tests/bulletin/test_publish_lock.py.)"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.exceptions import PermissionDenied
from django.db import OperationalError
from django.test import Client
from django.urls import reverse
from django.views import csrf

from config import denied
from tests.factories import ArticleFactory, analyst, editor
from tests.i18n.leaks import leaks_in_html

pytestmark = pytest.mark.django_db

READER_MARKS = ('class="masthead"', 'class="site-nav"', 'class="site-footer"')
DENIED = {
    "en": ("Permission denied", "ask an editor"),
    "be": ("Доступ забаронены", "папрасіце рэдактара"),
    "ru": ("Доступ запрещён", "попросите редактора"),
}


def refused(client, language):
    client.force_login(analyst())
    # Subscribers are the editors' alone (bulletin/roles.py).
    return client.get(reverse("admin:newsletter_subscriber_changelist"),
                      HTTP_ACCEPT_LANGUAGE=language)


def assert_admin_page(response, language):
    page = response.content.decode()
    assert response.status_code == 403
    assert 'id="site-name"' in page and 'id="user-tools"' in page
    assert '<div class="breadcrumbs">' in page
    title, advice = DENIED[language]
    assert f"&rsaquo; {title}" in page
    assert advice in page
    assert f'href="{reverse("admin:index")}"' in page
    for mark in READER_MARKS:
        assert mark not in page
    return page


@pytest.mark.parametrize("language", ["en", "be", "ru"])
def test_an_analyst_refused_in_the_admin_sees_the_admin(client, language):
    page = assert_admin_page(refused(client, language), language)
    if language != "en":
        leaks = [w for w in leaks_in_html(page) if w not in ("Bulletin", "analyst")]
        assert leaks == []


@pytest.mark.parametrize("language", ["be", "ru"])
def test_a_refused_workflow_action_says_why_in_the_admins_language(client, language):
    article = ArticleFactory(status="review")
    client.force_login(analyst())
    response = client.post(reverse("admin:bulletin_article_workflow", args=[article.pk]),
                           {"action": "approve"}, HTTP_ACCEPT_LANGUAGE=language)
    page = assert_admin_page(response, language)
    assert [w for w in leaks_in_html(page) if w not in ("Bulletin", "analyst")] == []


def test_the_editors_desk_refused_to_an_analyst_gives_the_reason(client):
    client.force_login(analyst())
    response = client.get(reverse("staff_desk", args=["editor"]), HTTP_ACCEPT_LANGUAGE="en")
    page = assert_admin_page(response, "en")
    assert "The editor&#x27;s desk is for editors." in page


def test_a_refusal_on_a_reader_path_keeps_the_reader_page(rf):
    request = rf.get("/en/issues/")
    request.user, request.session = AnonymousUser(), SessionStore()
    response = denied.permission_denied(request, PermissionDenied())
    page = response.content.decode()
    assert response.status_code == 403
    assert "Access denied" in page and 'class="site-nav"' in page
    assert 'id="site-name"' not in page


def test_a_failed_csrf_check_on_an_admin_form_gives_the_admin_page():
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor())
    response = client.post(reverse("admin:bulletin_issue_add"), {"number": 9},
                           HTTP_ACCEPT_LANGUAGE="ru")
    page = assert_admin_page(response, "ru")
    assert "Откройте страницу снова" in page


def test_a_failed_csrf_check_elsewhere_keeps_djangos_page(rf):
    request = rf.post("/en/newsletter/preferences/")
    response = denied.csrf_failure(request, reason="CSRF cookie not set.")
    assert response.status_code == 403
    assert response.content == csrf.csrf_failure(request, reason="CSRF cookie not set.").content


def test_anonymous_is_refused_with_the_admin_page(rf):
    request = rf.get(reverse("admin:index") + "bulletin/article/")
    request.user = AnonymousUser()
    response = denied.permission_denied(request, PermissionDenied())
    assert response.status_code == 403
    assert "Permission denied" in response.content.decode()


def test_without_the_database_the_refusal_is_still_a_403(rf, monkeypatch):
    def down(*args, **kwargs):
        raise OperationalError("connection refused")

    request = rf.get(reverse("admin:bulletin_article_changelist"))

    class Unreachable:
        def __getattr__(self, name):
            down()

    request.user = Unreachable()
    monkeypatch.setattr(denied.admin.site, "each_context", down)
    response = denied.permission_denied(request, PermissionDenied())
    page = response.content.decode()
    assert response.status_code == 403
    assert "Permission denied" in page and "ask an editor" in page
