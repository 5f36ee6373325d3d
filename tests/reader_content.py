"""Content for the reader-site tests, made the way editors make it: articles
drafted in some languages, submitted, approved, and issues published through
bulletin.services."""

import datetime
from types import SimpleNamespace

from bulletin import services
from bulletin.models import Article
from tests.factories import FIRST_MONDAY, ArticleFactory, IssueFactory, TopicFactory, editor

LANGUAGES = ("en", "be", "ru")

TEXTS = {
    "azerbaijan": {
        "en": ("Azerbaijan to remain Belarus’ strategic partner in the South Caucasus",
               "Informal, albeit effective alliances have formed based on common interests.",
               "<p>Ilham Aliyev will visit Minsk.</p><p>Trade turnover tripled this year.</p>"),
        "ru": ("Азербайджан останется стратегическим партнёром Беларуси на Южном Кавказе",
               "Неформальные, но эффективные союзы сложились на основе общих интересов.",
               "<p>Ильхам Алиев посетит Минск.</p><p>Товарооборот за год утроился.</p>"),
        "be": ("Азербайджан застанецца стратэгічным партнёрам Беларусі на Паўднёвым Каўказе",
               "Нефармальныя, але эфектыўныя саюзы склаліся на аснове агульных інтарэсаў.",
               "<p>Ільхам Аліеў наведае Мінск.</p><p>Тавараабарот за год павялічыўся ўтрая.</p>"),
    },
    "oil": {
        "en": ("Oil supplies stall again",
               "Negotiations on oil supplies have stalled again.",
               "<p>The parties met in Minsk &amp; Moscow.</p><p>No agreement was reached.</p>"),
    },
    "troops": {
        "en": ("Russian units stay after joint drills",
               "A week after the exercise, Russian units remain at Belarusian ranges.",
               "<p>Minsk offers no explanation, which fuels concern among its neighbours.</p>"),
        "ru": ("Российские подразделения остаются после учений",
               "Через неделю после учений российские подразделения остаются на полигонах.",
               "<p>Минск не даёт объяснений, что тревожит соседей.</p>"),
    },
    "draft": {
        "en": ("An unpublished draft about the budget",
               "Not for readers yet.",
               "<p>Secret budget figures.</p>"),
        "ru": ("Неопубликованный черновик о бюджете",
               "Пока не для читателей.",
               "<p>Секретные цифры бюджета.</p>"),
    },
}


def article_in(issue, topic, key, *, slug=None, trend=Article.Trend.UNCHANGED, position=0,
               languages=None, **extra):
    """An article (a draft) with TEXTS[key] in its languages, none in the others."""
    texts = TEXTS[key]
    fields = {}
    for code in LANGUAGES:
        title, lead, body = texts.get(code, ("", "", "")) if (
            languages is None or code in languages) else ("", "", "")
        fields.update({f"title_{code}": title, f"lead_{code}": lead, f"body_{code}": body})
    fields.update(extra)
    return ArticleFactory(
        issue=issue, topic=topic, slug=slug or key, trend=trend, position=position, **fields
    )


def approve(article, user):
    services.article_submit(article=article, user=user)
    services.article_approve(article=article, user=user)


def week(n: int) -> datetime.date:
    return FIRST_MONDAY + datetime.timedelta(weeks=n)


def sample_site():
    """Two published issues, one draft issue.

    No. 1, November 12 – 18, 2018: "azerbaijan" (security, en/be/ru, not changed),
      "oil" (economy, English only, worsened).
    No. 2, November 19 – 25, 2018: "troops" (security, en/ru, worsened).
    No. 3, November 26 – December 2, 2018, not published: "draft" (security, approved).
    """
    user = editor("publisher")
    security = TopicFactory(slug="security", position=1, name_en="Security issues",
                            name_ru="Вопросы безопасности", name_be="Пытанні бяспекі",
                            description_en="Defence policy and regional security.")
    economy = TopicFactory(slug="economy", position=2, name_en="Economy",
                           name_ru="Экономика", name_be="Эканоміка")
    first = IssueFactory(number=1, start_date=week(0), title_en="A cautious week",
                         summary_en="Minsk looks for room to manoeuvre.")
    azerbaijan = article_in(first, security, "azerbaijan", position=1,
                            authors="Anna Analyst, Ivan Analyst")
    oil = article_in(first, economy, "oil", position=2, trend=Article.Trend.WORSENED)
    for article in (azerbaijan, oil):
        approve(article, user)
    services.issue_publish(issue=first, user=user)

    second = IssueFactory(number=2, start_date=week(1))
    troops = article_in(second, security, "troops", position=1, trend=Article.Trend.WORSENED)
    approve(troops, user)
    services.issue_publish(issue=second, user=user)

    draft_issue = IssueFactory(number=3, start_date=week(2))
    draft = article_in(draft_issue, security, "draft", position=1)
    approve(draft, user)

    for obj in (first, second, draft_issue, azerbaijan, oil, troops, draft):
        obj.refresh_from_db()
    return SimpleNamespace(
        user=user, security=security, economy=economy, first=first, second=second,
        draft_issue=draft_issue, azerbaijan=azerbaijan, oil=oil, troops=troops, draft=draft,
    )


def scaled_site(n: int):
    """For query counts: a latest issue with `n` articles over three topics,
    and n // 3 older issues with one article each in the first topic."""
    user = editor("publisher")
    topics = [TopicFactory(slug=f"scale-{i}", position=i) for i in range(3)]
    older = n // 3
    for w in range(older):
        issue = IssueFactory(number=1000 + w, start_date=week(w))
        approve(ArticleFactory(issue=issue, topic=topics[0], slug=f"old-{w}"), user)
        services.issue_publish(issue=issue, user=user)
    latest = IssueFactory(number=2000, start_date=week(older))
    for i in range(n):
        trend = list(Article.Trend)[i % 3]
        approve(ArticleFactory(issue=latest, topic=topics[i % 3], slug=f"new-{i}",
                               position=i, trend=trend), user)
    services.issue_publish(issue=latest, user=user)
    latest.refresh_from_db()
    middle = Article.objects.filter(issue=latest).order_by("position")[n // 2]
    return SimpleNamespace(latest=latest, topics=topics, middle=middle)
