"""Two-factor authentication in the admin, after django-otp's OTPMiddleware."""

from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts import twofactor

# What a staff member who must still set up two-factor authentication may open.
SETUP_PATHS = ("two_factor", "admin:logout", "admin:jsi18n")


class StaffTwoFactorMiddleware:
    """In the admin, for a signed-in staff member:

    - an account with an authenticator whose session did not give a code
      (signed in before it was set up, or on another device) is signed out and
      sent to the login page, which asks for the code;
    - an account required to use two-factor authentication that has none yet
      sees only the page that sets it up.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None and user.is_authenticated and user.is_staff
            and request.path.startswith(reverse("admin:index"))
            and not user.is_verified()
        ):
            if twofactor.enabled_for(user):
                logout(request)
                login = reverse("admin:login")
                if request.path != login:
                    return redirect(f"{login}?next={request.path}")
                return self.get_response(request)
            allowed = {reverse(name) for name in SETUP_PATHS}
            if request.path not in allowed and twofactor.required_for(user):
                messages.warning(request, _(
                    "Your account must use two-factor authentication: set it up to continue."))
                return redirect("two_factor")
        return self.get_response(request)
