"""Every write of the editorial workflow happens here.

Each service is keyword-only, checks the current state and the user's
permission, changes state inside one transaction with the row locked, records
a Transition, and schedules side effects (newsletter, cache) on commit. The
admin, the Celery tasks and the management commands all call these.
"""

import datetime
import logging
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bulletin import periods, revisions, signals
from bulletin.errors import UserError
from bulletin.models import Article, Author, Byline, Image, Issue, Revision, Topic, Transition

log = logging.getLogger(__name__)

REVIEW_PERMISSION = "bulletin.review_article"
PUBLISH_PERMISSION = "bulletin.publish_issue"


class WorkflowError(UserError):
    """A transition that the current state does not allow; the message is for the user."""


class StaleVersion(WorkflowError):
    """The article changed after the page the user acted on was opened."""

    def __init__(self, message, *, seen: int | None, current: int):
        super().__init__(message)
        self.seen, self.current = seen, current


@dataclass
class Conflict:
    """A field this writer changed that someone else changed too since the form opened."""

    field: str
    theirs: object
    mine: object
    user: object
    at: datetime.datetime


class EditConflict(WorkflowError):
    def __init__(self, message, *, conflicts: list[Conflict], seen: int, current: int):
        super().__init__(message)
        self.conflicts, self.seen, self.current = conflicts, seen, current


@dataclass
class Saved:
    """What `article_save` did: the new revision (None when nothing changed), and
    the version the writer has now seen: the new one, unless changes of others
    were merged in that their form never showed them."""

    article: Article
    revision: Revision | None
    seen_version: int
    merged: list[str] = field(default_factory=list)


def _require(user, permission: str, message: str):
    if user is not None and not user.has_perm(permission):
        raise PermissionDenied(message)


def _status_label(model, status: str) -> str:
    return str(model.Status(status).label)


def _form_version(value) -> int | None:
    """A change form's opened-at version; 0 (opened before any revision was
    recorded) is the state that `_baseline` records as revision 1."""
    version = _parse_version(value)
    return 1 if version == 0 else version


def _parse_version(value) -> int | None:
    """A version posted by a form: None when absent; a forged one is refused."""
    if value is None or value == "":
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = -1
    if number < 0:
        raise WorkflowError(_("The page sent a version number that is not one; reload it."))
    return number


def _check_seen(locked, seen_version):
    if seen_version is not None and seen_version != locked.version:
        raise StaleVersion(
            _("“%(title)s” changed after you opened it (you saw version %(seen)s, it is now at "
              "version %(current)s). Read the changes, then try again.")
            % {"title": locked, "seen": seen_version, "current": locked.version},
            seen=seen_version if 0 < seen_version <= locked.version else None,
            current=locked.version,
        )


def article_check_version(*, article: Article, seen_version) -> None:
    """StaleVersion when the article moved on from the version the user saw (None:
    nothing to check). The services check again under the row lock; this lets a
    page refuse before asking for a confirmation."""
    _check_seen(article, _parse_version(seen_version))


def _move_article(*, article, user, to, allowed_from, permission=None, comment="",
                  comment_required=None, check=None, seen_version=None):
    """One step of an article's workflow. `permission` is (permission, refusal);
    `comment_required`, when given, is the message for a missing comment."""
    if permission:
        _require(user, *permission)
    if comment_required:
        if not comment or not comment.strip():
            raise WorkflowError(comment_required)
        comment = comment.strip()
    seen_version = _parse_version(seen_version)
    with transaction.atomic():
        locked = Article.objects.select_for_update().select_related("issue").get(pk=article.pk)
        _check_seen(locked, seen_version)
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
            version=locked.version,
        )
        _announce_move(locked, user=user, to=to, comment=comment)
        if locked.status == Article.Status.PUBLISHED or to == Article.Status.PUBLISHED:
            signals.content_changed.send(sender=Article, instance=locked)
    for name, value in values.items():
        setattr(article, name, value)
    return article


