"""What goes in the issue email: the articles per topic, the template context,
the rendered email, and the per-delivery List-Id and Message-ID.

Reads only; writes nothing and queues nothing.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils.translation import override

from bulletin.models import Article, Topic, absolute_url
from newsletter import emails, languages, sending
from newsletter.models import Dispatch


def issue_articles(issue, language, *, preview=False):
    """The issue's articles readers can see in `language`, grouped by topic
    (with `preview`, also the approved ones that publishing will add)."""
    articles = (
        Article.objects.filter(status__in=[Article.Status.APPROVED, Article.Status.PUBLISHED])
        if preview
        else Article.objects.published()
    )
    articles = (
        articles
        .in_issue(issue)
        .for_language(language)
        .select_related("topic", "lead_image")
        .order_by("topic__position", "position", "pk")
    )
    groups: list[tuple[Topic, list[Article]]] = []
    for article in articles:
        if not groups or groups[-1][0].pk != article.topic_id:
            groups.append((article.topic, []))
        groups[-1][1].append(article)
    return groups


def missing_articles(issue) -> dict[str, list[Article]]:
    """Per newsletter language, the issue's articles (published or about to be)
    that have no translation in it and will be left out of that email."""
    candidates = list(
        issue.articles.filter(status__in=[Article.Status.APPROVED, Article.Status.PUBLISHED])
    )
    return {
        code: [a for a in candidates if not a.has_language(code)]
        for code in languages.newsletter_language_codes()
    }


def languages_with_articles(issue, *, preview=False) -> list[str]:
    """The newsletter languages in which the issue has an article readers can
    see (with `preview`, also the approved ones publishing will add). A
    language outside this list gets no email: it would say "no articles"."""
    statuses = [Article.Status.PUBLISHED]
    if preview:
        statuses.append(Article.Status.APPROVED)
    articles = list(issue.articles.filter(status__in=statuses))
    return [code for code in languages.newsletter_language_codes()
            if any(a.has_language(code) for a in articles)]


def stale_articles(issue, language) -> list[Article]:
    """The issue's articles (published or about to be) whose `language` text is
    older than its source's: an editor is warned before sending them."""
    return [
        a for a in issue.articles.filter(
            status__in=[Article.Status.APPROVED, Article.Status.PUBLISHED]
        ) if a.translation_state(language) == "stale"
    ]


def web_version_url(issue, language) -> str:
    with override(language):
        return absolute_url(reverse("newsletter:web_version", kwargs={"number": issue.number}))


def email_context(issue, language, *, personal=True, preview=False) -> dict:
    groups = issue_articles(issue, language, preview=preview)
    with override(language):
        article_links = {
            a.pk: absolute_url(a.get_absolute_url()) for _t, items in groups for a in items
        }
        return {
            "issue": issue,
            "period": issue.period_label(language),
            "title": getattr(issue, f"title_{language}", ""),
            "summary": getattr(issue, f"summary_{language}", ""),
            "groups": [
                (topic, [(a, article_links[a.pk]) for a in items]) for topic, items in groups
            ],
            "web_url": web_version_url(issue, language),
            "issue_url": absolute_url(issue.get_absolute_url()),
            "subscribe_url": absolute_url(reverse("newsletter:subscribe")),
            "personal": personal,
            "unsubscribe_url": sending.UNSUBSCRIBE if personal else "",
            "preferences_url": sending.PREFERENCES if personal else "",
        }


def render_issue_email(issue, language, *, personal=True, preview=False) -> emails.RenderedEmail:
    context = email_context(issue, language, personal=personal, preview=preview)
    return emails.render_email("issue", context, language)


def list_id(language) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"{settings.SITE_NAME} ({language}) <newsletter-{language}.{host}>"


def message_id(dispatch: Dispatch, subscriber_id: int) -> str:
    """Deterministic per delivery: the same subscriber, issue and language."""
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"issue-{dispatch.issue.number}.{dispatch.language}.{subscriber_id}@{host}"


def issue_template(dispatch: Dispatch) -> sending.MessageTemplate:
    """The message every recipient of a started dispatch gets, before their own parts."""
    return sending.MessageTemplate(
        subject=dispatch.subject,
        text=dispatch.body_text,
        html=dispatch.body_html,
        from_email=emails.sender(dispatch.language),
        language=dispatch.language,
        list_id=list_id(dispatch.language),
    )
