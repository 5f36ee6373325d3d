"""Operator's command: send (or schedule) an issue's newsletter. Safe to run twice.

It says, per newsletter language, what it did and, when it did nothing, why:
no article in that language, already sent, cancelled, already sending.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from bulletin.models import Issue
from newsletter.dispatch import content, ledger, scheduling
from newsletter.dispatch.rules import DispatchError
from newsletter.models import Dispatch

WHY_NOT_STARTED = {
    Dispatch.Status.SENT: "nothing done: already sent",
    Dispatch.Status.CANCELLED: "nothing done: cancelled by an editor (re-send it from the admin)",
    Dispatch.Status.SENDING: "nothing done: already sending",
    Dispatch.Status.PAUSED: "nothing done: paused after it started (resume it from the admin)",
}


class Command(BaseCommand):
    help = "Schedule an issue's newsletter (at the weekly time), or send it now with --now."

    def add_arguments(self, parser):
        parser.add_argument("number", type=int, help="issue number")
        parser.add_argument("--language", help="schedule (or send) only this language")
        parser.add_argument("--now", action="store_true", help="send now, not at the weekly time")

    def handle(self, number, language=None, now=False, **options):
        issue = Issue.objects.filter(number=number).first()
        if issue is None:
            raise CommandError(f"There is no issue number {number}.")
        languages = content.newsletter_languages()
        if language and language not in languages:
            raise CommandError(
                f"{language!r} is not a newsletter language (choose from {', '.join(languages)})."
            )
        existing = set(issue.dispatches.values_list("language", flat=True))
        try:
            dispatches = {d.language: d for d in scheduling.dispatch_schedule_for_issue(
                issue_id=issue.pk, languages=[language] if language else None)}
        except DispatchError as exc:
            raise CommandError(str(exc)) from None
        for code in [language] if language else languages:
            dispatch = dispatches.get(code)
            if dispatch is None:
                self.stdout.write(f"{code}: no dispatch: issue {number} has no article in {code}")
                continue
            if now and ledger.start(dispatch_id=dispatch.pk):
                what = "started now"
            elif now:
                dispatch.refresh_from_db()
                what = WHY_NOT_STARTED.get(dispatch.status, "nothing done")
            else:
                what = "already scheduled" if code in existing else "scheduled"
            dispatch.refresh_from_db()
            self.stdout.write(
                f"{code}: {dispatch.get_status_display()}"
                f" (scheduled for {timezone.localtime(dispatch.scheduled_for):%Y-%m-%d %H:%M %Z},"
                f" {dispatch.recipients} recipients): {what}"
            )
