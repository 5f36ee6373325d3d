"""Every write of the editorial workflow happens here.

Each service is keyword-only, checks the current state and the user's
permission, changes state inside one transaction with the row locked, records
a Transition, and schedules side effects (newsletter, cache) on commit. The
admin, the Celery tasks and the management commands all call these.
"""

import datetime
import logging

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bulletin import periods, signals
from bulletin.errors import UserError
from bulletin.models import Article, Author, Byline, Issue, Transition

log = logging.getLogger(__name__)

REVIEW_PERMISSION = "bulletin.review_article"
PUBLISH_PERMISSION = "bulletin.publish_issue"


class WorkflowError(UserError):
    """A transition that the current state does not allow; the message is for the user."""


def _require(user, permission: str, message: str):
    if user is not None and not user.has_perm(permission):
        raise PermissionDenied(message)


def _status_label(model, status: str) -> str:
    return str(model.Status(status).label)


def _move_article(*, article, user, to, allowed_from, comment="", check=None):
    with transaction.atomic():
        locked = Article.objects.select_for_update().select_related("issue").get(pk=article.pk)
        if locked.status not in allowed_from:
            raise WorkflowError(
                _("“%(title)s” is %(status)s; it cannot be moved to %(target)s.")
                % {
                    "title": locked,
                    "status": _status_label(Article, locked.status).lower(),
                    "target": _status_label(Article, to).lower(),
                }
            )
        if check:
            check(locked)
        values = {"status": to, "updated_at": timezone.now()}
        if to == Article.Status.PUBLISHED:
            values["published_at"] = locked.published_at or timezone.now()
        Article.objects.filter(pk=locked.pk).update(**values)
        Transition.objects.create(
            issue=locked.issue,
            article=locked,
            user=user,
            from_status=locked.status,
            to_status=to,
            comment=comment,
        )
        if locked.status == Article.Status.PUBLISHED or to == Article.Status.PUBLISHED:
            signals.content_changed.send(sender=Article, instance=locked)
    for name, value in values.items():
        setattr(article, name, value)
    return article


def _has_some_language(article):
    if not article.languages:
        raise WorkflowError(
            _("“%(title)s” has no language with a title, lead and body filled in; complete "
              "at least one before submitting.") % {"title": article}
        )


def article_submit(*, article: Article, user, comment: str = "") -> Article:
    """Draft → in review. Anyone who may edit articles (analysts, editors)."""
    _require(user, "bulletin.change_article", _("You may not submit articles."))
    return _move_article(
        article=article,
        user=user,
        to=Article.Status.REVIEW,
        allowed_from={Article.Status.DRAFT},
        comment=comment,
        check=_has_some_language,
    )


def article_return(*, article: Article, user, comment: str) -> Article:
    """In review or approved → draft, with the editor's comment. Editors only."""
    _require(user, REVIEW_PERMISSION, _("Only editors may return articles to draft."))
    if not comment or not comment.strip():
        raise WorkflowError(_("Say why the article goes back to draft: the comment is required."))
    return _move_article(
        article=article,
        user=user,
        to=Article.Status.DRAFT,
        allowed_from={Article.Status.REVIEW, Article.Status.APPROVED},
        comment=comment.strip(),
    )


def article_approve(*, article: Article, user, comment: str = "") -> Article:
    """In review → approved. Editors only."""
    _require(user, REVIEW_PERMISSION, _("Only editors may approve articles."))
    return _move_article(
        article=article,
        user=user,
        to=Article.Status.APPROVED,
        allowed_from={Article.Status.REVIEW},
        comment=comment,
        check=_has_some_language,
    )


