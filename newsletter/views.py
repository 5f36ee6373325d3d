"""Subscriber-facing pages: subscribe, confirm, unsubscribe (and RFC 8058
one-click), preferences and the subscriber's own data.

CSRF. None of these endpoints relies on Django's per-visitor CSRF token:
- subscribe: the box sits on reader pages that are cached and shared between
  visitors, so it cannot carry a per-visitor token. A forged POST can do no
  more than what anyone can do by typing an address into the box: ask for a
  confirmation email, which is rate limited per IP and per address, sent at
  most once per few minutes per address, and subscribes nobody until the
  mailbox owner confirms (double opt-in). What a forged cross-site POST could
  add is spreading that over many visitors' IP addresses, so a POST whose
  Origin (or, lacking it, Referer) names another site is refused (403).
  Requests with neither header are not from a browser form on another site.
- confirm, unsubscribe, preferences: authenticated by the signed token in the
  URL alone. A forger would need that token, and whoever has it can POST
  directly, so a CSRF token adds nothing, while it would stop people whose
  browser or mail app blocks cookies from confirming or leaving. The same
  Origin check applies as defence in depth.
- one-click (RFC 8058): the mail provider POSTs from its servers, without
  cookies or Origin; the token is the whole authentication.

Confirming: a GET only shows a page with a "Confirm" button, and the POST it
sends confirms. Mail security scanners (Outlook Safe Links, corporate
gateways) fetch every link in a message; a GET that confirmed would let them
subscribe people who never clicked, which is what double opt-in exists to
prevent. Likewise a GET never unsubscribes.

Bad links: tampered or malformed → 400, expired → 410, a subscriber who no
longer exists (erased) → 404, a confirmation link for someone who has left
since → 410; each its own page with a way to subscribe again.
"""

import ipaddress
import logging
from functools import wraps
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language, override
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from newsletter import exports, ratelimit, services, tokens
from newsletter.consent import Consent
from newsletter.consent import text as consent_text
from newsletter.forms import HONEYPOT_FIELD, LanguageForm, SubscribeForm
from newsletter.models import Subscriber

log = logging.getLogger(__name__)

LINK_PROBLEM_STATUS = {"invalid": 400, "expired": 410, "unknown": 404, "superseded": 410}


class LinkProblem(Exception):
    def __init__(self, kind: str):
        super().__init__(kind)
        self.kind = kind


def _link_problem(request, kind: str, purpose: str):
    return render(
        request, "newsletter/link_problem.html", {"kind": kind, "purpose": purpose},
        status=LINK_PROBLEM_STATUS[kind],
    )


def _subscriber_from(token: str, purpose: str) -> Subscriber:
    try:
        subscriber_id = tokens.read_token(token, purpose)
    except tokens.TokenError as exc:
        raise LinkProblem(exc.reason) from None
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None:
        raise LinkProblem("unknown")
    return subscriber


def _signed_link(purpose: str):
    """Calls the view with the subscriber the link's signed token names, or
    answers with the page that says what is wrong with the link."""
    def decorate(view):
        @wraps(view)
        def with_subscriber(request, token):
            try:
                subscriber = _subscriber_from(token, purpose)
            except LinkProblem as problem:
                return _link_problem(request, problem.kind, purpose)
            return view(request, token, subscriber)
        return with_subscriber
    return decorate


def _origin_allowed(request) -> bool:
    """False for a POST that a browser sent from a page on another site."""
    origin = request.headers.get("Origin")
    if origin is None:
        referer = request.headers.get("Referer")
        if not referer:
            return True
        parts = urlsplit(referer)
        origin = f"{parts.scheme}://{parts.netloc}"
    allowed = {
        f"{request.scheme}://{request.get_host()}",
        settings.SITE_URL,
        *(o.rstrip("/") for o in settings.CSRF_TRUSTED_ORIGINS),
    }
    return origin.rstrip("/") in allowed


def _forbidden(request):
    return render(request, "newsletter/forbidden.html", status=403)


def _see_other(url: str):
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


# --- subscribing ---------------------------------------------------------------


def _subscribe_page(request, form=None, status=200):
    return render(request, "newsletter/subscribe.html", {"subscribe_form": form}, status=status)


