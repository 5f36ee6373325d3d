"""What the admin shows about an issue's newsletter: per language, the dispatch
and how many of its deliveries are in each state. Reads only."""

from django.conf import settings
from django.db.models import Count

from newsletter.dispatch import content, rules
from newsletter.models import Delivery, DeliveryEvent, Subscriber


def progress(issue) -> list[dict]:
    """Per newsletter language: the dispatch and its counts, for the admin."""
    dispatches = {d.language: d for d in issue.dispatches.all()}
    counts = {
        (row["dispatch__language"], row["status"]): row["n"]
        for row in Delivery.objects.filter(dispatch__issue=issue)
        .values("dispatch__language", "status")
        .annotate(n=Count("pk"))
    }
    # After the send: deliveries that providers or reports said were delivered,
    # bounced or complained of (each delivery counted once per kind).
    after = {
        (row["delivery__dispatch__language"], row["kind"]): row["n"]
        for row in DeliveryEvent.objects.filter(
            delivery__dispatch__issue=issue,
            kind__in=[DeliveryEvent.Kind.DELIVERED, DeliveryEvent.Kind.BOUNCED,
                      DeliveryEvent.Kind.COMPLAINED],
        ).values("delivery__dispatch__language", "kind").annotate(
            n=Count("delivery", distinct=True)).order_by()
    }
    confirmed = dict(
        Subscriber.objects.confirmed().values_list("language").annotate(n=Count("pk"))
    )
    missing = content.missing_articles(issue)
    rows = []
    for code in content.newsletter_languages():
        state = {s: counts.get((code, s), 0) for s in Delivery.Status.values}
        dispatch = dispatches.get(code)
        total = sum(state.values())
        done = state["sent"] + state["failed"] + state["skipped"]
        rows.append({
            "language": code,
            "language_name": dict(settings.LANGUAGES)[code],
            "dispatch": dispatch,
            "recipients": total if dispatch and dispatch.started_at else confirmed.get(code, 0),
            "counts": state,
            "after": {kind: after.get((code, kind), 0)
                      for kind in ("delivered", "bounced", "complained")},
            "percent": round(100 * done / total) if total else 0,
            "missing": missing.get(code, []),
            "buttons": rules.buttons(dispatch, failed=state["failed"]),
        })
    return rows
