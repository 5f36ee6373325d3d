"""Revisions, diffs, restore, stale links, approve what you saw and field-level
merging, through the admin as editors and analysts use it, and through the services."""

import pytest
from django.urls import reverse

from bulletin import diffs, services
from bulletin.models import Article, Revision
from tests.factories import ArticleFactory, analyst, editor

pytestmark = pytest.mark.django_db

FORM_FIELDS = ("issue", "topic", "slug", "trend", "position")


def change_url(article):
    return reverse("admin:bulletin_article_change", args=[article.pk])


def form_data(article, **changes):
    """What the change form posts when opened now, with `changes` typed in."""
    article.refresh_from_db()
    data = {name: getattr(article, name) for name in ("slug", "trend", "position")}
    data.update({"bylines-TOTAL_FORMS": "0", "bylines-INITIAL_FORMS": "0"})  # the byline inline
    data.update(issue=article.issue_id, topic=article.topic_id, opened_version=article.version)
    for code in ("en", "be", "ru"):
        for field in ("title", "lead", "body", "correction_note"):
            name = f"{field}_{code}"
            # The browser sends textarea lines with CRLF.
            data[name] = (getattr(article, name) or "").replace("\n", "\r\n")
    data.update(changes)
    return data


@pytest.fixture
def editor_user():
    return editor()


def save_as(client, user, article, data):
    client.force_login(user)
    return client.post(change_url(article), data)


class TestRecording:
    def test_an_admin_edit_records_who_and_which_fields_and_languages(self, client, editor_user):
        article = ArticleFactory()
        response = save_as(client, editor_user, article, form_data(
            article, body_be="<p>Бакі сустрэліся ў Гродне.</p>", trend="worsened"))
        assert response.status_code == 302, response.content.decode()[:3000]
        article.refresh_from_db()
        latest = article.revisions.first()
        assert (article.version, latest.number, latest.user, latest.kind) == (
            2, 2, editor_user, "edited")
        assert sorted(latest.changed) == ["body_be", "trend"]
        assert article.text_revisions["be"] == 2 and article.text_revisions["en"] == 1
        page = client.get(change_url(article)).content.decode()
        assert 'data-revision="2"' in page and "body (be)" in page.lower()

    def test_saving_unchanged_text_with_crlf_records_nothing(self, client, editor_user):
        article = ArticleFactory(body_en="<p>One.</p>\n<p>Two.</p>")
        save_as(client, editor_user, article, form_data(article))
        article.refresh_from_db()
        assert article.version == 1
        assert list(article.revisions.values_list("number", flat=True)) == [1]

    def test_the_service_records_a_revision_too(self, editor_user):
        article = ArticleFactory()
        article.title_ru = "Новый заголовок"
        saved = services.article_save(article=article, user=editor_user)
        assert saved.revision.changed == ["title_ru"]
        assert saved.seen_version == 2

    def test_a_new_article_starts_at_revision_one(self, client):
        from tests.bulletin.test_admin import article_form
        from tests.factories import IssueFactory, TopicFactory

        author = analyst()
        client.force_login(author)
        response = client.post(reverse("admin:bulletin_article_add"),
                               article_form(IssueFactory(), TopicFactory()))
        assert response.status_code == 302
        article = Article.objects.get(slug="new-article")
        first = article.revisions.get()
        assert (first.number, first.kind, first.user) == (1, "created", author)
        assert article.text_revisions == {"en": 1, "ru": 1}


