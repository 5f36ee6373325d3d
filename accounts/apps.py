from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Staff sign-in: lockout after failed logins (django-axes) and two-factor
    authentication (django-otp), optional per account, required per group."""

    name = "accounts"
    verbose_name = _("Staff sign-in")
