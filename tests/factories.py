import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import TestCase

from bulletin import roles, services
from bulletin.models import Article, Issue, Topic

FIRST_MONDAY = datetime.date(2018, 11, 12)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    is_staff = True
    password = factory.PostGenerationMethodCall("set_password", "pw")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if extracted:
            self.groups.add(Group.objects.get(name=extracted))
        self.save()


def analyst(username="analyst"):
    return UserFactory(username=username, role=roles.ANALYSTS)


def editor(username="editor"):
    return UserFactory(username=username, role=roles.EDITORS)


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"topic-{n}")
    position = factory.Sequence(int)
    name_en = factory.Sequence(lambda n: f"Topic {n}")
    name_be = factory.Sequence(lambda n: f"Тэма {n}")
    name_ru = factory.Sequence(lambda n: f"Тема {n}")


class IssueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Issue

    number = factory.Sequence(lambda n: 100 + n)
    start_date = factory.Sequence(lambda n: FIRST_MONDAY + datetime.timedelta(weeks=n))


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article
        skip_postgeneration_save = True

    issue = factory.SubFactory(IssueFactory)
    topic = factory.SubFactory(TopicFactory)
    slug = factory.Sequence(lambda n: f"article-{n}")
    trend = Article.Trend.UNCHANGED
    position = factory.Sequence(int)
    title_en = factory.Sequence(lambda n: f"Minsk and Moscow discuss oil supplies {n}")
    lead_en = "Negotiations on oil supplies have stalled again."
    body_en = "<p>The parties met in Minsk.</p><p>No agreement was reached.</p>"
    title_ru = factory.Sequence(lambda n: f"Минск и Москва обсуждают поставки нефти {n}")
    lead_ru = "Переговоры о поставках нефти снова зашли в тупик."
    body_ru = "<p>Стороны встретились в Минске.</p><p>Соглашение не достигнуто.</p>"
    title_be = factory.Sequence(lambda n: f"Мінск і Масква абмяркоўваюць пастаўкі нафты {n}")
    lead_be = "Перамовы пра пастаўкі нафты зноў зайшлі ў тупік."
    body_be = "<p>Бакі сустрэліся ў Мінску.</p><p>Пагаднення не дасягнута.</p>"

    @factory.post_generation
    def authors(article, create, names, **kwargs):
        """authors="Anna Analyst, Ivan Analyst": the byline, by English names
        (the test names below have Belarusian and Russian ones too)."""
        if not create:
            return
        names = "Anna Analyst" if names is None else names
        services.article_set_authors(article=article, authors=[
            services.author_get_or_create(name=name, **TEST_AUTHORS.get(name, {}))
            for name in (n.strip() for n in names.split(",")) if name
        ])


TEST_AUTHORS = {
    "Anna Analyst": {"name_be": "Ганна Аналітык", "name_ru": "Анна Аналитик"},
    "Ivan Analyst": {"name_be": "Іван Аналітык", "name_ru": "Иван Аналитик"},
}


def published_issue(articles=1, *, user=None, issue=None, send_now=False, **article_kwargs):
    """An issue published through the workflow, with `articles` published articles."""
    user = user or editor("publisher")
    issue = issue or IssueFactory()
    for _ in range(articles):
        article = ArticleFactory(issue=issue, **article_kwargs)
        services.article_submit(article=article, user=user)
        services.article_approve(article=article, user=user)
    # Run what publishing schedules on commit (the newsletter's dispatches), as
    # a real commit would.
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.issue_publish(issue=issue, user=user, send_now=send_now)
    issue.refresh_from_db()
    return issue


class SubscriberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "newsletter.Subscriber"

    email = factory.Sequence(lambda n: f"reader{n}@example.org")
    language = "en"
    status = "confirmed"
    consent_source = "test"
