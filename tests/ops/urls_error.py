"""The project's URLs plus a view that fails, for the logging tests."""

from django.urls import path

from config.urls import urlpatterns as project_urlpatterns


def fail(request):
    raise ZeroDivisionError("the failure the test looks for")


urlpatterns = [path("fail/", fail), *project_urlpatterns]
