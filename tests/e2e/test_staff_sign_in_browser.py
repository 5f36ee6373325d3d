"""Staff sign-in in a real browser: an editor turns on two-factor
authentication from the admin (QR code shown, key typed into an "app"), logs
in again with the code, and an attacker guessing passwords is locked out
with the cool-off page. No Content-Security-Policy violation on the way."""

import base64

import pytest
from django.contrib.auth import get_user_model
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.browser import REPORT_VIOLATIONS, sign_in
from tests.factories import editor

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.timeout(300),
]


class AuthenticatorApp:
    """What a phone app does with the key it was given: show the current code."""

    def __init__(self, secret: str):
        self.key = base64.b32decode(secret)
        self.step = 0

    def code(self) -> str:
        totp = TOTP(self.key, drift=self.step)
        self.step += 1  # each code is accepted once; the next login uses the next one
        return f"{totp.token():06d}"


def new_page(chromium, violations):
    page = chromium.new_page(locale="en-GB")
    page.set_default_timeout(15_000)
    page.add_init_script(REPORT_VIOLATIONS)
    page.on("console", lambda m: m.type == "error" and violations.append(m.text))
    return page


def log_in(page, base, username, password, code=""):
    sign_in(page, base, username, password, code=code, wait=False)
    page.wait_for_load_state("load")


def test_two_factor_and_lockout_in_the_browser(browser, live_server, own_db_connections,
                                               settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.AXES_FAILURE_LIMIT = 5
    base = live_server.url
    editor()  # password "pw"
    violations = []
    page = new_page(browser, violations)

    # Password alone is enough until two-factor authentication is turned on.
    log_in(page, base, "editor", "pw")
    assert page.url == f"{base}/admin/"
    page.click("text=Two-factor authentication")
    assert page.url == f"{base}/admin/two-factor/"
    qr = page.locator("img[alt='QR code for your authenticator app']")
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")
    app = AuthenticatorApp(page.inner_text("#otp-secret"))
    page.fill("#id_otp_token", "000000" if app.code() != "000000" else "111111")
    app.step = 0
    page.click("input[type=submit]")
    assert "does not match" in page.content()
    page.fill("#id_otp_token", app.code())
    page.click("input[type=submit]")
    assert "Two-factor authentication is on" in page.inner_text("#content")
    assert TOTPDevice.objects.get(user__username="editor").confirmed
    page.click("#logout-form button")

    # Now the login asks for the code.
    log_in(page, base, "editor", "pw")
    assert "This account uses two-factor authentication" in page.inner_text("#content")
    log_in(page, base, "editor", "pw", app.code())
    assert page.url == f"{base}/admin/"
    assert "Site administration" in page.content() or "Editorial desk" in page.content()
    page.close()

    # An attacker guessing the password, from another browser.
    attacker = new_page(browser, violations)
    for attempt in range(4):
        log_in(attacker, base, "editor", f"guess-{attempt}")
        assert "Please enter the correct username and password" in attacker.content()
    log_in(attacker, base, "editor", "guess-4")
    text = attacker.inner_text("#content")
    assert "Too many failed logins" in text and "Try again in 15 minutes." in text
    # The owner too must wait: the account is paused, whoever knows the password.
    log_in(attacker, base, "editor", "pw", app.code())
    assert "Too many failed logins" in attacker.inner_text("#content")
    assert "_auth_user_id" not in str(attacker.context.cookies())
    attacker.close()

    assert get_user_model().objects.get(username="editor").is_active
    assert not [v for v in violations if "CSP violation" in v], violations