class TestDiff:
    @pytest.mark.parametrize("old, new, deleted, inserted", [
        ("<p>The parties met in Minsk.</p>", "<p>The parties met in Hrodna.</p>",
         "Minsk", "Hrodna"),
        ("<p>Бакі сустрэліся ў Мінску.</p>", "<p>Бакі ледзь сустрэліся ў Мінску.</p>",
         None, "ледзь "),
        ("<p>Стороны встретились в Минске.</p>", "<p>Стороны встретились в Москве.</p>",
         "Минске", "Москве"),
    ])
    def test_changed_words_are_marked(self, old, new, deleted, inserted):
        diff = diffs.text_diff("body", old, new)
        assert diff.changed
        if deleted:
            assert f"<del>{deleted}</del>" in diff.html
        assert f"<ins>{inserted}</ins>" in diff.html

    def test_markup_alone_is_not_a_change_and_text_is_escaped(self):
        assert not diffs.text_diff("body", "<p>A <b>x</b></p>", "<p>A x</p>").changed
        assert "&lt;script&gt;" in diffs.word_diff("a", "a <script>").html

    def test_compare_page_shows_each_language(self, client, editor_user):
        article = ArticleFactory()
        save_as(client, editor_user, article, form_data(
            article, body_ru="<p>Стороны встретились в Москве.</p><p>Соглашение не достигнуто.</p>",
            title_en="Oil talks stall"))
        page = client.get(reverse("admin:bulletin_article_compare", args=[article.pk]),
                          {"from": 1, "to": 2})
        text = page.content.decode()
        assert page.status_code == 200
        assert "<del>Минске</del><ins>Москве</ins>" in text
        assert "<ins>Oil talks stall</ins>" in text.replace("\n", "")
        assert 'data-language="be"' in text

    @pytest.mark.parametrize("query", [{"from": 1, "to": 9}, {"from": "x"}, {"from": -1}])
    def test_unknown_revisions_are_404(self, client, editor_user, query):
        article = ArticleFactory()
        services.article_save(article=article, user=editor_user)  # baseline only
        client.force_login(editor_user)
        url = reverse("admin:bulletin_article_compare", args=[article.pk])
        assert client.get(url, query).status_code == 404

    def test_revisions_of_another_article_are_not_found(self, client, editor_user):
        one, other = ArticleFactory(), ArticleFactory()
        other.title_en = "Changed"
        services.article_save(article=other, user=editor_user)
        client.force_login(editor_user)
        url = reverse("admin:bulletin_article_compare", args=[one.pk])
        assert client.get(url, {"from": 1, "to": 2}).status_code == 404


class TestRestore:
    def test_restore_becomes_a_new_revision_and_sends_approved_back_to_review(
        self, client, editor_user
    ):
        article = ArticleFactory(title_en="First title")
        save_as(client, editor_user, article, form_data(article, title_en="Second title"))
        services.article_submit(article=article, user=editor_user)
        services.article_approve(article=article, user=editor_user)
        response = client.post(reverse("admin:bulletin_article_restore", args=[article.pk, 1]))
        assert response.status_code == 302
        article.refresh_from_db()
        assert (article.title_en, article.status, article.version) == (
            "First title", "review", 3)
        assert article.revisions.first().kind == "restored"
        assert article.transitions.first().to_status == "review"

    def test_analyst_may_not_restore(self, client):
        article = ArticleFactory(title_en="Kept")
        article.title_en = "Newer"
        services.article_save(article=article, user=None)
        client.force_login(analyst())
        response = client.post(reverse("admin:bulletin_article_restore", args=[article.pk, 1]))
        assert response.status_code == 403
        assert Article.objects.get(pk=article.pk).title_en == "Newer"

    def test_restore_of_a_missing_revision_is_404(self, client, editor_user):
        article = ArticleFactory()
        client.force_login(editor_user)
        response = client.post(reverse("admin:bulletin_article_restore", args=[article.pk, 7]))
        assert response.status_code == 404


