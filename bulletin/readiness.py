"""Per issue: its articles × languages, each missing, stale or ready."""

from django.conf import settings

from bulletin.models import language_codes
from bulletin.revisions import stale_diff_url

STATES = ("missing", "stale", "ready")


def readiness_matrix(issue):
    codes = language_codes()
    rows = []
    totals = {code: dict.fromkeys(STATES, 0) for code in codes}
    for article in issue.articles.select_related("topic").order_by("topic__position", "position"):
        cells = []
        for code in codes:
            state = article.translation_state(code)
            totals[code][state] += 1
            cells.append({
                "language": code, "state": state,
                "diff_url": stale_diff_url(article, code) if state == "stale" else None,
            })
        rows.append({"article": article, "cells": cells})
    return {
        "languages": [(code, dict(settings.LANGUAGES)[code]) for code in codes],
        "rows": rows,
        "totals": [(code, totals[code]) for code in codes],
    }
