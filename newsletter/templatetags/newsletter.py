from django import template
from django.utils.translation import get_language

from newsletter import consent
from newsletter.languages import newsletter_languages

register = template.Library()


@register.simple_tag
def newsletter_language_choices():
    """The languages the subscribe box offers: [(code, name), ...]."""
    return newsletter_languages()


@register.simple_tag
def consent_text(selected=""):
    """The current consent text in the active language, and its version; and
    for the subscribe box, the text in each newsletter language and the one
    shown first: the `selected` language's (the page's unless a form came back
    with another), or the first one the select offers."""
    codes = [code for code, _name in newsletter_languages()]
    shown = selected if selected in codes else (codes[0] if codes else get_language())
    return {
        "text": consent.text(),
        "version": consent.CURRENT_VERSION,
        "texts": [(code, consent.text(language=code)) for code in codes or [shown]],
        "shown": shown,
    }


# The email's column is 600 px; images are shown at most this wide.
EMAIL_IMAGE_WIDTH = 544


@register.simple_tag(takes_context=True)
def email_image(context, image):
    """An article's lead image in an email: an absolute URL, at most 600 px wide
    (a JPEG or PNG rendition, which every mail client shows), its alt text in
    the email's language."""
    if image is None:
        return ""
    from django.utils.html import format_html

    url, width, height = image.fitting_src(EMAIL_IMAGE_WIDTH)
    return format_html(
        '<img class="lead-image" src="{}" width="{}" height="{}" alt="{}">',
        url, width, height, image.localized("alt", context.get("LANGUAGE_CODE", "")),
    )



@register.simple_tag
def sending_health():
    """The workers, beat and dispatches as /healthz reports them, for the admin's index."""
    from newsletter.dispatch import liveness

    return liveness.report()
