from django import template

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

