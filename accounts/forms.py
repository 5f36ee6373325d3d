from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_otp import match_token

from accounts import twofactor


def _code_field():
    return forms.CharField(
        label=_("Authenticator code"), required=False, max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        help_text=_("Only for accounts with two-factor authentication: the 6-digit code "
                    "your authenticator app shows."),
    )


class StaffLoginForm(AdminAuthenticationForm):
    """The admin login: password, and for an account with two-factor
    authentication the current code of its authenticator.

    A wrong or missing code counts as a failed login (django-axes locks the
    account and the address out after AXES_FAILURE_LIMIT of them), so the
    code cannot be guessed either.
    """

    otp_token = _code_field()

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "code_required": _("This account uses two-factor authentication: enter the code "
                           "your authenticator app shows."),
        "code_invalid": _("That code is not valid. Enter the current code from your "
                          "authenticator app."),
    }

    def clean(self):
        cleaned = super().clean()
        user = self.get_user()
        if user is not None and twofactor.enabled_for(user):
            token = (cleaned.get("otp_token") or "").strip().replace(" ", "")
            device = match_token(user, token) if token else None
            if device is None:
                user_login_failed.send(
                    sender=__name__, credentials={"username": cleaned.get("username")},
                    request=self.request,
                )
                self.user_cache = None
                code = "code_invalid" if token else "code_required"
                raise ValidationError(self.error_messages[code], code=code)
            # django-otp's user_logged_in receiver marks the session verified.
            user.otp_device = device
        return cleaned


class EnableTwoFactorForm(forms.Form):
    otp_token = forms.CharField(
        label=_("Code from the app"), max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