class TestStaleLink:
    def test_stale_cell_links_to_the_english_diff_since_the_translation(
        self, client, editor_user
    ):
        article = ArticleFactory()
        save_as(client, editor_user, article, form_data(article, body_be="<p>Новы тэкст.</p>"))
        save_as(client, editor_user, article, form_data(
            article, body_en="<p>The parties met in Hrodna.</p><p>No agreement was reached.</p>"))
        article.refresh_from_db()
        assert article.translation_state("be") == "stale"
        page = client.get(reverse("admin:bulletin_issue_change", args=[article.issue_id]))
        url = reverse("admin:bulletin_article_compare", args=[article.pk])
        expected = f"{url}?from=2&amp;to=3&amp;language=en"
        assert expected in page.content.decode()
        diff = client.get(url, {"from": 2, "to": 3, "language": "en"}).content.decode()
        assert "<del>Minsk</del><ins>Hrodna</ins>" in diff
        assert 'data-language="be"' not in diff


class TestApproveWhatYouSaw:
    def test_approve_from_a_page_opened_before_a_change_is_refused(self, client, editor_user):
        article = ArticleFactory(status="review")
        opened_at = Article.objects.get(pk=article.pk).version or 1
        article.title_en = "Changed while the editor read"
        services.article_save(article=article, user=analyst("writer"))
        client.force_login(editor_user)
        url = reverse("admin:bulletin_article_workflow", args=[article.pk])
        response = client.post(url, {"action": "approve", "version": opened_at}, follow=True)
        article.refresh_from_db()
        assert article.status == "review"
        text = response.content.decode()
        assert "changed after you opened it" in text
        compare = reverse("admin:bulletin_article_compare", args=[article.pk])
        assert f'href="{compare}?from=1&amp;to=2"' in text
        # be/ru are stale now, so approving asks first (#18): this is the confirmed post.
        response = client.post(url, {"action": "approve", "version": article.version,
                                     "confirmed": "1"})
        article.refresh_from_db()
        assert article.status == "approved"
        assert article.transitions.first().version == 2

    @pytest.mark.parametrize("forged", ["abc", "-3", "999"])
    def test_forged_versions_are_refused_with_a_message(self, client, editor_user, forged):
        article = ArticleFactory(status="review")
        client.force_login(editor_user)
        url = reverse("admin:bulletin_article_workflow", args=[article.pk])
        response = client.post(url, {"action": "approve", "version": forged}, follow=True)
        assert response.status_code == 200
        assert Article.objects.get(pk=article.pk).status == "review"
        assert 'class="error"' in response.content.decode()


class TestFieldLevelMerge:
    def test_two_people_changing_different_languages_both_succeed(self, client):
        article = ArticleFactory()
        first, second = editor("e1"), editor("e2")
        opened = form_data(article)
        assert save_as(client, first, article, {
            **opened, "body_be": "<p>Беларускі тэкст.</p>"}).status_code == 302
        response = save_as(client, second, article, {**opened, "title_ru": "Новый заголовок"})
        assert response.status_code == 302
        article.refresh_from_db()
        assert article.body_be == "<p>Беларускі тэкст.</p>"
        assert article.title_ru == "Новый заголовок"
        assert article.revisions.first().changed == ["title_ru"]

    def test_same_field_second_save_refused_with_both_texts(self, client):
        article = ArticleFactory()
        first, second = editor("e1"), editor("e2")
        opened = form_data(article)
        save_as(client, first, article, {**opened, "lead_en": "Talks resumed on Monday."})
        response = save_as(client, second, article, {**opened, "lead_en": "Talks collapsed."})
        assert response.status_code == 200
        text = response.content.decode()
        assert "e1 changed this field" in text
        assert "Talks collapsed." in text  # still in the form, to copy
        assert "<ins>resumed on Monday</ins>" in text  # theirs, in the diff
        assert Article.objects.get(pk=article.pk).lead_en == "Talks resumed on Monday."

    def test_correction_of_a_published_article_needs_a_reason_and_is_recorded(
        self, client, editor_user
    ):
        from tests.factories import published_issue

        issue = published_issue()
        article = issue.articles.get()
        data = form_data(article, body_en="<p>The parties met in Hrodna.</p>",
                         correction_note_en="The meeting place was corrected.")
        response = save_as(client, editor_user, article, data)
        assert response.status_code == 200
        assert "say what the correction is" in response.content.decode()
        response = save_as(client, editor_user, article,
                           {**data, "correction_reason": "Wrong city"})
        assert response.status_code == 302
        article.refresh_from_db()
        assert article.corrected_at is not None
        assert article.revisions.first().kind == Revision.Kind.CORRECTED
        entry = article.transitions.first()
        assert (entry.from_status, entry.to_status, entry.comment, entry.user) == (
            "published", "published", "Wrong city", editor_user)


