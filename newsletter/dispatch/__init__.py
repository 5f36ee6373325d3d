"""Sending an issue: a package with one module per job, imported one way.

    rules       the send permission, which control each state accepts (and so which
                buttons the admin shows), DispatchError; imports only the models
    content     what goes in the email: articles, context, rendering, List-Id, Message-ID
    queue       the only place that queues the newsletter's Celery work (after commit),
                by task name: nothing imports newsletter.tasks
    ledger      the Delivery rows: start (create), claim, mark, release, sweep, finish
    worker      one batch: claim, send over one SMTP connection, record each result
    scheduling  the weekly send time, one dispatch per language, the beat job for what is due
    controls    what editors do, each dispatch_<verb>: schedule, send now, pause, resume,
                cancel, resend, retry the failed, send a test
    reports     per-language progress for the admin

Arrows (A → B: A imports B): tasks → worker, scheduling, ledger …;
controls → scheduling → ledger → queue; worker → ledger; everything →
content, rules. Nothing imports tasks: queue names them, so no import runs
back up. docs/ARCHITECTURE.md draws it.

Import the module you need (`from newsletter.dispatch import ledger`); this
package re-exports nothing.
"""