def _check_inbox(request):
    # The same bytes whatever happened behind it (new, pending, confirmed,
    # unsubscribed, honeypot, flood limit): nobody can learn who is on the list.
    return render(request, "newsletter/check_inbox.html")


def _rate_limited(request):
    response = render(request, "newsletter/rate_limited.html", status=429)
    response["Retry-After"] = "3600"
    return response


def _consent_from(request, form) -> Consent:
    ip = ratelimit.client_ip(request)
    try:
        ipaddress.ip_address(ip)
    except ValueError:
        ip = None
    path = form.cleaned_data["source"] or urlsplit(request.headers.get("Referer", "")).path
    version = form.cleaned_data["consent_version"]
    # Recorded in the language the subscriber chose: the box shows that
    # language's text (newsletter/consent.py). Which language the page showed
    # is recorded too (a form from an older page says nothing: its page's
    # language). The confirmation email repeats the same words.
    return Consent(
        source=settings.SITE_URL + (path or request.path),
        text=consent_text(version, language=form.cleaned_data["language"]),
        version=version,
        ip=ip,
        user_agent=request.headers.get("User-Agent", "")[:500],
        shown_language=form.cleaned_data["consent_shown"] or get_language(),
    )


@csrf_exempt  # see the module docstring: the box is on cached, shared pages
@require_http_methods(["GET", "HEAD", "POST"])
def subscribe(request):
    """GET: a page with the subscribe box. POST: what the box sends."""
    if request.method != "POST":
        return _subscribe_page(request)
    if not _origin_allowed(request):
        return _forbidden(request)
    if not ratelimit.hit(
        "subscribe-ip", ratelimit.ip_identity(ratelimit.client_ip(request)),
        settings.NEWSLETTER_SUBSCRIBE_RATE_PER_IP,
    ):
        return _rate_limited(request)
    if request.POST.get(HONEYPOT_FIELD):
        log.info("subscribe: honeypot filled, ignored")
        return _check_inbox(request)
    form = SubscribeForm(request.POST)
    if not form.is_valid():
        return _subscribe_page(request, form, status=400)
    email = form.cleaned_data["email"]
    if not ratelimit.hit(
        "subscribe-address", ratelimit.mailbox_identity(email),
        settings.NEWSLETTER_SUBSCRIBE_RATE_PER_ADDRESS,
    ):
        return _rate_limited(request)
    try:
        services.subscriber_subscribe(
            email=email, language=form.cleaned_data["language"],
            consent=_consent_from(request, form),
        )
    except services.SubscriptionError as exc:  # the languages changed under the form
        form.add_error(None, str(exc))
        return _subscribe_page(request, form, status=400)
    return _check_inbox(request)


# --- confirming -----------------------------------------------------------------


@csrf_exempt  # token-authenticated: see the module docstring
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token):
    """GET: a page with the "Confirm" button, if this link is the one that
    counts (the latest request's; services.confirmation_current). POST: confirmed."""
    try:
        link = tokens.read_link(token, tokens.CONFIRM)
    except tokens.TokenError as exc:
        return _link_problem(request, exc.reason, "confirm")
    subscriber = Subscriber.objects.filter(pk=link.subscriber_id).first()
    if subscriber is None:
        return _link_problem(request, "unknown", "confirm")
    if request.method == "POST":
        if not _origin_allowed(request):
            return _forbidden(request)
        try:
            services.subscriber_confirm(subscriber_id=subscriber.pk, nonce=link.nonce)
        except services.SubscriberNotFound:
            return _link_problem(request, "unknown", "confirm")
        except services.LinkSuperseded:
            return _link_problem(request, "superseded", "confirm")
        return _see_other(request.path)
    if subscriber.status == Subscriber.Status.CONFIRMED:
        return render(request, "newsletter/confirmed.html", {
            "preferences_url": _preferences_path(subscriber)})
    if not services.confirmation_current(subscriber, link.nonce):
        return _link_problem(request, "superseded", "confirm")
    return render(request, "newsletter/confirm.html", {"subscriber": subscriber})


def _preferences_path(subscriber) -> str:
    token = tokens.make_token(subscriber.pk, tokens.PREFERENCES)
    return reverse("newsletter:preferences", kwargs={"token": token})


# --- leaving ----------------------------------------------------------------------


