"""django-axes' lockout records in the admin (AXES_ENABLE_ADMIN is off so that
they are registered here, with the bounded date hierarchy of bulletin/admin.py)."""

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin

from bulletin.admin import BoundedDatesAdminMixin


@admin.register(AccessAttempt)
class LockoutAttemptAdmin(BoundedDatesAdminMixin, AccessAttemptAdmin):
    pass


@admin.register(AccessLog)
class LoginLogAdmin(BoundedDatesAdminMixin, AccessLogAdmin):
    pass


@admin.register(AccessFailureLog)
class LoginFailureLogAdmin(BoundedDatesAdminMixin, AccessFailureLogAdmin):
    pass
