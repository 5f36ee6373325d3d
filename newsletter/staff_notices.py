"""Telling staff when work waits for them: one email per person, in their own
language (their bulletin.StaffProfile), sent by a Celery task after the change
commits (queued by newsletter/dispatch/queue.py). The newsletter owns email, so
it owns these too: bulletin only says what happened (`bulletin.signals.article_moved`).

Who hears what: an article submitted for review → Editors; returned,
approved or published → the people who wrote it (its creator and everyone
who saved a revision of it); a newsletter send paused by the lateness guard,
finished with failures, or stopped by the failure threshold → Editors.
Nobody hears of their own action, and each person can turn each kind off
(StaffProfile.muted).
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse

from bulletin.models import Article, Revision, StaffProfile
from bulletin.roles import EDITORS
from newsletter.emails import render_email, sender
from newsletter.models import Dispatch

log = logging.getLogger(__name__)
Notice = StaffProfile.Notice

_ARTICLE_NOTICES = {
    Article.Status.REVIEW: Notice.SUBMITTED,
    Article.Status.DRAFT: Notice.RETURNED,
    Article.Status.APPROVED: Notice.APPROVED,
    Article.Status.PUBLISHED: Notice.PUBLISHED,
}


def on_article_moved(sender, article_id, to, actor_id=None, comment="", **kwargs):
    """bulletin.signals.article_moved (after commit): queue the notice the move calls for."""
    from newsletter.dispatch import queue

    notice = _ARTICLE_NOTICES.get(to)
    if notice == Notice.RETURNED and not comment:
        return
    if notice:
        queue.staff_notice_queue(notice, article_id=article_id, actor_id=actor_id,
                                 comment=comment)


def _editors():
    return get_user_model().objects.filter(
        is_active=True, is_staff=True, groups__name=EDITORS
    ).distinct()


def _writers(article):
    ids = set(Revision.objects.filter(article=article).exclude(
        kind=Revision.Kind.RESTORED).values_list("user_id", flat=True))
    ids.add(article.created_by_id)
    return get_user_model().objects.filter(pk__in=ids - {None}, is_active=True)


def recipients(notice: str, *, article=None, actor_id=None):
    people = _editors() if notice in (
        Notice.SUBMITTED, Notice.DISPATCH_PAUSED, Notice.DISPATCH_FAILED, Notice.DISPATCH_STOPPED
    ) else _writers(article)
    wanted = []
    for person in people.exclude(pk=actor_id).select_related("staff_profile").order_by("pk"):
        profile = getattr(person, "staff_profile", None) or StaffProfile(user=person)
        if not profile.wants(notice):
            continue
        if not person.email:
            log.warning("staff notice %s not sent to %s: no email address", notice, person)
            continue
        wanted.append((person, profile.language))
    return wanted


def notice_send(notice: str, *, article_id=None, dispatch_id=None, actor_id=None,
                comment: str = "") -> int:
    """Send `notice` to everyone who should hear of it; returns how many were sent.
    A vanished article or dispatch sends nothing."""
    context = {"notice": notice, "comment": comment}
    article = dispatch = None
    if article_id is not None:
        article = Article.objects.select_related("issue").filter(pk=article_id).first()
        if article is None:
            return 0
        context["url"] = settings.SITE_URL + reverse(
            "admin:bulletin_article_change", args=[article.pk])
    if dispatch_id is not None:
        dispatch = Dispatch.objects.select_related("issue").filter(pk=dispatch_id).first()
        if dispatch is None:
            return 0
        context.update(dispatch=dispatch, url=settings.SITE_URL + reverse(
            "admin:newsletter_dispatch_change", args=[dispatch.pk]))
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    context["actor"] = actor.get_full_name() or actor.get_username() if actor else ""
    context["preferences_url"] = settings.SITE_URL + reverse("staff_preferences")
    sent = 0
    for person, language in recipients(notice, article=article, actor_id=actor_id):
        if article is not None:
            context["title"] = article.localized("title", language) or str(article)
        rendered = render_email("staff_notice", {**context, "person": person}, language)
        message = EmailMultiAlternatives(
            subject=rendered.subject, body=rendered.text, from_email=sender(language),
            to=[person.email],
        )
        message.attach_alternative(rendered.html, "text/html")
        message.send()
        sent += 1
    return sent
