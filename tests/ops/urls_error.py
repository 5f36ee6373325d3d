"""A URLconf with a view that fails, for the logging tests."""

from django.urls import path


def fail(request):
    raise ZeroDivisionError("the failure the test looks for")


urlpatterns = [path("fail/", fail)]
