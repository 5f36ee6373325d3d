"""Who may send, which control a dispatch accepts in which state, and the error
an editor or operator is shown when a request cannot be done.

The controls (controls.py) check these functions and use the same status sets
in their conditional UPDATEs; the issue page shows the buttons `buttons()`
returns, so the admin never offers what the service would refuse. Imports only
the models and bulletin.errors.
"""

from django.core.exceptions import PermissionDenied

from bulletin.errors import UserError
from newsletter.models import Dispatch

SEND_PERMISSION = "newsletter.send_newsletter"

Status = Dispatch.Status
PAUSABLE = (Status.SCHEDULED, Status.SENDING)
RESUMABLE = (Status.PAUSED, Status.SENDING)
CANCELLABLE = (Status.SCHEDULED, Status.SENDING, Status.PAUSED)


class DispatchError(UserError):
    """Something an editor or operator asked for that cannot be done; the message says why."""


def require_send_permission(user, message) -> None:
    """PermissionDenied(message) unless `user` may send; `None` is the system (beat, a command)."""
    if user is not None and not user.has_perm(SEND_PERMISSION):
        raise PermissionDenied(message)


def may_send_now(dispatch) -> bool:
    """Not sent and not cancelled (a started one is resumed instead)."""
    return dispatch.status not in (Status.SENT, Status.CANCELLED)


def may_pause(dispatch) -> bool:
    return dispatch.status in PAUSABLE


def may_resume(dispatch) -> bool:
    return dispatch.status in RESUMABLE


def may_cancel(dispatch) -> bool:
    return dispatch.status in CANCELLABLE


def buttons(dispatch, *, failed: int) -> set[str]:
    """The controls the issue page offers for `dispatch` (None: not scheduled yet),
    each one a control accepts: send now before it started, resume once started
    and paused, retry when it finished with failures."""
    if dispatch is None:
        return set()
    started = dispatch.started_at is not None
    shown = set()
    if may_send_now(dispatch) and not started:
        shown.add("send_now")
    if may_pause(dispatch):
        shown.add("pause")
    if may_resume(dispatch) and started and dispatch.status == Status.PAUSED:
        shown.add("resume")
    if may_cancel(dispatch):
        shown.add("cancel")
    if failed and dispatch.status == Status.SENT:
        shown.add("retry")
    if dispatch.status == Status.CANCELLED:
        shown.add("resend")  # controls.dispatch_resend: to those who did not get it
    return shown