def article_publish(*, article: Article, user, comment: str = "") -> Article:
    """Approved → published, for an article approved after its issue went out. Editors only."""
    _require(user, PUBLISH_PERMISSION, _("Only editors may publish."))

    def issue_is_out(locked):
        if locked.issue.status != Issue.Status.PUBLISHED:
            raise WorkflowError(
                _("Publish the issue itself first; its approved articles go out with it.")
            )

    return _move_article(
        article=article,
        user=user,
        to=Article.Status.PUBLISHED,
        allowed_from={Article.Status.APPROVED},
        comment=comment,
        check=issue_is_out,
    )


def article_unpublish(*, article: Article, user, comment: str) -> Article:
    """Published → draft (a correction or a withdrawal), with a comment. Editors only."""
    _require(user, PUBLISH_PERMISSION, _("Only editors may withdraw a published article."))
    if not comment or not comment.strip():
        raise WorkflowError(_("Say why the article is withdrawn: the comment is required."))
    return _move_article(
        article=article,
        user=user,
        to=Article.Status.DRAFT,
        allowed_from={Article.Status.PUBLISHED},
        comment=comment.strip(),
    )


def issue_publish(
    *,
    issue: Issue,
    user,
    at: datetime.datetime | None = None,
    send_now: bool = False,
    newsletter: bool = True,
) -> Issue:
    """Publish an issue now, or schedule it for `at`. Editors only.

    Publishing makes the issue and all its approved articles visible at once;
    articles still in draft or review stay unpublished. Scheduling only records
    the time: `publish_scheduled` (beat, every minute) does the rest when it
    comes. Concurrent calls are serialised on the issue row: one publication.
    `send_now` asks the newsletter to go out at once instead of at the weekly
    time; `newsletter=False` publishes without a newsletter (a back issue).
    """
    _require(user, PUBLISH_PERMISSION, _("Only editors may publish or schedule issues."))
    now = timezone.now()
    if at is not None and at > now:
        return _issue_schedule(issue=issue, user=user, at=at)
    with transaction.atomic():
        locked = Issue.objects.select_for_update().get(pk=issue.pk)
        if locked.status == Issue.Status.PUBLISHED:
            raise WorkflowError(
                _("Issue %(number)s is already published.") % {"number": locked.number}
            )
        _publish_locked(locked, user=user, when=now, send_now=send_now, newsletter=newsletter)
    issue.refresh_from_db()
    return issue


def _issue_schedule(*, issue, user, at):
    # Near the calendar's end the newsletter's times after it (sending, the
    # lateness guard) could not be computed: the same bound as an issue's week.
    if at.date() > periods.LAST_DAY:
        raise WorkflowError(
            _("Choose a publication time before %(year)s.") % {"year": periods.LAST_DAY.year + 1}
        )
    with transaction.atomic():
        locked = Issue.objects.select_for_update().get(pk=issue.pk)
        if locked.status == Issue.Status.PUBLISHED:
            raise WorkflowError(
                _("Issue %(number)s is already published.") % {"number": locked.number}
            )
        if not locked.articles.filter(status=Article.Status.APPROVED).exists():
            raise WorkflowError(_("Issue %(number)s has no approved articles to publish.")
                                % {"number": locked.number})
        Transition.objects.create(
            issue=locked,
            user=user,
            from_status=locked.status,
            to_status=Issue.Status.SCHEDULED,
            comment=_("Scheduled for %(time)s") % {"time": timezone.localtime(at).isoformat()},
        )
        locked.status = Issue.Status.SCHEDULED
        locked.published_at = at
        locked.save(update_fields=["status", "published_at", "updated_at"])
    issue.refresh_from_db()
    return issue


def issue_unschedule(*, issue: Issue, user) -> Issue:
    """Scheduled → draft. Editors only."""
    _require(user, PUBLISH_PERMISSION, _("Only editors may publish or schedule issues."))
    with transaction.atomic():
        locked = Issue.objects.select_for_update().get(pk=issue.pk)
        if locked.status != Issue.Status.SCHEDULED:
            raise WorkflowError(_("Issue %(number)s is not scheduled.") % {"number": locked.number})
        Transition.objects.create(
            issue=locked, user=user, from_status=locked.status, to_status=Issue.Status.DRAFT
        )
        locked.status = Issue.Status.DRAFT
        locked.published_at = None
        locked.save(update_fields=["status", "published_at", "updated_at"])
    issue.refresh_from_db()
    return issue