def _announce_move(article, *, user, to, comment=""):
    """signals.article_moved once the transaction commits (the newsletter's staff
    notices listen)."""
    article_id, actor_id = article.pk, getattr(user, "pk", None)
    transaction.on_commit(lambda: signals.article_moved.send_robust(
        sender=Article, article_id=article_id, to=to, actor_id=actor_id, comment=comment))


def _has_some_language(article):
    if not article.languages:
        raise WorkflowError(
            _("“%(title)s” has no language with a title, lead and body filled in; complete "
              "at least one before submitting.") % {"title": article}
        )


def article_submit(*, article: Article, user, comment: str = "", seen_version=None) -> Article:
    """Draft → in review. Anyone who may edit articles (analysts, editors)."""
    return _move_article(
        article=article, user=user, comment=comment, seen_version=seen_version,
        to=Article.Status.REVIEW, allowed_from={Article.Status.DRAFT},
        permission=("bulletin.change_article", _("You may not submit articles.")),
        check=_has_some_language,
    )


def article_may_withdraw(article: Article, user) -> bool:
    """The article's author, or whoever submitted it, may take it back while in review."""
    if user is None or article.status != Article.Status.REVIEW:
        return False
    if article.created_by_id == user.pk:
        return True
    submitted = article.transitions.filter(to_status=Article.Status.REVIEW).first()
    return submitted is not None and submitted.user_id == user.pk


def article_withdraw(*, article: Article, user, comment: str = "",
                     seen_version=None) -> Article:
    """In review → draft, by its author (or submitter) before an editor acts, so
    they can edit it again. Others get PermissionDenied."""
    if not article_may_withdraw(article, user) and article.status == Article.Status.REVIEW:
        raise PermissionDenied(_("Only the article's author may withdraw it from review."))

    def still_theirs(locked):
        if not article_may_withdraw(locked, user):
            raise PermissionDenied(_("Only the article's author may withdraw it from review."))

    return _move_article(
        article=article, user=user, seen_version=seen_version,
        to=Article.Status.DRAFT, allowed_from={Article.Status.REVIEW},
        comment=comment.strip() or _("Withdrawn from review by the author."),
        check=still_theirs,
    )


def article_may_delete(article: Article, user) -> bool:
    """Nothing that was ever published is deleted (links to it were sent).
    Editors (delete_article) delete any other article; whoever may edit
    articles (analysts) deletes their own drafts."""
    if user is None or article.status == Article.Status.PUBLISHED or article.published_at:
        return False
    if user.has_perm("bulletin.delete_article"):
        return True
    return (
        user.has_perm("bulletin.change_article")
        and article.status == Article.Status.DRAFT
        and article.created_by_id == user.pk
    )


def article_delete(*, article: Article, user) -> None:
    """Delete an article that was never published, keeping its workflow history:
    its transitions stay on the issue under the article's title, and the
    deletion itself is recorded. Refused (PermissionDenied) by the rule of
    `article_may_delete`, checked again under the row lock."""
    with transaction.atomic():
        locked = Article.objects.select_for_update().select_related("issue").get(pk=article.pk)
        if not article_may_delete(locked, user):
            raise PermissionDenied(
                _("“%(title)s” cannot be deleted: published articles never are, and analysts "
                  "delete only their own drafts.") % {"title": locked}
            )
        label = str(locked)[:300]
        locked.transitions.update(article_label=label)
        Transition.objects.create(
            issue=locked.issue, article=None, article_label=label, user=user,
            from_status=locked.status, to_status=Transition.DELETED,
        )
        locked.delete()


