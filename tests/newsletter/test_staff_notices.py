"""Staff notices: through a real Celery worker on Redis to a real SMTP server
(aiosmtpd), in each recipient's language, and not to those who turned them off."""

import email.header

import pytest

from bulletin import services
from bulletin.models import StaffProfile
from config.celery import app as celery_app
from newsletter import staff_notices
from tests.factories import ArticleFactory, analyst, editor
from tests.processes import celery_worker, wait_for
from tests.smtp import SMTPSink


def subject(message) -> str:
    return str(email.header.make_header(email.header.decode_header(message["Subject"]))).strip()


@pytest.fixture
def worker_and_sink(need_postgres, need_redis, tmp_path):
    celery_app.conf.task_always_eager = False
    celery_app.conf.broker_url = need_redis
    celery_app.control.purge()
    sink = SMTPSink().start()
    worker = celery_worker(tmp_path, name="notices", concurrency=1, REDIS_URL=need_redis,
                           EMAIL_URL=sink.url).start()
    yield sink
    worker.stop()
    sink.stop()
    celery_app.control.purge()
    celery_app.conf.task_always_eager = True


@pytest.mark.django_db(transaction=True)
@pytest.mark.worker
@pytest.mark.timeout(300)
def test_notices_reach_each_person_in_their_language_unless_turned_off(worker_and_sink):
    sink = worker_and_sink
    writer = analyst("writer")
    StaffProfile.objects.create(user=writer, language="ru")
    be_editor = editor("be-editor")
    StaffProfile.objects.create(user=be_editor, language="be")
    muted = editor("muted-editor")
    StaffProfile.objects.create(user=muted, language="en", muted=["submitted"])
    no_address = editor("no-address")
    no_address.email = ""
    no_address.save()

    article = ArticleFactory(created_by=writer)
    services.article_submit(article=article, user=writer)
    assert wait_for(lambda: sink.for_address(be_editor.email), timeout=60)
    sent = sink.for_address(be_editor.email)[0]
    assert subject(sent).startswith("На праверку: " + article.title_be)
    body = sent.get_body(("plain",)).get_content()
    assert f"/admin/bulletin/article/{article.pk}/change/" in body
    assert "Адкрыць у адмінцы" in body

    services.article_return(article=article, user=be_editor, comment="Уточните цифры.")
    assert wait_for(lambda: sink.for_address(writer.email), timeout=60)
    returned = sink.for_address(writer.email)[0]
    assert subject(returned) == "Возвращено вам: " + article.title_ru
    assert "Уточните цифры." in returned.get_body(("plain",)).get_content()

    recipients = {rcpt for rcpt, _m, _raw in sink.messages}
    assert muted.email not in recipients
    assert writer.email in recipients and be_editor.email in recipients
    assert len(sink.for_address(be_editor.email)) == 1  # not told of their own return


@pytest.mark.django_db
def test_recipients_skip_the_actor_the_muted_and_those_without_an_address():
    writer, first, second = analyst("w"), editor("e1"), editor("e2")
    StaffProfile.objects.create(user=second, muted=["submitted"])
    nobody = editor("e3")
    nobody.email = ""
    nobody.save()
    article = ArticleFactory(created_by=writer)
    people = staff_notices.recipients("submitted", article=article, actor_id=first.pk)
    assert people == []  # e1 acted, e2 muted, e3 has no address
    assert staff_notices.recipients("approved", article=article, actor_id=first.pk) == [
        (writer, "en")]


@pytest.mark.django_db
def test_a_send_paused_for_lateness_tells_the_editors(mailoutbox, settings):
    import datetime

    from django.test import TestCase
    from django.utils import timezone

    from newsletter.dispatch import scheduling
    from newsletter.models import Dispatch
    from tests.factories import IssueFactory

    boss = editor("boss")
    StaffProfile.objects.create(user=boss, language="ru")
    late = timezone.now() - datetime.timedelta(seconds=settings.NEWSLETTER_MAX_LATENESS + 3600)
    dispatch = Dispatch.objects.create(issue=IssueFactory(), language="be", scheduled_for=late)
    with TestCase.captureOnCommitCallbacks(execute=True):
        scheduling.dispatch_start_due()
    assert Dispatch.objects.get(pk=dispatch.pk).status == "paused"
    (message,) = [m for m in mailoutbox if boss.email in m.to]
    assert message.subject.startswith("Рассылка приостановлена")
    assert f"/admin/newsletter/dispatch/{dispatch.pk}/change/" in message.body
