"""Per issue: its articles × languages, each missing, stale, no_alt (an image
without alternative text in that language) or ready."""

from django.conf import settings

from bulletin.models import language_codes

STATES = ("missing", "stale", "ready")


def readiness_matrix(issue):
    codes = language_codes()
    rows = []
    totals = {code: dict.fromkeys(STATES, 0) for code in codes}
    articles = issue.articles.select_related("topic", "lead_image").prefetch_related("images")
    for article in articles.order_by("topic__position", "position"):
        cells = []
        for code in codes:
            state = article.translation_state(code)
            # no_alt (images without alternative text) is counted only where it occurs.
            totals[code][state] = totals[code].get(state, 0) + 1
            cells.append({"language": code, "state": state})
        rows.append({"article": article, "cells": cells})
    return {
        "languages": [(code, dict(settings.LANGUAGES)[code]) for code in codes],
        "rows": rows,
        "totals": [(code, totals[code]) for code in codes],
    }
