"""The site remembers the reader's language: following the language switch to
a page in another language sets the cookie, and / goes there next time; a
cookie with garbage, or a language that is not live, is ignored."""

import pytest
from django.conf import settings

from bulletin.models import Language
from tests.reader_content import sample_site

pytestmark = pytest.mark.django_db
COOKIE = settings.LANGUAGE_COOKIE_NAME


@pytest.fixture
def site():
    return sample_site()


def test_the_switch_remembers_the_language(client, site):
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="en")["Location"] == "/en/"
    response = client.get("/en/issues/1/azerbaijan/")
    assert response.cookies[COOKIE].value == "en"
    # The reader follows the switch to Russian ...
    response = client.get("/ru/issues/1/azerbaijan/")
    assert response.status_code == 200
    assert response.cookies[COOKIE].value == "ru"
    assert response.cookies[COOKIE]["max-age"] == settings.LANGUAGE_COOKIE_AGE
    # ... and / now leads there, whatever the browser says.
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="en")["Location"] == "/ru/"
    # A page in the language already remembered sets nothing again.
    assert COOKIE not in client.get("/ru/").cookies


def test_a_page_from_the_cache_remembers_too(client, site):
    client.get("/be/")  # cached now
    client.cookies.pop(COOKIE)
    client.cookies.pop("csrftoken", None)
    response = client.get("/be/")
    assert response.cookies[COOKIE].value == "be"


@pytest.mark.parametrize(
    "garbage", ["xx", "", "r u", "../../etc", "é" * 50, "zz-ZZ-" * 30, "<script>"])
def test_a_garbage_cookie_is_ignored(client, site, garbage):
    client.cookies[COOKIE] = garbage
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="be")
    assert response.status_code == 302 and response["Location"] == "/be/"
    response = client.get("/be/")
    assert response.status_code == 200 and response.cookies[COOKIE].value == "be"


def test_a_language_switched_off_is_not_remembered(client, site):
    Language.objects.filter(code="be").update(is_live=False)
    client.cookies[COOKIE] = "be"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="ru")["Location"] == "/ru/"
    response = client.get("/be/")
    assert response.status_code == 404 and COOKIE not in response.cookies


def test_errors_and_other_paths_set_no_cookie(client, site):
    assert COOKIE not in client.get("/en/issues/999/").cookies
    assert COOKIE not in client.get("/robots.txt").cookies
