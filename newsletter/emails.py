"""Building emails: a subject/text/html template triplet rendered in the
recipient's language, CSS inlined into the HTML (css-inline).

`templates/emails/<name>.subject.txt`, `<name>.txt`, `<name>.html`.
"""

from dataclasses import dataclass

import css_inline
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import override

from newsletter import links
from newsletter.dkim_signature import SignedEmail

_inliner = css_inline.CSSInliner(keep_style_tags=True, load_remote_stylesheets=False)


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str


def inline_css(html: str) -> str:
    # keep_style_tags: media queries (phones, dark mode) cannot be inlined.
    return _inliner.inline(html)


def render_email(name: str, context: dict, language: str) -> RenderedEmail:
    with override(language):
        context = {"SITE_NAME": settings.SITE_NAME, "SITE_URL": settings.SITE_URL,
                   "LANGUAGE_CODE": language, **context}
        subject = " ".join(render_to_string(f"emails/{name}.subject.txt", context).split())
        text = render_to_string(f"emails/{name}.txt", context)
        html = inline_css(render_to_string(f"emails/{name}.html", context))
    return RenderedEmail(subject=subject, text=text, html=html)


def sender(language: str) -> str:
    """The From address, with the language's sender name when one is set."""
    from email.utils import formataddr, parseaddr

    from bulletin.models import Language
    from bulletin.text import breaks_a_header

    name = (
        Language.objects.filter(code=language).values_list("sender_name", flat=True).first()
        or settings.SITE_NAME
    )
    # Refused when saved (Language.clean); a value stored before that rule, or
    # by other means, must still not break every message of the language.
    name = " ".join("".join(" " if breaks_a_header(c) else c for c in name).split())
    return formataddr((name, parseaddr(settings.DEFAULT_FROM_EMAIL)[1]))


def send_to_subscriber(
    subscriber, name: str, context: dict, *, list_headers=True, connection=None
) -> None:
    """Render `name` in the subscriber's language and send it to them (over
    `connection` when given, so a batch reuses one SMTP connection)."""
    rendered = render_email(name, {"subscriber": subscriber, **context}, subscriber.language)
    headers = links.list_unsubscribe_headers(subscriber.pk) if list_headers else {}
    message = SignedEmail(
        subject=rendered.subject,
        body=rendered.text,
        from_email=sender(subscriber.language),
        to=[subscriber.email],
        headers=headers,
        connection=connection,
    )
    message.attach_alternative(rendered.html, "text/html")
    message.send()
