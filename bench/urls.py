"""Bulletin's URLs plus the framework's floor: a minimal view through the same
middleware, server and settings as the reader pages."""

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as bulletin_urlpatterns

FLOOR_BODY = b"<!doctype html><title>floor</title><p>Hello, reader.</p>"


def floor(request):
    return HttpResponse(FLOOR_BODY)


urlpatterns = [path("bench/floor/", floor, name="bench_floor"), *bulletin_urlpatterns]
