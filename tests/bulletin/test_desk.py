"""Each role's desk on the admin home; the editor's desk is for editors."""

import pytest
from django.urls import reverse

from bulletin import services
from tests.factories import ArticleFactory, analyst, editor

pytestmark = pytest.mark.django_db


def test_editor_desk_shows_what_waits_for_review(client):
    waiting = ArticleFactory(status="review", title_en="Waiting for the editor")
    client.force_login(editor())
    page = client.get(reverse("admin:index")).content.decode()
    assert 'data-role="editor"' in page
    assert "Waiting for the editor" in page
    assert reverse("admin:bulletin_article_change", args=[waiting.pk]) in page


def test_analyst_desk_shows_drafts_and_returns_with_the_comment(client):
    author, boss = analyst("author"), editor("boss")
    ArticleFactory(created_by=author, title_en="Still drafting")
    returned = ArticleFactory(created_by=author, title_en="Sent back")
    services.article_submit(article=returned, user=author)
    services.article_return(article=returned, user=boss, comment="Check the figures.")
    client.force_login(author)
    page = client.get(reverse("admin:index")).content.decode()
    assert 'data-role="analyst"' in page
    assert "Still drafting" in page and "Check the figures." in page


def test_analyst_may_not_open_the_editor_desk(client):
    client.force_login(analyst())
    response = client.get(reverse("staff_desk", args=["editor"]))
    assert response.status_code == 403


def test_preferences_turn_a_notice_off(client):
    user = editor()
    client.force_login(user)
    response = client.post(reverse("staff_preferences"), {
        "language": "be", "translates": ["be"], "notices": ["approved"]})
    assert response.status_code == 302
    profile = user.staff_profile
    assert profile.language == "be" and not profile.wants("submitted")
    assert profile.wants("approved")
