"""Sending an issue: a package with one module per job, imported one way.

    rules       the send permission, which control each state accepts (and so which
                buttons the admin shows), DispatchError; imports only the models
    content     what goes in the email: articles, context, rendering, List-Id, Message-ID
    queue       the only place that queues Celery work (after commit); the only importer
                of newsletter.tasks
    ledger      the Delivery rows: start (create), claim, mark, release, sweep, finish
    worker      one batch: claim, send over one SMTP connection, record each result
    scheduling  the weekly send time, one dispatch per language, the beat job for what is due
    controls    what editors do: schedule, send now, pause, resume, cancel, retry, test
    reports     per-language progress for the admin

Arrows (A → B: A imports B): controls → scheduling → ledger → queue → tasks;
worker → ledger; everything → content, rules. A task's body imports the
module it calls, so no import runs back up. docs/ARCHITECTURE.md draws it.

The names below are the old single-module names, re-exported while callers
move to the modules; new code imports the module it needs.
"""

from newsletter.dispatch.content import (  # noqa: F401
    email_context,
    issue_articles,
    list_id,
    message_id,
    missing_articles,
    newsletter_languages,
    render_issue_email,
    web_version_url,
)
from newsletter.dispatch.controls import (  # noqa: F401
    cancel,
    pause,
    resume,
    retry_failed,
    send_now,
    send_test,
)
from newsletter.dispatch.ledger import claim_batch, finish_if_done, start, sweep  # noqa: F401
from newsletter.dispatch.reports import progress  # noqa: F401
from newsletter.dispatch.rules import SEND_PERMISSION, DispatchError  # noqa: F401
from newsletter.dispatch.scheduling import (  # noqa: F401
    on_issue_published,
    schedule_for_issue,
    start_due_dispatches,
)
from newsletter.dispatch.worker import send_batch  # noqa: F401
