"""Every page and every email in Belarusian or Russian is wholly in that
language: the demo content, crawled page by page in be and ru (home, archive,
issues, articles, topics, authors, search with and without results, the
newsletter pages a subscriber's links open, errors), its feeds, and each email
a subscriber gets (confirmation, welcome, "already subscribed", the issue),
read for English words. The subscription starts on an English page: the
subscriber's chosen language, not the page's, decides their emails'."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command

from bulletin.models import Article, Author, Issue, Topic
from newsletter import links
from newsletter.dispatch.content import render_issue_email
from newsletter.models import Subscriber
from tests.i18n.leaks import english_words, leaks_in_feed, leaks_in_html
from tests.newsletter.helpers import post_subscribe

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(capsys):
    call_command("load_demo", force=True)
    capsys.readouterr()


def path_of(url: str) -> str:
    return url.removeprefix(settings.SITE_URL)


def reader_paths(language: str) -> list[str]:
    paths = [f"/{language}/", f"/{language}/issues/", f"/{language}/topics/",
             f"/{language}/search/", f"/{language}/newsletter/subscribe/",
             f"/{language}/search/?q=" + {"be": "Мінск", "ru": "Минск"}[language],
             f"/{language}/search/?q=жжжщщщ", f"/{language}/search/?q=%26%7C%21",
             f"/{language}/search/?q=" + "ж" * 300, f"/{language}/no-such-page/",
             f"/{language}/issues/999/"]
    for issue in Issue.objects.published():
        paths.append(issue.url_in(language))
    for article in Article.objects.published().select_related("issue"):
        if article.has_language(language):
            paths.append(article.url_in(language))
        else:  # the issue page with its "not translated" note
            paths.append(f"{article.issue.url_in(language)}?untranslated={article.slug}")
    paths += [topic.url_in(language) for topic in Topic.objects.all()]
    paths += [author.url_in(language) for author in Author.objects.all()]
    return paths


def feed_paths(language: str) -> list[str]:
    paths = [f"/{language}/feeds/rss/", f"/{language}/feeds/atom/"]
    paths += [f"{topic.url_in(language)}feeds/atom/" for topic in Topic.objects.all()]
    paths += [f"{author.url_in(language)}feeds/rss/" for author in Author.objects.all()]
    return paths


def check_page(client, path, found):
    response = client.get(path, follow=True)
    assert response.status_code in (200, 400, 404), path
    words = leaks_in_html(response.content.decode())
    if words:
        found[path] = sorted(set(words))


@pytest.mark.parametrize("language", ["be", "ru"])
def test_pages_and_feeds_have_no_english(client, demo, language):
    found = {}
    for path in reader_paths(language):
        check_page(client, path, found)
    for path in feed_paths(language):
        response = client.get(path)
        assert response.status_code == 200, path
        words = leaks_in_feed(response.content.decode())
        if words:
            found[path] = sorted(set(words))
    assert found == {}


@pytest.mark.parametrize("language", ["be", "ru"])
def test_emails_and_the_pages_they_open_have_no_english(
    client, demo, language, django_capture_on_commit_callbacks, settings
):
    settings.NEWSLETTER_CONFIRMATION_INTERVAL = 0  # the "already subscribed" note at once
    address = f"leak-{language}@example.org"
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        response = post_subscribe(client, address, language=language, page_language="en")
    assert response.status_code in (200, 302)
    (confirmation,) = mail.outbox
    confirm_path = path_of(re.search(r"https?://\S+/newsletter/confirm/\S+/", confirmation.body)[0])
    assert confirm_path.startswith(f"/{language}/")

    found = {}
    with django_capture_on_commit_callbacks(execute=True):
        check_page(client, confirm_path, found)  # the page that asks to confirm
        client.post(confirm_path)
    subscriber = Subscriber.objects.get(email=address)
    assert subscriber.status == Subscriber.Status.CONFIRMED
    welcome = mail.outbox[1]
    with django_capture_on_commit_callbacks(execute=True):
        post_subscribe(client, address, language=language, page_language="en")
    already = mail.outbox[2]
    assert len(mail.outbox) == 3

    issue = Issue.objects.published().order_by("-start_date").first()
    rendered = render_issue_email(issue, language)
    emails = {
        "confirmation": (confirmation.subject, confirmation.body,
                         confirmation.alternatives[0][0]),
        "welcome": (welcome.subject, welcome.body, welcome.alternatives[0][0]),
        "already subscribed": (already.subject, already.body, already.alternatives[0][0]),
        "issue": (rendered.subject, rendered.text, rendered.html),
    }
    for name, (subject, text, html) in emails.items():
        words = english_words(subject) + english_words(text) + leaks_in_html(html)
        if words:
            found[name] = sorted(set(words))

    for path in (
        path_of(links.preferences_url(subscriber.pk, language)),
        path_of(links.unsubscribe_url(subscriber.pk, language)),
        f"/{language}/newsletter/issues/{issue.number}/",
        f"/{language}/newsletter/confirm/not-a-token/",
    ):
        check_page(client, path, found)
    assert found == {}


def test_the_leak_finder_finds_english():
    assert leaks_in_html('<p lang="be">Падпіска <b>Subscribe now</b></p>') == ["Subscribe", "now"]
    assert leaks_in_html('<a lang="en" href="/en/">English page</a><p>Мінск</p>') == []
    assert leaks_in_html('<img alt="A photo"><meta name="description" content="Weekly news">') \
        == ["photo", "news"]
    assert leaks_in_html("<script>var english = 1;</script>") == []
