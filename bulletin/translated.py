"""The fields each model keeps once per language (`title_en`, `title_be`,
`title_ru`), declared here once: translation.py registers them with
modeltranslation, and the querysets, models, search and admin read them."""

TOPIC_FIELDS = ("name", "description")
ISSUE_FIELDS = ("title", "summary")
ARTICLE_FIELDS = ("title", "lead", "body")
IMAGE_FIELDS = ("alt", "caption", "credit")


def per_language(fields, codes) -> list[str]:
    """("title", "lead"), ("en", "be") → ["title_en", "title_be", "lead_en", "lead_be"]."""
    return [f"{name}_{code}" for name in fields for code in codes]