def article_mark_current(*, article: Article, user, language: str, comment: str = "",
                         seen_version=None) -> Article:
    """A stale translation declared still current (the source's change was
    trivial): its time becomes now, so it is no longer older than the source,
    and the step is recorded with who and when. Whoever may edit the article."""
    _require(user, "bulletin.change_article", _("You may not edit articles."))
    with transaction.atomic():
        locked = Article.objects.select_for_update().select_related("issue").get(pk=article.pk)
        _check_seen(locked, _parse_version(seen_version))
        if (user is not None and locked.status != Article.Status.DRAFT
                and not user.has_perm(REVIEW_PERMISSION)):
            raise PermissionDenied(_("Only editors may change an article once it is submitted."))
        if locked.translation_state(language) != "stale":
            raise WorkflowError(_("The %(language)s translation of “%(title)s” is not stale.")
                                % {"language": language, "title": locked})
        changed = {**locked.text_changed_at, language: timezone.now().isoformat()}
        Article.objects.filter(pk=locked.pk).update(text_changed_at=changed)
        Transition.objects.create(
            issue=locked.issue, article=locked, user=user,
            from_status=locked.status, to_status=locked.status,
            comment=(_("The %(language)s translation was marked still current.")
                     % {"language": language} + (f" {comment.strip()}" if comment.strip() else "")),
        )
    article.text_changed_at = changed
    return article


def article_return(*, article: Article, user, comment: str, seen_version=None) -> Article:
    """In review or approved → draft, with the editor's comment. Editors only."""
    return _move_article(
        article=article, user=user, comment=comment, seen_version=seen_version,
        to=Article.Status.DRAFT, allowed_from={Article.Status.REVIEW, Article.Status.APPROVED},
        permission=(REVIEW_PERMISSION, _("Only editors may return articles to draft.")),
        comment_required=_("Say why the article goes back to draft: the comment is required."),
    )


def article_approve(*, article: Article, user, comment: str = "", seen_version=None) -> Article:
    """In review → approved. Editors only."""
    return _move_article(
        article=article, user=user, comment=comment, seen_version=seen_version,
        to=Article.Status.APPROVED, allowed_from={Article.Status.REVIEW},
        permission=(REVIEW_PERMISSION, _("Only editors may approve articles.")),
        check=_has_some_language,
    )


def article_publish(*, article: Article, user, comment: str = "", seen_version=None) -> Article:
    """Approved → published, for an article approved after its issue went out. Editors only."""

    def issue_is_out(locked):
        if locked.issue.status != Issue.Status.PUBLISHED:
            raise WorkflowError(
                _("Publish the issue itself first; its approved articles go out with it.")
            )

    return _move_article(
        article=article, user=user, comment=comment, seen_version=seen_version,
        to=Article.Status.PUBLISHED, allowed_from={Article.Status.APPROVED},
        permission=(PUBLISH_PERMISSION, _("Only editors may publish.")),
        check=issue_is_out,
    )


def article_unpublish(*, article: Article, user, comment: str, seen_version=None) -> Article:
    """Published → draft (a correction or a withdrawal), with a comment. Editors only."""
    return _move_article(
        article=article, user=user, comment=comment, seen_version=seen_version,
        to=Article.Status.DRAFT, allowed_from={Article.Status.PUBLISHED},
        permission=(PUBLISH_PERMISSION, _("Only editors may withdraw a published article.")),
        comment_required=_("Say why the article is withdrawn: the comment is required."),
    )


def _baseline(locked):
    """Revision 1 for an article created outside `article_save` (fixtures, old
    data): its current state, so the next edit has something to compare with."""
    if locked.version:
        return
    content = revisions.snapshot(locked)
    Revision.objects.create(article=locked, number=1, kind=Revision.Kind.CREATED,
                            content=content, changed=[], at=locked.updated_at or timezone.now())
    locked.version = 1
    locked.text_revisions = dict.fromkeys(locked.languages, 1)
    Article.objects.filter(pk=locked.pk).update(version=1, text_revisions=locked.text_revisions)


def _write(locked, name, value):
    """Give `locked` the revisioned value `value` of field `name` (the byline is
    written at once; the article's own fields when `locked` is saved)."""
    if name == revisions.AUTHORS:
        _write_bylines(locked, value)
    else:
        setattr(locked, revisions.attribute(name), value)


