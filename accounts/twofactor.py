"""Who must use two-factor authentication, and whether they do.

An account uses it once it has a confirmed authenticator (a TOTP device of
django-otp): from then on its login asks for a code. Members of the groups in
TWO_FACTOR_REQUIRED_GROUPS (the "Two-factor required" group by default; add
"Editors" to require it of every editor) must set one up before they can do
anything else in the admin. Nobody else is required to, so the demo accounts
of `make run` log in with their password alone.
"""

from django.conf import settings
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice


def required_for(user) -> bool:
    groups = settings.TWO_FACTOR_REQUIRED_GROUPS
    return bool(groups) and user.groups.filter(name__in=groups).exists()


def enabled_for(user) -> bool:
    return user_has_device(user, confirmed=True)


def pending_device(user) -> TOTPDevice:
    """The authenticator being set up (unconfirmed), made once and then reused,
    so reloading the page keeps the same secret the app may have scanned."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(
        user=user, name="Authenticator app", confirmed=False
    )


def enable(user, device: TOTPDevice, token: str) -> bool:
    """Confirm `device` with a code it produced. True when it is now in use."""
    if device.user_id != user.pk or device.confirmed or not device.verify_token(token):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return True