class TestCorrectionNoteForReaders:
    def test_the_note_shows_on_the_article_in_its_language_in_the_feed_and_web_version(
        self, client, editor_user
    ):
        from tests.factories import published_issue

        issue = published_issue()
        article = issue.articles.get()
        save_as(client, editor_user, article, form_data(
            article, correction_note_be="Выпраўлена назва горада.",
            correction_reason="Wrong city in the Belarusian note"))
        client.logout()
        article.refresh_from_db()
        assert article.corrected_at is not None
        page = client.get(article.url_in("be")).content.decode()
        assert 'class="correction"' in page and "Выпраўлена назва горада." in page
        assert "Corrected on" not in page
        english = client.get(article.url_in("en")).content.decode()
        assert 'class="correction"' not in english  # no note in English
        feed = client.get("/be/feeds/atom/").content.decode()
        assert f"<updated>{article.corrected_at.isoformat()}</updated>" in feed
        web = client.get(f"/be/newsletter/issues/{issue.number}/").content.decode()
        assert "Выпраўлена назва горада." in web



class TestIssueFormMerge:
    @staticmethod
    def opened(client, issue):
        """The issue form's fields as its change page gives them (the signed state too)."""
        import re

        page = client.get(reverse("admin:bulletin_issue_change", args=[issue.pk])).content
        state = re.search(rb'name="opened_state" value="([^"]+)"', page).group(1).decode()
        data = {"number": issue.number, "start_date": issue.start_date.isoformat(),
                "opened_state": state}
        for code in ("en", "be", "ru"):
            data[f"title_{code}"] = getattr(issue, f"title_{code}") or ""
            data[f"summary_{code}"] = getattr(issue, f"summary_{code}") or ""
        return data

    def test_different_languages_both_kept_same_field_refused(self, client):
        from tests.factories import IssueFactory

        issue = IssueFactory(title_en="A quiet week")
        first, second = editor("e1"), editor("e2")
        url = reverse("admin:bulletin_issue_change", args=[issue.pk])
        client.force_login(first)
        opened_first = self.opened(client, issue)
        client.force_login(second)
        opened_second = self.opened(client, issue)

        client.force_login(first)
        assert client.post(url, {**opened_first, "summary_be": "Ціхі тыдзень."}).status_code == 302
        client.force_login(second)
        assert client.post(url, {**opened_second, "title_ru": "Тихая неделя"}).status_code == 302
        issue.refresh_from_db()
        assert (issue.summary_be, issue.title_ru) == ("Ціхі тыдзень.", "Тихая неделя")

        response = client.post(url, {**opened_second, "summary_be": "Зусім іншы тэкст."})
        assert response.status_code == 200
        text = response.content.decode()
        assert "Someone changed this field" in text and "Ціхі тыдзень." in text
        assert "Зусім іншы тэкст." in text
        issue.refresh_from_db()
        assert issue.summary_be == "Ціхі тыдзень."

    def test_a_forged_state_is_refused(self, client):
        from tests.factories import IssueFactory

        issue = IssueFactory(title_en="Kept")
        client.force_login(editor())
        data = {**self.opened(client, issue), "opened_state": "forged", "title_en": "X"}
        response = client.post(reverse("admin:bulletin_issue_change", args=[issue.pk]), data)
        assert response.status_code == 200
        assert "reload the page" in response.content.decode()
        issue.refresh_from_db()
        assert issue.title_en == "Kept"