def _publish_locked(issue: Issue, *, user, when, send_now=False, newsletter=True):
    approved = list(issue.articles.filter(status=Article.Status.APPROVED))
    if not approved:
        raise WorkflowError(_("Issue %(number)s has no approved articles to publish.")
                            % {"number": issue.number})
    Transition.objects.create(
        issue=issue, user=user, from_status=issue.status, to_status=Issue.Status.PUBLISHED
    )
    issue.status = Issue.Status.PUBLISHED
    issue.published_at = when
    issue.save(update_fields=["status", "published_at", "updated_at"])
    Article.objects.filter(pk__in=[a.pk for a in approved]).update(
        status=Article.Status.PUBLISHED, published_at=when, updated_at=timezone.now()
    )
    Transition.objects.bulk_create(
        Transition(
            issue=issue,
            article=article,
            user=user,
            from_status=Article.Status.APPROVED,
            to_status=Article.Status.PUBLISHED,
            at=when,
        )
        for article in approved
    )
    issue_id = issue.pk
    signals.content_changed.send(sender=Issue, instance=issue)
    transaction.on_commit(
        lambda: signals.issue_published.send_robust(
            sender=Issue, issue_id=issue_id, send_now=send_now, newsletter=newsletter
        )
    )
    log.info("issue published number=%s articles=%s", issue.number, len(approved))


def publish_scheduled() -> list[int]:
    """Publish every scheduled issue whose time has come. Safe to run twice or
    concurrently: each issue is re-checked under its row lock."""
    published = []
    for issue_id in Issue.objects.due().values_list("pk", flat=True):
        with transaction.atomic():
            issue = Issue.objects.select_for_update().get(pk=issue_id)
            if issue.status != Issue.Status.SCHEDULED or issue.published_at > timezone.now():
                continue
            try:
                _publish_locked(issue, user=None, when=issue.published_at)
            except WorkflowError as exc:
                # Nothing approved is left (articles were returned after scheduling):
                # back to draft, with the reason in the history, instead of retrying forever.
                Transition.objects.create(
                    issue=issue, from_status=issue.status, to_status=Issue.Status.DRAFT,
                    comment=str(exc),
                )
                issue.status = Issue.Status.DRAFT
                issue.published_at = None
                issue.save(update_fields=["status", "published_at", "updated_at"])
                log.warning("scheduled issue %s not published: %s", issue.number, exc)
                continue
        published.append(issue.number)
    return published


# --- authors -------------------------------------------------------------------


def author_slug(name: str, *, taken=None) -> str:
    """A unique slug for a new author named `name` (its Latin letters, else "author")."""
    from django.utils.text import slugify

    base = slugify(name)[:90] or "author"
    taken = taken if taken is not None else Author.objects
    slug, number = base, 1
    while taken.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def author_get_or_create(*, name: str, **names) -> Author:
    """The author whose English name is `name`, created (with `names`, e.g.
    name_be, name_ru, bio_en) if there is none. Atomic."""
    name = " ".join(name.split())
    with transaction.atomic():
        author = Author.objects.filter(name_en=name).first()
        if author is None:
            author = Author.objects.create(name_en=name, slug=author_slug(name), **names)
    return author


def article_set_authors(*, article: Article, authors: list[Author]) -> None:
    """The byline of `article` becomes `authors`, in that order (repeats once). Atomic."""
    unique = list(dict.fromkeys(authors))
    with transaction.atomic():
        Byline.objects.filter(article=article).delete()
        Byline.objects.bulk_create(
            Byline(article=article, author=author, position=position)
            for position, author in enumerate(unique)
        )
        signals.content_changed.send(sender=Article, instance=article)
