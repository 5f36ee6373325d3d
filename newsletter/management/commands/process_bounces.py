"""Read bounce and complaint reports (DSNs, ARF) and record what they say.

    manage.py process_bounces              # one message on standard input (an MTA pipe)
    manage.py process_bounces a.eml b.eml  # files, one message each
    manage.py process_bounces --mailbox    # every message in BOUNCE_MAILBOX_URL

For Postfix, a pipe transport for the bounce domain, e.g. in master.cf:
    bulletin unix - n n - - pipe user=bulletin argv=/srv/bulletin/.venv/bin/python
      /srv/bulletin/manage.py process_bounces
It exits 0 for a message that is not a report (the MTA must not bounce the bounce).
"""

import sys

from django.core.management.base import BaseCommand, CommandError

from newsletter import mailbox, reports


class Command(BaseCommand):
    help = "Record bounces and complaints from DSN/ARF messages on stdin, in files or in IMAP."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", help="message files ('-' for standard input)")
        parser.add_argument("--mailbox", action="store_true", dest="from_mailbox",
                            help="read every message in BOUNCE_MAILBOX_URL, deleting each "
                                 "once it is recorded")

    def handle(self, *args, files, from_mailbox: bool, **options):
        if from_mailbox:
            try:
                counts = mailbox.mailbox_process()
            except mailbox.MailboxUnavailable as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write("mailbox: {processed} recorded, {ignored} ignored, "
                              "{failed} left for the next round".format(**counts))
            return
        for name in files or ["-"]:
            if name == "-":
                raw = sys.stdin.buffer.read()
            else:
                try:
                    with open(name, "rb") as handle:
                        raw = handle.read()
                except OSError as exc:
                    raise CommandError(f"cannot read {name}: {exc.strerror}") from exc
            reading = reports.report_record(raw)
            label = "stdin" if name == "-" else name
            if reading.ignored:
                self.stdout.write(f"{label}: ignored ({reading.ignored})")
            for report in reading.reports:
                self.stdout.write(f"{label}: {report.kind} {report.recipient or ''}".rstrip())
