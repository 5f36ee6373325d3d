"""The byline and the images are part of an article's revisions: a change of
authors (the admin's inline, services.article_set_authors) or of the lead image
is a revision naming them; the compare view shows the authors by the compared
language's names and the images added and removed; restore brings them back;
two people changing the byline meanwhile → the second refused, with the names."""

import io

import pytest
from django.urls import reverse

from bulletin import services
from bulletin.images import image_create
from bulletin.models import Article
from tests.bulletin.test_revisions import change_url, form_data
from tests.factories import TEST_AUTHORS, ArticleFactory, editor, published_issue
from tests.images import picture

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("need_postgres")]


@pytest.fixture
def people():
    return {name: services.author_get_or_create(name=name, **names)
            for name, names in TEST_AUTHORS.items()}


@pytest.fixture
def chart(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"

    def make(alt, **alts):
        return image_create(upload=io.BytesIO(picture("PNG", size=(640, 400))),
                            alt_en=alt, **alts)
    return make


def byline(article):
    return [b.author.name_en for b in article.bylines.select_related("author")]


def inline(article, authors):
    """The byline inline as the change form posts it: the stored rows, then `authors`
    (English names → Author) in this order; a stored author not in it is deleted."""
    stored = list(article.bylines.all())
    wanted = [a.pk for a in authors]
    data = {"bylines-INITIAL_FORMS": str(len(stored)), "bylines-TOTAL_FORMS": str(
        len(stored) + len([a for a in wanted if a not in {b.author_id for b in stored}]))}
    index = 0
    for row in stored:
        data.update({
            f"bylines-{index}-id": row.pk, f"bylines-{index}-article": article.pk,
            f"bylines-{index}-author": row.author_id,
            f"bylines-{index}-position": wanted.index(row.author_id) if row.author_id in wanted
            else 0,
        })
        if row.author_id not in wanted:
            data[f"bylines-{index}-DELETE"] = "on"
        index += 1
    for author_id in wanted:
        if author_id in {b.author_id for b in stored}:
            continue
        data.update({f"bylines-{index}-article": article.pk, f"bylines-{index}-author": author_id,
                     f"bylines-{index}-position": wanted.index(author_id)})
        index += 1
    return data


def post(client, user, article, data):
    client.force_login(user)
    return client.post(change_url(article), data)


def compare(client, article, old, new, language=None):
    url = reverse("admin:bulletin_article_compare", args=[article.pk])
    query = {"from": old, "to": new, **({"language": language} if language else {})}
    response = client.get(url, query)
    assert response.status_code == 200
    return response.content.decode()


class TestBylines:
    def test_a_byline_change_in_the_admin_is_one_revision_naming_the_authors(
            self, client, people):
        anna, ivan = people["Anna Analyst"], people["Ivan Analyst"]
        article = ArticleFactory()  # by Anna
        user = editor()
        data = {**form_data(article), **inline(article, [ivan, anna])}
        response = post(client, user, article, data)
        assert response.status_code == 302, response.content.decode()[:3000]
        article.refresh_from_db()
        assert byline(article) == ["Ivan Analyst", "Anna Analyst"]
        latest = article.revisions.first()
        assert (latest.number, latest.changed, latest.user) == (2, ["authors"], user)
        assert latest.content["authors"] == [ivan.pk, anna.pk]
        assert article.revisions.get(number=1).content["authors"] == [anna.pk]
        # The article's page lists it; the compare view names them in each language.
        client.force_login(user)
        page = client.get(change_url(article)).content.decode()
        row = page.split('<tr data-revision="2">')[1].split("</tr>")[0]
        assert "<td>authors</td>" in row
        html = compare(client, article, 1, 2, "be")
        assert "<del>Ганна Аналітык</del> → <ins>Іван Аналітык, Ганна Аналітык</ins>" in html
        html = compare(client, article, 1, 2, "ru")
        assert "<del>Анна Аналитик</del> → <ins>Иван Аналитик, Анна Аналитик</ins>" in html

    def test_text_and_byline_together_are_one_revision(self, client, people):
        article = ArticleFactory()
        data = {**form_data(article, title_be="Новы загаловак"),
                **inline(article, [people["Ivan Analyst"]])}
        assert post(client, editor(), article, data).status_code == 302
        article.refresh_from_db()
        assert byline(article) == ["Ivan Analyst"]
        assert article.version == 2
        assert sorted(article.revisions.first().changed) == ["authors", "title_be"]

    def test_an_untouched_inline_changes_nothing(self, client, people):
        article = ArticleFactory()
        data = {**form_data(article, trend="worsened"),
                **inline(article, [people["Anna Analyst"]])}
        assert post(client, editor(), article, data).status_code == 302
        article.refresh_from_db()
        assert byline(article) == ["Anna Analyst"]
        assert article.revisions.first().changed == ["trend"]

    def test_the_service_records_a_revision_and_restore_brings_the_byline_back(self, people):
        ivan = people["Ivan Analyst"]
        user = editor()
        article = ArticleFactory()
        services.article_save(article=article, user=user)  # revision 1: by Anna
        revision = services.article_set_authors(article=article, authors=[ivan], user=user)
        assert (revision.number, revision.changed, revision.user) == (2, ["authors"], user)
        assert byline(article) == ["Ivan Analyst"]
        # The same byline again: no revision.
        assert services.article_set_authors(article=article, authors=[ivan]) is None
        saved = services.article_restore(article=article, number=1, user=user)
        assert saved.revision.changed == ["authors"]
        assert byline(article) == ["Anna Analyst"]
        article.refresh_from_db()
        assert article.version == 3

    def test_two_people_changing_the_byline_meanwhile_the_second_is_refused(
            self, client, people):
        anna, ivan = people["Anna Analyst"], people["Ivan Analyst"]
        article = ArticleFactory()
        first, second = editor("first"), editor("second")
        opened = {**form_data(article, title_en="Changed by the second"),
                  **inline(article, [anna, ivan])}
        # Meanwhile the first editor makes Ivan the only author.
        assert post(client, first, article, {
            **form_data(article), **inline(article, [ivan])}).status_code == 302
        response = post(client, second, article, opened)
        assert response.status_code == 200
        html = response.content.decode()
        assert "first changed the authors at" in html
        assert "Their authors: Ivan Analyst. Yours: Anna Analyst, Ivan Analyst." in html
        article.refresh_from_db()
        assert byline(article) == ["Ivan Analyst"]
        assert article.title_en != "Changed by the second"  # nothing of this save written
        assert article.version == 2

    def test_one_changes_the_byline_the_other_the_text_both_kept(self, client, people):
        ivan = people["Ivan Analyst"]
        article = ArticleFactory()
        first, second = editor("first"), editor("second")
        opened = {**form_data(article), **inline(article, [ivan])}
        assert post(client, first, article, form_data(article, title_ru="Другой")).status_code \
            == 302
        assert post(client, second, article, opened).status_code == 302
        article.refresh_from_db()
        assert (article.title_ru, byline(article)) == ("Другой", ["Ivan Analyst"])

    def test_a_published_articles_byline_is_a_correction(self, client, people):
        issue = published_issue(1)
        article = issue.articles.get()
        data = {**form_data(article), **inline(article, [people["Ivan Analyst"]])}
        response = post(client, editor(), article, data)
        assert response.status_code == 200
        assert "This article is published: say what the correction is and why." in (
            response.content.decode())
        assert byline(article) == ["Anna Analyst"]
        data["correction_reason"] = "Ivan wrote it."
        assert post(client, editor(), article, data).status_code == 302
        latest = article.revisions.first()
        assert (latest.kind, latest.changed, latest.comment) == (
            "corrected", ["authors"], "Ivan wrote it.")


class TestImages:
    def test_the_images_of_each_body_are_recorded_and_compared(self, client, chart):
        old_chart = chart("Exports by month", alt_be="Экспарт па месяцах")
        new_chart = chart("Imports by month", alt_be="Імпарт па месяцах")
        figure = ('<figure><img src="{}" alt="{}" data-file="{}"><figcaption>{}</figcaption>'
                  "</figure>")
        user = editor()
        article = ArticleFactory(body_be="<p>Тэкст.</p>" + figure.format(
            old_chart.file.url, "Экспарт", old_chart.pk, "Экспарт"))
        services.article_save(article=article, user=user)
        assert article.revisions.first().content["images_be"] == [old_chart.pk]
        article.body_be = "<p>Тэкст.</p>" + figure.format(
            new_chart.file.url, "Імпарт", new_chart.pk, "Імпарт")
        saved = services.article_save(article=article, user=user)
        assert sorted(saved.revision.changed) == ["body_be", "images_be"]
        assert saved.revision.content["images_be"] == [new_chart.pk]
        client.force_login(user)
        html = compare(client, article, 1, 2, "be")
        section = html.split('data-language="be"')[1]
        added = section.split('class="rev-image-added"')[1].split("</li>")[0]
        removed = section.split('class="rev-image-removed"')[1].split("</li>")[0]
        assert f'data-image="{new_chart.pk}"' in added and "Імпарт па месяцах" in added
        assert new_chart.file.url in added
        assert f'data-image="{old_chart.pk}"' in removed and "Экспарт па месяцах" in removed
        # The revision list names the images among the changes.
        page = client.get(change_url(article)).content.decode()
        row = page.split('<tr data-revision="2">')[1].split("</tr>")[0]
        assert "<td>body (be), images (be)</td>" in row

    def test_a_lead_image_alone_is_a_revision_and_restore_brings_it_back(self, client, chart):
        lead = chart("A tanker at Novopolotsk", alt_ru="Танкер в Новополоцке")
        user = editor()
        article = ArticleFactory(lead_image=lead)
        services.article_save(article=article, user=user)
        response = post(client, user, article, form_data(article, lead_image=""))
        assert response.status_code == 302, response.content.decode()[:2000]
        article.refresh_from_db()
        assert article.lead_image is None
        latest = article.revisions.first()
        assert latest.changed == ["lead_image"]
        page = client.get(change_url(article)).content.decode()
        row = page.split('<tr data-revision="2">')[1].split("</tr>")[0]
        assert "<td>lead image</td>" in row
        html = compare(client, article, 1, 2, "ru")
        others = html.split('class="rev-others"')[1].split("</table>")[0]
        assert f'<del><span class="rev-image" data-image="{lead.pk}">' in others
        assert "Танкер в Новополоцке" in others and lead.file.url in others
        services.article_restore(article=article, number=1, user=user)
        article.refresh_from_db()
        assert article.lead_image == lead
        assert article.revisions.first().changed == ["lead_image"]
        assert Article.objects.get(pk=article.pk).version == 3


def test_the_workflow_history_names_the_statuses_in_the_admins_language(client):
    article = ArticleFactory()
    user = editor()
    services.article_submit(article=article, user=user)
    client.force_login(user)
    client.cookies["bulletin_language"] = "ru"
    html = client.get(change_url(article)).content.decode()
    history = html.split('aria-labelledby="wf-history-heading"')[1]
    assert "<td>Черновик</td><td>На проверке</td>" in history
    assert "<td>draft</td>" not in html and "<td>review</td>" not in html
