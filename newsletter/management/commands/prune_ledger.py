"""Delete per-recipient delivery rows past the ledger's retention (docs/SENDING.md).

    manage.py prune_ledger                 # NEWSLETTER_LEDGER_RETENTION_DAYS (13 months)
    manage.py prune_ledger --days 400 --batch-size 10000

Beat runs the same once a day (newsletter.tasks.prune_ledger).
"""

from django.core.management.base import BaseCommand, CommandError

from newsletter.dispatch import retention


class Command(BaseCommand):
    help = "Delete delivery rows of dispatches finished longer ago than the retention period."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None,
                            help="keep rows this many days after their dispatch finished")
        parser.add_argument("--batch-size", type=int, default=5000,
                            help="rows deleted per transaction")

    def handle(self, *args, days, batch_size, **options):
        if (days is not None and days < 0) or batch_size < 1:
            raise CommandError("--days must be 0 or more and --batch-size at least 1.")
        result = retention.deliveries_prune(days=days, batch_size=batch_size)
        self.stdout.write("deleted {deleted} deliveries of {dispatches} dispatches".format(
            **result))