@csrf_exempt  # token-authenticated: see the module docstring
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@_signed_link(tokens.UNSUBSCRIBE)
def unsubscribe(request, token, subscriber):
    """GET: one button. POST: unsubscribed (idempotent)."""
    if request.method == "POST":
        if not _origin_allowed(request):
            return _forbidden(request)
        try:
            services.subscriber_unsubscribe(subscriber_id=subscriber.pk)
        except services.SubscriberNotFound:
            return _link_problem(request, "unknown", "unsubscribe")
        return render(request, "newsletter/unsubscribed.html")
    if subscriber.status == Subscriber.Status.UNSUBSCRIBED:
        return render(request, "newsletter/unsubscribed.html")
    return render(request, "newsletter/unsubscribe.html", {
        "subscriber": subscriber, "preferences_url": _preferences_path(subscriber)})


@csrf_exempt  # RFC 8058: mail providers POST without cookies; the token is the authentication
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def one_click_unsubscribe(request, token):
    """POST (RFC 8058 "List-Unsubscribe=One-Click"): unsubscribes, idempotently,
    200 with a short body. GET/HEAD never unsubscribe: they lead to the page with
    the button, in the subscriber's language."""
    if request.method == "POST":
        try:
            subscriber_id = tokens.read_token(token, tokens.UNSUBSCRIBE)
        except tokens.TokenError:
            return HttpResponse("Invalid unsubscribe link.\n", status=400,
                                content_type="text/plain; charset=utf-8")
        try:
            services.subscriber_unsubscribe(subscriber_id=subscriber_id)
        except services.SubscriberNotFound:
            return HttpResponse("Unknown subscriber.\n", status=404,
                                content_type="text/plain; charset=utf-8")
        return HttpResponse("Unsubscribed.\n", content_type="text/plain; charset=utf-8")
    language = get_language()
    try:
        subscriber_id = tokens.read_token(token, tokens.UNSUBSCRIBE)
        language = (
            Subscriber.objects.filter(pk=subscriber_id).values_list("language", flat=True).first()
            or language
        )
    except tokens.TokenError:
        pass  # the page we lead to explains what is wrong with the link
    with override(language):
        return HttpResponseRedirect(reverse("newsletter:unsubscribe", kwargs={"token": token}))


# --- preferences and data --------------------------------------------------------


@csrf_exempt  # token-authenticated: see the module docstring
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@_signed_link(tokens.PREFERENCES)
def preferences(request, token, subscriber):
    """Change the newsletter's language, unsubscribe, or download one's data."""
    form = LanguageForm(initial={"language": subscriber.language})
    status = 200
    if request.method == "POST":
        if not _origin_allowed(request):
            return _forbidden(request)
        action = request.POST.get("action")
        try:
            if action == "unsubscribe":
                services.subscriber_unsubscribe(subscriber_id=subscriber.pk)
                return render(request, "newsletter/unsubscribed.html")
            if action == "language":
                form = LanguageForm(request.POST)
                if form.is_valid():
                    subscriber = services.subscriber_change_language(
                        subscriber_id=subscriber.pk, language=form.cleaned_data["language"]
                    )
                    # Show the page again in the language just chosen.
                    with override(subscriber.language):
                        url = reverse("newsletter:preferences", kwargs={"token": token})
                    return _see_other(url + "?saved=1")
            status = 400
        except services.SubscriberNotFound:
            return _link_problem(request, "unknown", "preferences")
        except services.SubscriptionError as exc:
            form.add_error("language", str(exc))
            status = 400
    return render(request, "newsletter/preferences.html", {
        "subscriber": subscriber,
        "form": form,
        "saved": request.GET.get("saved") == "1" and request.method == "GET",
        "bad_action": status == 400 and request.POST.get("action") not in ("language",),
        "data_url": reverse("newsletter:data", kwargs={"token": token}),
    }, status=status)


@never_cache
@require_GET
@_signed_link(tokens.PREFERENCES)
def personal_data(request, token, subscriber):
    """Everything we hold about the subscriber, as a JSON download (GDPR Art. 15, 20)."""
    response = JsonResponse(
        exports.personal_data(subscriber),
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )
    response["Content-Disposition"] = 'attachment; filename="newsletter-subscription.json"'
    return response
