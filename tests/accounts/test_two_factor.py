"""Two-factor authentication for staff: optional per account, required per
group; a login then needs the authenticator's current code, and wrong codes
count towards the lockout."""

import re

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from bulletin import roles
from tests.accounts.helpers import code, login
from tests.factories import analyst, editor

pytestmark = pytest.mark.django_db

SETUP = "/admin/two-factor/"


@pytest.fixture(autouse=True)
def no_throttle(settings):
    # django-otp slows retries after a wrong code (seconds); these tests retry at once.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def enable_two_factor(client, user):
    """As the person does: open the page, scan, type the code the app shows."""
    client.force_login(user)
    page = client.get(SETUP)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'src="data:image/svg+xml;base64,' in html
    secret = re.search(r'<code id="otp-secret">([A-Z2-7]+)</code>', html)[1]
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert len(secret) >= 32
    wrong = client.post(SETUP, {"otp_token": "000000" if code(device) != "000000" else "111111"})
    assert wrong.status_code == 400 and "does not match" in wrong.content.decode()
    response = client.post(SETUP, {"otp_token": code(device)}, follow=True)
    assert "Two-factor authentication is on" in response.content.decode()
    device.refresh_from_db()
    assert device.confirmed
    client.logout()
    return device


def test_an_account_with_two_factor_needs_the_code_to_log_in(client):
    user = editor()
    device = enable_two_factor(client, user)
    response = login(client, "editor", "pw")
    assert response.status_code == 200
    assert "This account uses two-factor authentication" in response.content.decode()
    response = login(client, "editor", "pw", code="12345x")
    assert "That code is not valid" in response.content.decode()
    assert "_auth_user_id" not in client.session
    response = login(client, "editor", "wrong-password", code=code(device, ahead=1))
    assert "correct username and password" in response.content.decode()
    response = login(client, "editor", "pw", code=code(device, ahead=1))
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    # The same code cannot be used twice.
    client.logout()
    response = login(client, "editor", "pw", code=code(device, ahead=1))
    assert "That code is not valid" in response.content.decode()


def test_wrong_codes_count_towards_the_lockout(client, settings):
    settings.AXES_FAILURE_LIMIT = 5
    user = editor()
    device = enable_two_factor(client, user)
    statuses = [login(client, "editor", "pw", code=f"{i:06d}").status_code for i in range(5)]
    assert statuses == [200] * 4 + [429]
    assert login(client, "editor", "pw", code=code(device, ahead=1)).status_code == 429


def test_a_session_without_the_code_is_signed_out_once_two_factor_is_on(client):
    user = editor()
    client.force_login(user)
    assert client.get("/admin/").status_code == 200
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    response = client.get("/admin/bulletin/article/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    assert "_auth_user_id" not in client.session


def test_a_member_of_the_required_group_must_set_it_up_first(client):
    user = editor()
    user.groups.add(Group.objects.get(name=roles.TWO_FACTOR_REQUIRED))
    client.force_login(user)
    for path in ("/admin/", "/admin/bulletin/article/", "/admin/newsletter/subscriber/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"] == SETUP
    page = client.get(SETUP)
    assert "must use two-factor authentication" in page.content.decode()
    device = TOTPDevice.objects.get(user=user)
    client.post(SETUP, {"otp_token": code(device)})
    assert client.get("/admin/bulletin/article/").status_code == 200  # this session is verified


def test_every_editor_can_be_required_to_use_it(client, settings):
    settings.TWO_FACTOR_REQUIRED_GROUPS = [roles.EDITORS]
    client.force_login(editor())
    assert client.get("/admin/")["Location"] == SETUP
    client.force_login(analyst())
    assert client.get("/admin/").status_code == 200


def test_the_demo_accounts_log_in_with_their_password_alone(client, settings):
    settings.DEBUG = True  # as under `make run`
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    settings.DEBUG = False
    for username in ("admin", "editor", "analyst"):
        client.logout()
        response = login(client, username, f"bulletin-{username}")
        assert response.status_code == 302, username
        assert client.get("/admin/").status_code == 200