def _write_bylines(article, author_ids):
    """The byline of `article` becomes the authors `author_ids` (those that still
    exist), in that order."""
    existing = set(Author.objects.filter(pk__in=author_ids).values_list("pk", flat=True))
    wanted = [a for a in dict.fromkeys(author_ids) if a in existing]
    rows = {row.author_id: row for row in Byline.objects.filter(article=article)}
    # Rows of authors who stay are kept (a form opened meanwhile still names them).
    Byline.objects.filter(pk__in=[r.pk for a, r in rows.items() if a not in wanted]).delete()
    for position, author_id in enumerate(wanted):
        row = rows.get(author_id)
        if row is None:
            Byline.objects.create(article=article, author_id=author_id, position=position)
        elif row.position != position:
            Byline.objects.filter(pk=row.pk).update(position=position)


def _record(locked, *, user, before, kind, comment=""):
    """Save `locked` and record what differs from `before` as its next revision."""
    after = revisions.snapshot(locked)
    changed = revisions.changed_fields(before, after)
    if not changed:
        return None
    published = locked.status == Article.Status.PUBLISHED
    if published and kind == Revision.Kind.EDITED:
        kind = Revision.Kind.CORRECTED
    locked.version += 1
    locked.text_revisions = {
        **locked.text_revisions,
        **dict.fromkeys(revisions.changed_languages(changed), locked.version),
    }
    if any(name.startswith("correction_note_") and after[name] for name in changed):
        locked.corrected_at = timezone.now()
    locked.save()
    revision = Revision.objects.create(
        article=locked, number=locked.version, kind=kind, user=user, content=after,
        changed=changed, comment=comment,
    )
    if published:
        # A correction is part of the article's public record: who, when, why.
        Transition.objects.create(
            issue=locked.issue, article=locked, user=user, from_status=locked.status,
            to_status=locked.status, comment=comment, version=locked.version,
        )
    return revision


def article_save(*, article: Article, user, base_version=None, comment: str = "") -> Saved:
    """Write an article's content and record a revision of what changed.

    `base_version` is the version the writer's form was opened at. Only the
    fields the writer changed since then are written; what others saved
    meanwhile in other fields is kept. When someone else changed one of the
    same fields to something else, nothing is written and EditConflict names
    the fields, who changed them and when. Without `base_version` (a script)
    every field is written. A change to a published article is a correction:
    it needs `comment` (why) and is recorded as a transition too. Atomic, with
    the article's row locked.
    """
    base_version = _form_version(base_version)
    with transaction.atomic():
        if article.pk is None:
            article.version = 1
            article.save()
            pending = getattr(article, "pending_author_ids", None)
            if pending is not None:
                _write_bylines(article, revisions.normalise(revisions.AUTHORS, pending))
                article.pending_author_ids = None
            content = revisions.snapshot(article)
            changed = [name for name, value in content.items() if value not in ("", None, [])]
            article.text_revisions = dict.fromkeys(revisions.changed_languages(changed), 1)
            Article.objects.filter(pk=article.pk).update(text_revisions=article.text_revisions)
            revision = Revision.objects.create(
                article=article, number=1, kind=Revision.Kind.CREATED, user=user,
                content=content, changed=changed, comment=comment,
            )
            return Saved(article=article, revision=revision, seen_version=1)
        locked = Article.objects.select_for_update().get(pk=article.pk)
        mine = revisions.snapshot(article)
        current, seen, my_changes = _plan(locked, base_version, mine)
        if locked.status == Article.Status.PUBLISHED and my_changes and not comment.strip():
            raise WorkflowError(
                _("This article is published: say what the correction is and why.")
            )
        for name in my_changes:
            _write(locked, name, mine[name])
        article.pending_author_ids = None
        merged = [
            name for name in revisions.revisioned_fields()
            if current[name] != seen[name] and name not in my_changes
        ]
        seen_before = locked.version
        revision = _record(locked, user=user, before=current, kind=Revision.Kind.EDITED,
                           comment=comment.strip())
    article.version = locked.version
    unseen = merged or (base_version is not None and base_version != seen_before)
    return Saved(
        article=locked,
        revision=revision,
        seen_version=base_version if unseen else locked.version,
        merged=merged,
    )


