"""The dispatch with in-process tasks: what goes out, to whom, once."""

import datetime
import email.policy
import time
from email import message_from_bytes

import pytest
from django.core import mail
from django.db import connection
from django.test.signals import template_rendered
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bulletin import services
from newsletter.dispatch import content, controls, ledger, queue, rules, scheduling, worker
from newsletter.models import Delivery, Dispatch, Subscriber
from tests.factories import (
    ArticleFactory,
    IssueFactory,
    SubscriberFactory,
    TopicFactory,
    editor,
    published_issue,
)

pytestmark = pytest.mark.django_db


def make_issue(**kwargs):
    """An issue with one article in all languages and one without Belarusian."""
    issue = IssueFactory()
    user = editor("dispatch-editor")
    security = TopicFactory(slug="security", name_en="Security issues", position=1)
    full = ArticleFactory(issue=issue, topic=security, title_en="Army drills near Hrodna",
                          title_ru="Учения армии под Гродно", title_be="Вучэнні войска каля Гродна",
                          trend="worsened")
    partial = ArticleFactory(issue=issue, title_en="Potash via Russian ports", body_be="",
                             title_ru="Калий через российские порты", trend="improved")
    for article in (full, partial):
        services.article_submit(article=article, user=user)
        services.article_approve(article=article, user=user)
    return issue, user


def subscribers():
    people = {}
    for lang in ("en", "be", "ru"):
        for status in ("pending", "confirmed", "unsubscribed", "bounced"):
            people[(lang, status)] = SubscriberFactory(
                email=f"{status}-{lang}@example.org", language=lang, status=status)
    return people


def test_publishing_schedules_one_dispatch_per_language_at_the_weekly_time(
        settings, django_capture_on_commit_callbacks):
    settings.NEWSLETTER_SEND_AT = "mon 09:00 Europe/Minsk"
    issue, user = make_issue()
    with django_capture_on_commit_callbacks(execute=True):
        services.issue_publish(issue=issue, user=user)
    dispatches = list(Dispatch.objects.filter(issue=issue).order_by("language"))
    assert [d.language for d in dispatches] == ["be", "en", "ru"]
    when = timezone.localtime(dispatches[0].scheduled_for,
                              timezone=datetime.timezone(datetime.timedelta(hours=3)))
    assert (when.weekday(), when.hour, when.minute) == (0, 9, 0)
    assert dispatches[0].scheduled_for >= issue.published_at
    assert {d.status for d in dispatches} == {"scheduled"}
    assert not mail.outbox


def test_send_now_sends_each_confirmed_subscriber_one_email_in_their_language(
        django_capture_on_commit_callbacks):
    issue, user = make_issue()
    people = subscribers()
    with django_capture_on_commit_callbacks(execute=True):
        services.issue_publish(issue=issue, user=user, send_now=True)
    received = {m.to[0]: m for m in mail.outbox}
    assert sorted(received) == sorted(f"confirmed-{c}@example.org" for c in ("en", "be", "ru"))
    en, be, ru = (received[f"confirmed-{c}@example.org"] for c in ("en", "be", "ru"))
    period = issue.period_label("ru")
    assert ru.subject == f"Belarus Weekly · {period}"
    assert "Учения армии под Гродно" in ru.body and "Калий через российские порты" in ru.body
    assert "Ситуация ухудшилась" in ru.body
    assert "Вучэнні войска каля Гродна" in be.body
    assert "Potash" not in be.body and "Калий" not in be.body  # no Belarusian translation
    html = en.alternatives[0][0]
    assert "Army drills near Hrodna" in html and "The situation has worsened" in html
    assert 'style="' in html  # CSS inlined
    subscriber = people[("en", "confirmed")]
    assert en.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/newsletter/one-click/" in en.extra_headers["List-Unsubscribe"]
    assert en.extra_headers["Message-ID"] == (
        f"<issue-{issue.number}.en.{subscriber.pk}@127.0.0.1>")
    assert "/en/newsletter/unsubscribe/" in en.body and "/en/newsletter/preferences/" in en.body
    assert f"/en/newsletter/issues/{issue.number}/" in en.body  # view in browser
    assert set(Dispatch.objects.values_list("status", flat=True)) == {"sent"}
    assert Delivery.objects.filter(status="sent").count() == 3
    assert Delivery.objects.count() == 3  # nobody else even gets a row


