"""What the admin shows about an issue's newsletter: per language, the dispatch
and how many of its deliveries are in each state. Reads only."""

from django.conf import settings
from django.db.models import Count

from newsletter.dispatch import content
from newsletter.models import Delivery, Subscriber


def progress(issue) -> list[dict]:
    """Per newsletter language: the dispatch and its counts, for the admin."""
    dispatches = {d.language: d for d in issue.dispatches.all()}
    counts = {
        (row["dispatch__language"], row["status"]): row["n"]
        for row in Delivery.objects.filter(dispatch__issue=issue)
        .values("dispatch__language", "status")
        .annotate(n=Count("pk"))
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
            "percent": round(100 * done / total) if total else 0,
            "missing": missing.get(code, []),
        })
    return rows