def article_changes(*, article: Article, base_version, values: dict) -> list[str]:
    """The fields `values` (a form's, by field name) would change, as
    `article_save` would judge them: EditConflict when someone else changed one
    of them since `base_version`. Locks the article's row: called inside the
    transaction that then saves, no other save can come between."""
    base_version = _form_version(base_version)
    locked = Article.objects.select_for_update().get(pk=article.pk)
    mine = {**revisions.snapshot(locked), **{
        name: revisions.normalise(name, value) for name, value in values.items()}}
    current, _seen, my_changes = _plan(locked, base_version, mine)
    return [name for name in my_changes if mine[name] != current[name]]


def _plan(locked, base_version, mine):
    """(current content, content the writer saw, fields the writer changed);
    EditConflict when one of those was changed by someone else as well."""
    _baseline(locked)
    current = revisions.snapshot(locked)
    seen = _content_at(locked, base_version, current)
    my_changes, clashing = revisions.merge_plan(
        revisions.revisioned_fields(), seen=seen, current=current, mine=mine)
    if clashing:
        raise _conflict(locked, base_version, clashing, mine, current)
    return current, seen, my_changes


def _content_at(locked, version, current) -> dict:
    """The article's content at `version` (what a form opened then showed)."""
    if version is None or version == locked.version:
        return current
    content = (
        Revision.objects.filter(article=locked, number=version)
        .values_list("content", flat=True)
        .first()
    )
    if content is None:
        raise WorkflowError(
            _("The form was opened at version %(version)s, which this article never had; "
              "reload the page.") % {"version": version}
        )
    # A field added to revisions later is taken as unchanged since then.
    return {**current, **content}


def _conflict(locked, base_version, fields, mine, current) -> EditConflict:
    later = list(
        Revision.objects.filter(article=locked, number__gt=base_version)
        .select_related("user")
        .order_by("-number")
    )
    conflicts = []
    for name in fields:
        last = next((r for r in later if name in r.changed), None)
        conflicts.append(Conflict(
            field=name, theirs=current[name], mine=mine[name],
            user=last.user if last else None, at=last.at if last else None,
        ))
    return EditConflict(
        _("Someone else changed the same fields after you opened this article; nothing was "
          "saved. Your text is still in the form."),
        conflicts=conflicts, seen=base_version, current=locked.version,
    )


def article_restore(*, article: Article, number: int, user) -> Saved:
    """Make revision `number` the article's content again, as a new revision.
    An approved article goes back to review (what was approved is not this
    text); a published one records it as a correction. Editors only."""
    _require(user, REVIEW_PERMISSION, _("Only editors may restore a revision."))
    with transaction.atomic():
        locked = Article.objects.select_for_update().get(pk=article.pk)
        _baseline(locked)
        revision = Revision.objects.filter(article=locked, number=number).first()
        if revision is None:
            raise Revision.DoesNotExist(f"article {locked.pk} has no revision {number}")
        before = revisions.snapshot(locked)
        for name, value in revision.content.items():
            if name == "issue" and not Issue.objects.filter(pk=value).exists():
                continue
            if name == "topic" and not Topic.objects.filter(pk=value).exists():
                continue
            if name == "lead_image" and value and not Image.objects.filter(pk=value).exists():
                continue
            if name in before and name in revisions.revisioned_fields() and value != before[name]:
                _write(locked, name, value)
        comment = _("Restored revision %(number)s.") % {"number": number}
        saved = _record(locked, user=user, before=before, kind=Revision.Kind.RESTORED,
                        comment=comment)
        if saved is None:
            raise WorkflowError(
                _("Revision %(number)s is the current text already; nothing to restore.")
                % {"number": number}
            )
        if locked.status == Article.Status.APPROVED:
            Article.objects.filter(pk=locked.pk).update(status=Article.Status.REVIEW)
            Transition.objects.create(
                issue=locked.issue, article=locked, user=user, from_status=locked.status,
                to_status=Article.Status.REVIEW, comment=comment, version=locked.version,
            )
            locked.status = Article.Status.REVIEW
    return Saved(article=locked, revision=saved, seen_version=locked.version)


