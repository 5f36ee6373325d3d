"""Operator's command: send (or schedule) an issue's newsletter. Safe to run twice."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from bulletin.models import Issue
from newsletter.dispatch import content, ledger, scheduling
from newsletter.dispatch.rules import DispatchError


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
        try:
            dispatches = scheduling.schedule_for_issue(
                issue_id=issue.pk, languages=[language] if language else None
            )
        except DispatchError as exc:
            raise CommandError(str(exc)) from None
        for dispatch in dispatches:
            if now:  # scheduled, or paused for lateness and never started
                ledger.start(dispatch_id=dispatch.pk)
            dispatch.refresh_from_db()
            self.stdout.write(
                f"{dispatch.language}: {dispatch.get_status_display()}"
                f" (scheduled for {timezone.localtime(dispatch.scheduled_for):%Y-%m-%d %H:%M %Z},"
                f" {dispatch.recipients} recipients)"
            )
