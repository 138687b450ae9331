"""The one guard for staff pages: signed in, allowed into the staff area, and holding the
page's own permission; anyone else gets 403 (anonymous visitors are sent to sign in)."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

STAFF_AREA = "accounts.access_backoffice"


def staff_required(*permissions: str) -> Callable:
    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def guarded(request, *args, **kwargs):
            if not request.user.has_perms((STAFF_AREA, *permissions)):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        guarded.staff_permissions = (STAFF_AREA, *permissions)
        return guarded

    return decorator