def issue_save(*, issue: Issue, user, opened: dict | None = None, check_only=False) -> list:
    """Write an issue's title, summary, number and week, field by field as for
    articles: only what this user changed since `opened` (the form's values
    when it was opened) is written, and a field someone else changed meanwhile
    to something else raises EditConflict, nothing written. Returns the fields
    written. With `check_only`, only locks the row and judges (the admin form
    calls it while validating, inside the transaction that then saves)."""
    with transaction.atomic():
        if issue.pk is None:
            issue.save()
            return revisions.issue_fields()
        locked = Issue.objects.select_for_update().get(pk=issue.pk)
        current = revisions.issue_snapshot(locked)
        mine = revisions.issue_snapshot(issue)
        changed, clashing = revisions.merge_plan(
            revisions.issue_fields(), seen={**current, **(opened or current)},
            current=current, mine=mine)
        if clashing:
            raise EditConflict(
                _("Someone else changed the same fields after you opened this issue; nothing "
                  "was saved. Your text is still in the form."),
                conflicts=[Conflict(field=name, theirs=current[name], mine=mine[name],
                                    user=None, at=locked.updated_at) for name in clashing],
                seen=None, current=None,
            )
        if check_only or not changed:
            return changed
        for name in changed:
            setattr(locked, name, getattr(issue, name))
        locked.save()
        signals.content_changed.send(sender=Issue, instance=locked)
    return changed


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
    # The articles' rows are locked too, and their status read under the lock:
    # an article returned to draft (and edited) while this runs waits for it or
    # is seen as draft, never published as it was approved.
    approved = [
        article for article in issue.articles.select_for_update().filter(
            status=Article.Status.APPROVED
        ).order_by("pk")
        if article.languages
    ]
    if not approved:
        raise WorkflowError(_("Issue %(number)s has no approved articles to publish.")
                            % {"number": issue.number})
    Transition.objects.create(
        issue=issue, user=user, from_status=issue.status, to_status=Issue.Status.PUBLISHED
    )
    issue.status = Issue.Status.PUBLISHED
    issue.published_at = when
    issue.save(update_fields=["status", "published_at", "updated_at"])
    Article.objects.filter(pk__in=[a.pk for a in approved], status=Article.Status.APPROVED).update(
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
    signals.issue_publishing.send_robust(sender=Issue, issue=issue)  # its last change
    transaction.on_commit(
        lambda: signals.issue_published.send_robust(
            sender=Issue, issue_id=issue_id, send_now=send_now, newsletter=newsletter
        )
    )
    # After the commit, what readers wait for (the pre-rendering, the
    # newsletter) is queued first, then the staff notices.
    for article in approved:
        _announce_move(article, user=user, to=Article.Status.PUBLISHED)
    log.info("issue published number=%s articles=%s", issue.number, len(approved))


def issue_publish_scheduled() -> list[int]:
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


def article_set_authors(*, article: Article, authors: list[Author], user=None,
                        comment: str = "") -> Revision | None:
    """The byline of `article` becomes `authors`, in that order (repeats once),
    recorded as a revision naming the authors as changed (None when the byline
    was that already, or when the article has no revisions yet: its first one,
    made when it is first edited, holds the byline). Atomic, with the article's
    row locked."""
    ids = revisions.normalise(revisions.AUTHORS, authors)
    with transaction.atomic():
        locked = Article.objects.select_for_update().get(pk=article.pk)
        if not locked.version:
            _write_bylines(locked, ids)
            signals.content_changed.send(sender=Article, instance=article)
            return None
        before = revisions.snapshot(locked)
        _write_bylines(locked, ids)
        revision = _record(locked, user=user, before=before, kind=Revision.Kind.EDITED,
                           comment=comment.strip())
        article.version = locked.version
        signals.content_changed.send(sender=Article, instance=article)
    return revision
