"""The one base of user-facing errors.

A service raises a subclass of UserError when a request cannot be done for a
reason the person who made it can act on; `str(exc)` is the message, already
translated. The admin shows it as an error message on the page it redirects to
(bulletin.admin.WorkflowAdminMixin, newsletter.dispatch_admin), a form puts it
on the field it concerns, a command prints it and exits non-zero. Anything
else that goes wrong is a bug, and not shown to the user this way.
"""


class UserError(Exception):
    """A request that cannot be done; the message says why, for its user."""
