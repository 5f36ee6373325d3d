from django import template

from bulletin.sanitize import plain_text
from newsletter import consent
from newsletter.languages import newsletter_languages

register = template.Library()


@register.simple_tag
def newsletter_language_choices():
    """The languages the subscribe box offers: [(code, name), ...]."""
    return newsletter_languages()


@register.simple_tag
def consent_text():
    """The current consent text in the active language, and its version."""
    return {"text": consent.text(), "version": consent.CURRENT_VERSION}


@register.filter(name="plain_text")
def plain_text_filter(html):
    """Rich text (a sanitised lead) as the words a plain-text email shows: no
    tags, no entities."""
    return plain_text(html)
