"""Subscriber-facing pages (stubs until the subscription issue builds them)."""

from django.http import Http404


def subscribe(request):
    raise Http404


def confirm(request, token):
    raise Http404


def unsubscribe(request, token):
    raise Http404


def preferences(request, token):
    raise Http404


def one_click_unsubscribe(request, token):
    raise Http404
