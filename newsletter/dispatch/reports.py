"""What the admin shows about an issue's newsletter: per language, the dispatch
and how many of its deliveries are in each state. Reads only.

A settled dispatch (finished or cancelled) shows the counts stored on its row
(ledger.counts_store); only a dispatch whose ledger may still change is
counted from its deliveries, so the lists cost the same whatever the ledger's size.
"""

from django.conf import settings
from django.db.models import Count

from newsletter.dispatch import content, rules
from newsletter.languages import newsletter_language_codes
from newsletter.models import Delivery, DeliveryEvent, Subscriber

STATES = tuple(Delivery.Status.values)
AFTER = ("delivered", "bounced", "complained")
STORED = ("pending", "sent", "failed", "skipped", *AFTER)


def ledger_counts(dispatch_ids) -> dict[int, dict]:
    """Counted from the ledger: per dispatch, deliveries per state and per kind
    of later event (each delivery counted once per kind). Two queries."""
    counts = {pk: dict.fromkeys((*STATES, *AFTER), 0) for pk in dispatch_ids}
    if not counts:
        return counts
    for row in (Delivery.objects.filter(dispatch_id__in=counts)
                .values("dispatch_id", "status").annotate(n=Count("pk")).order_by()):
        counts[row["dispatch_id"]][row["status"]] = row["n"]
    for row in (DeliveryEvent.objects.filter(delivery__dispatch_id__in=counts, kind__in=AFTER)
                .values("delivery__dispatch_id", "kind")
                .annotate(n=Count("delivery", distinct=True)).order_by()):
        counts[row["delivery__dispatch_id"]][row["kind"]] = row["n"]
    return counts


def dispatch_counts(dispatches) -> dict[int, dict]:
    """Per dispatch: the stored counts when settled, zeros before it started,
    the ledger counted live otherwise (the running few)."""
    live = [d.pk for d in dispatches if d.started_at and d.counted_at is None]
    counts = ledger_counts(live)
    for dispatch in dispatches:
        if dispatch.pk not in counts:
            counts[dispatch.pk] = {
                **dict.fromkeys((*STATES, *AFTER), 0),
                **{name: getattr(dispatch, f"{name}_count") for name in STORED},
            }
    return counts


def progress(issue) -> list[dict]:
    """Per newsletter language: the dispatch and its counts, for the admin."""
    dispatches = {d.language: d for d in issue.dispatches.all()}
    counts = dispatch_counts(list(dispatches.values()))
    confirmed = dict(
        Subscriber.objects.confirmed().values_list("language").annotate(n=Count("pk"))
    )
    missing = content.missing_articles(issue)
    with_articles = content.languages_with_articles(issue, preview=True)
    rows = []
    empty = dict.fromkeys((*STATES, *AFTER), 0)
    for code in newsletter_language_codes():
        dispatch = dispatches.get(code)
        tally = counts[dispatch.pk] if dispatch else empty
        state = {s: tally[s] for s in STATES}
        total = sum(state.values())
        done = state["sent"] + state["failed"] + state["skipped"]
        rows.append({
            "language": code,
            "language_name": dict(settings.LANGUAGES)[code],
            "dispatch": dispatch,
            "recipients": total if dispatch and dispatch.started_at else confirmed.get(code, 0),
            "counts": state,
            "after": {kind: tally[kind] for kind in AFTER},
            "percent": round(100 * done / total) if total else 0,
            "missing": missing.get(code, []),
            "has_articles": code in with_articles,
            "stale": content.stale_articles(issue, code),
            "buttons": rules.buttons(dispatch, failed=state["failed"]),
        })
    return rows

