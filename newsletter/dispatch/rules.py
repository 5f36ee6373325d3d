"""Who may send, and the error an editor or operator is shown when a request
cannot be done. Imported by every other module of the package; imports none."""

from django.core.exceptions import PermissionDenied

SEND_PERMISSION = "newsletter.send_newsletter"


class DispatchError(Exception):
    """Something an editor or operator asked for that cannot be done; the message says why."""


def require_send_permission(user, message) -> None:
    """PermissionDenied(message) unless `user` may send; `None` is the system (beat, a command)."""
    if user is not None and not user.has_perm(SEND_PERMISSION):
        raise PermissionDenied(message)