def test_second_send_sends_nothing(django_capture_on_commit_callbacks):
    issue, user = make_issue()
    subscribers()
    with django_capture_on_commit_callbacks(execute=True):
        services.issue_publish(issue=issue, user=user, send_now=True)
    assert len(mail.outbox) == 3
    with django_capture_on_commit_callbacks(execute=True):
        scheduling.dispatch_schedule_for_issue(issue_id=issue.pk, send_now=True)
        for d in Dispatch.objects.all():
            assert ledger.start(dispatch_id=d.pk) is False
            worker.send_batch(dispatch_id=d.pk)
            with pytest.raises(rules.DispatchError):
                controls.dispatch_send_now(dispatch=d, user=user)
    assert len(mail.outbox) == 3


def test_unsubscribing_before_the_batch_is_claimed_gets_nothing(
        django_capture_on_commit_callbacks):
    issue, user = make_issue()
    early = SubscriberFactory(email="leaves@example.org")
    stays = SubscriberFactory(email="stays@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        services.issue_publish(issue=issue, user=user)
    en = Dispatch.objects.get(issue=issue, language="en")
    with django_capture_on_commit_callbacks(execute=False):
        ledger.start(dispatch_id=en.pk)  # rows created, batches not run yet
    Subscriber.objects.filter(pk=early.pk).update(status="unsubscribed")
    worker.send_batch(dispatch_id=en.pk)
    assert [m.to for m in mail.outbox] == [[stays.email]]
    assert Delivery.objects.get(subscriber=early).status == "skipped"
    assert Dispatch.objects.get(pk=en.pk).status == "sent"


def test_late_dispatch_is_paused_for_an_editor(settings):
    settings.NEWSLETTER_MAX_LATENESS = 6 * 3600
    issue = published_issue(1)
    Dispatch.objects.filter(issue=issue).update(
        scheduled_for=timezone.now() - datetime.timedelta(hours=7))
    result = scheduling.dispatch_start_due()
    assert len(result["paused"]) == 3 and not result["started"]
    paused = Dispatch.objects.filter(issue=issue, status="paused")
    assert paused.count() == 3
    assert "hours after its time" in paused.first().note


def test_due_dispatch_is_started_by_beat(django_capture_on_commit_callbacks):
    issue = published_issue(1)
    SubscriberFactory(email="a@example.org")
    Dispatch.objects.filter(issue=issue).update(
        scheduled_for=timezone.now() - datetime.timedelta(minutes=5))
    with django_capture_on_commit_callbacks(execute=True):
        from newsletter.tasks import start_due_dispatches

        start_due_dispatches.delay()
    assert [m.to for m in mail.outbox] == [["a@example.org"]]


def test_per_recipient_loop_renders_nothing_and_only_writes_the_ledger(smtp_sink):
    issue = published_issue(2)
    d = Dispatch.objects.get(issue=issue, language="en")

    def run(count):
        Subscriber.objects.all().delete()
        Delivery.objects.all().delete()
        Dispatch.objects.filter(pk=d.pk).update(status="scheduled", started_at=None)
        for i in range(count):
            SubscriberFactory(email=f"r{count}-{i}@example.org")
        ledger.start(dispatch_id=d.pk)
        rendered = []

        def on_render(sender, **kwargs):
            rendered.append(kwargs["template"].name)

        template_rendered.connect(on_render)
        try:
            with CaptureQueriesContext(connection) as queries:
                worker.send_batch(dispatch_id=d.pk)
        finally:
            template_rendered.disconnect(on_render)
        return len(queries), rendered

    small, rendered_small = run(5)
    large, rendered_large = run(50)
    assert rendered_small == rendered_large == []
    assert large - small == 45  # exactly one ledger UPDATE per extra recipient
    assert smtp_sink.per_recipient["r50-49@example.org"] == 1


def test_message_on_the_wire(smtp_sink):
    issue = published_issue(1, title_ru="Заголовок", trend="improved")
    subscriber = SubscriberFactory(email="Reader@Example.ORG", language="ru")
    d = Dispatch.objects.get(issue=issue, language="ru")
    ledger.start(dispatch_id=d.pk)
    worker.send_batch(dispatch_id=d.pk)
    (rcpt, message, raw), = smtp_sink.messages
    assert rcpt == "Reader@example.org"
    assert message["To"] == "Reader@example.org"
    assert message["Subject"] == f"Belarus Weekly · {issue.period_label('ru')}"
    assert message["Message-ID"] == f"<issue-{issue.number}.ru.{subscriber.pk}@127.0.0.1>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["List-Id"].startswith("Belarus Weekly (ru)")
    assert max(len(line) for line in raw.split(b"\r\n")) <= 998
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Ситуация улучшилась" in text and "Ситуация улучшилась" in html
    assert "bulletin-marker" not in raw.decode()
    reparsed = message_from_bytes(raw, policy=email.policy.default)
    assert reparsed.is_multipart()


def test_permanent_rejection_fails_one_and_bounces_it_the_rest_go(smtp_sink):
    smtp_sink.faults.reject["bad@example.org"] = "550 5.1.1 No such user"
    issue = published_issue(1)
    bad = SubscriberFactory(email="bad@example.org")
    good = [SubscriberFactory(email=f"good{i}@example.org") for i in range(5)]
    d = Dispatch.objects.get(issue=issue, language="en")
    ledger.start(dispatch_id=d.pk)
    worker.send_batch(dispatch_id=d.pk)
    assert all(smtp_sink.per_recipient[s.email] == 1 for s in good)
    failed = Delivery.objects.get(subscriber=bad)
    assert failed.status == "failed" and "550 5.1.1 No such user" in failed.last_error
    bad.refresh_from_db()
    assert bad.status == "bounced" and "550" in bad.bounce_reason
    assert Dispatch.objects.get(pk=d.pk).status == "sent"


def test_temporary_failures_are_retried_with_backoff(smtp_sink, settings):
    settings.NEWSLETTER_RETRY_BASE_SECONDS = 0.01
    smtp_sink.faults.defer["slow@example.org"] = 2
    smtp_sink.faults.close_every = 4
    issue = published_issue(1)
    people = [SubscriberFactory(email=f"p{i}@example.org") for i in range(10)]
    people.append(SubscriberFactory(email="slow@example.org"))
    d = Dispatch.objects.get(issue=issue, language="en")
    ledger.start(dispatch_id=d.pk)  # eager: batches and their retries run inline
    for _ in range(20):
        if Dispatch.objects.get(pk=d.pk).status == "sent":
            break
        time.sleep(0.05)  # let the (tiny) backoff pass
        ledger.sweep()
        worker.send_batch(dispatch_id=d.pk)
    assert Dispatch.objects.get(pk=d.pk).status == "sent"
    assert all(smtp_sink.per_recipient[p.email] == 1 for p in people)
    assert Delivery.objects.get(subscriber=people[-1]).attempts >= 3  # 2 deferrals, then OK
    assert smtp_sink.deferred == 2 and smtp_sink.drops >= 2


def test_gives_up_after_max_attempts(smtp_sink, settings):
    settings.NEWSLETTER_RETRY_BASE_SECONDS = 0.0
    settings.NEWSLETTER_MAX_ATTEMPTS = 3
    smtp_sink.faults.defer["never@example.org"] = 100
    issue = published_issue(1)
    never = SubscriberFactory(email="never@example.org")
    d = Dispatch.objects.get(issue=issue, language="en")
    ledger.start(dispatch_id=d.pk)
    for _ in range(5):
        worker.send_batch(dispatch_id=d.pk)
    delivery = Delivery.objects.get(subscriber=never)
    assert delivery.status == "failed" and "gave up after 3 attempts" in delivery.last_error
    never.refresh_from_db()
    assert never.status == "confirmed"  # temporary trouble is not a bounce
    assert Dispatch.objects.get(pk=d.pk).status == "sent"


def test_stale_claims_are_recovered_by_the_sweeper(settings, django_capture_on_commit_callbacks):
    settings.NEWSLETTER_LEASE_SECONDS = 60
    issue = published_issue(1)
    SubscriberFactory(email="x@example.org")
    d = Dispatch.objects.get(issue=issue, language="en")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(queue, "batches_queue", lambda dispatch_id: None)
        ledger.start(dispatch_id=d.pk)
    ledger.claim_batch(d.pk, 10)  # a worker claims, then dies
    assert Delivery.objects.get().status == "sending"
    assert ledger.sweep()["recovered"] == 0  # the claim is still fresh
    Delivery.objects.update(claimed_at=timezone.now() - datetime.timedelta(seconds=61))
    Dispatch.objects.update(heartbeat_at=timezone.now() - datetime.timedelta(seconds=61))
    with django_capture_on_commit_callbacks(execute=True):  # the beat task is not in a transaction
        result = ledger.sweep()
    assert result["recovered"] == 1 and result["restarted"] == [d.pk]
    assert [m.to for m in mail.outbox] == [["x@example.org"]]
    assert Dispatch.objects.get(pk=d.pk).status == "sent"


def test_pause_resume_cancel(django_capture_on_commit_callbacks):
    issue = published_issue(1)
    user = editor("controller")
    for i in range(3):
        SubscriberFactory(email=f"c{i}@example.org")
    en = Dispatch.objects.get(issue=issue, language="en")
    ru = Dispatch.objects.get(issue=issue, language="ru")
    controls.dispatch_pause(dispatch=en, user=user)
    assert Dispatch.objects.get(pk=en.pk).status == "paused"
    assert scheduling.dispatch_start_due(
        now=timezone.now() + datetime.timedelta(days=8))["started"] == []
    with django_capture_on_commit_callbacks(execute=True):
        controls.dispatch_resume(dispatch=en, user=user)
    assert len(mail.outbox) == 3
    controls.dispatch_cancel(dispatch=ru, user=user)
    with pytest.raises(rules.DispatchError):
        controls.dispatch_cancel(dispatch=ru, user=user)
    with pytest.raises(rules.DispatchError):
        controls.dispatch_send_now(dispatch=ru, user=user)


def test_analyst_cannot_control_dispatches():
    from django.core.exceptions import PermissionDenied

    from tests.factories import analyst

    issue = published_issue(1)
    d = Dispatch.objects.get(issue=issue, language="en")
    for action in (controls.dispatch_send_now, controls.dispatch_pause, controls.dispatch_cancel):
        with pytest.raises(PermissionDenied):
            action(dispatch=d, user=analyst())
    assert Dispatch.objects.get(pk=d.pk).status == "scheduled"


def test_unpublished_issue_cannot_be_sent():
    issue = IssueFactory()
    with pytest.raises(rules.DispatchError, match="not published"):
        scheduling.dispatch_schedule_for_issue(issue_id=issue.pk)
    assert not Dispatch.objects.exists()


def test_test_email_goes_to_the_editor():
    issue = published_issue(1)
    user = editor("tester")
    controls.dispatch_send_test(issue=issue, language="ru", user=user)
    (message,) = mail.outbox
    assert message.to == ["tester@example.org"]
    assert message.subject.startswith("[Test]")


def test_missing_articles_are_listed_per_language():
    issue, _user = make_issue()
    missing = content.missing_articles(issue)
    assert [a.title_en for a in missing["be"]] == ["Potash via Russian ports"]
    assert missing["en"] == [] and missing["ru"] == []


def test_smtp_server_down_costs_nobody_an_attempt(smtp_sink, settings):
    settings.NEWSLETTER_MAX_ATTEMPTS = 2
    settings.NEWSLETTER_RETRY_BASE_SECONDS = 0.01
    issue = published_issue(1)
    people = [SubscriberFactory(email=f"d{i}@example.org") for i in range(4)]
    d = Dispatch.objects.get(issue=issue, language="en")
    ledger.start(dispatch_id=d.pk)
    smtp_sink.stop()  # nothing listens on the port now
    for _ in range(5):
        outcome = worker.send_batch(dispatch_id=d.pk)
        time.sleep(0.05)
    assert outcome["sent"] == 0
    assert set(Delivery.objects.values_list("status", "attempts")) == {("pending", 0)}
    assert "cannot connect" in Delivery.objects.first().last_error
    smtp_sink.start()
    time.sleep(0.05)
    worker.send_batch(dispatch_id=d.pk)
    assert all(smtp_sink.per_recipient[p.email] == 1 for p in people)
    assert Dispatch.objects.get(pk=d.pk).status == "sent"


@pytest.mark.parametrize(
    "error, outcome",
    [
        (type("AnymailRecipientsRefused", (Exception,), {})("no"), "bounce"),
        (type("AnymailAPIError", (Exception,), {"status_code": 422})("bad"), "permanent"),
        (type("AnymailAPIError", (Exception,), {"status_code": 429})("slow"), "temporary"),
        (type("AnymailAPIError", (Exception,), {"status_code": 503})("down"), "temporary"),
        (ConnectionError("reset"), "temporary"),
    ],
)
def test_api_provider_errors_are_sorted(error, outcome):
    from newsletter import sending

    result = sending.classify_backend_error(error)
    if outcome == "temporary":
        assert isinstance(result, sending.TemporaryFailure)
    else:
        assert isinstance(result, sending.PermanentFailure)
        assert result.bounce is (outcome == "bounce")


def test_a_backend_error_is_recorded_not_raised(settings):
    settings.EMAIL_BACKEND = "tests.newsletter.test_dispatch.RefusingBackend"
    issue = published_issue(1)
    SubscriberFactory(email="refused@example.org")
    d = Dispatch.objects.get(issue=issue, language="en")
    ledger.start(dispatch_id=d.pk)
    worker.send_batch(dispatch_id=d.pk)
    delivery = Delivery.objects.get()
    assert delivery.status == "failed" and "refused the recipient" in delivery.last_error
    assert Subscriber.objects.get().status == "bounced"


class RefusingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def open(self):
        return True

    def close(self):
        pass

    def send_messages(self, messages):
        raise type("AnymailRecipientsRefused", (Exception,), {})("all recipients refused")


@pytest.mark.parametrize("status", [s for s, _label in Dispatch.Status.choices])
@pytest.mark.parametrize("started", [False, True])
def test_every_button_the_issue_page_offers_is_accepted(status, started,
                                                       django_capture_on_commit_callbacks):
    """The admin's buttons come from rules.buttons(); each is a control the
    service accepts in that state (no DispatchError)."""
    from newsletter.dispatch import controls, rules

    accepts = {"send_now": controls.dispatch_send_now, "pause": controls.dispatch_pause,
               "resume": controls.dispatch_resume, "cancel": controls.dispatch_cancel}
    user = editor("buttons")
    issue = published_issue(1)
    for action, control in accepts.items():
        Dispatch.objects.filter(issue=issue).delete()
        dispatch = Dispatch.objects.create(
            issue=issue, language="en", scheduled_for=timezone.now(), status=status,
            started_at=timezone.now() if started else None)
        offered = action in rules.buttons(dispatch, failed=0)
        try:
            with django_capture_on_commit_callbacks(execute=False):
                control(dispatch=dispatch, user=user)
        except rules.DispatchError:
            accepted = False
        else:
            accepted = True
        assert not offered or accepted, f"{action} offered for {status} but refused"
