"""The Django admin is for administrators only (and still behind two-factor sign-in)."""

from django.contrib import admin


def administrators_only(request) -> bool:
    user = request.user
    return bool(
        user.is_active
        and user.is_authenticated
        and (user.is_superuser or user.has_role("administrator"))
    )


def restrict_admin_site() -> None:
    admin.site.has_permission = administrators_only
    admin.site.site_header = "Birlik"
    admin.site.site_title = "Birlik"
    admin.site.login = _redirect_to_staff_login


def _redirect_to_staff_login(request, extra_context=None):
    # One sign-in for everybody: allauth's, with two-factor.
    from django.contrib.auth.views import redirect_to_login
    from django.core.exceptions import PermissionDenied

    if request.user.is_authenticated:
        raise PermissionDenied
    return redirect_to_login(request.get_full_path())
