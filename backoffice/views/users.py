"""People and roles, for administrators: list, create (with an emailed invitation), change
roles and details, deactivate. Every write goes through accounts.services."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import services
from accounts.models import User
from accounts.roles import Role
from audit.models import AuditEntry
from backoffice.decorators import staff_required
from backoffice.forms import UserCreateForm, UserProfileForm, UserRolesForm, add_service_errors

MANAGE_USERS = "accounts.manage_users"
PER_PAGE = 50


def _get_user(pk: int) -> User:
    return get_object_or_404(User.objects.with_two_factor().prefetch_related("groups"), pk=pk)


@staff_required(MANAGE_USERS)
def user_list(request):
    query = request.GET.get("q", "").strip()[:100]
    role = request.GET.get("role", "")
    users = User.objects.with_two_factor().prefetch_related("groups").search(query)
    if role == "staff":
        users = users.staff()
    elif role == "none":
        users = users.without_role()
    elif role in Role.values:
        users = users.with_role(role)
    else:
        role = ""
    users = users.order_by("-is_active", "full_name", "email")
    page = Paginator(users, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "backoffice/users/list.html",
        {"page": page, "query": query, "role": role, "roles": Role.choices},
    )


@staff_required(MANAGE_USERS)
def user_create(request):
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The account for %(email)s was created and an invitation sent.")
                % {"email": user.email},
            )
            return redirect("backoffice:user_detail", pk=user.pk)
    return render(request, "backoffice/users/create.html", {"form": form})


def _detail(request, user: User, *, profile_form=None, roles_form=None, status=200):
    profile_form = profile_form or UserProfileForm(
        initial={
            "full_name": user.full_name,
            "phone": user.phone,
            "preferred_language": user.preferred_language,
        },
        prefix="profile",
    )
    roles_form = roles_form or UserRolesForm(initial={"roles": user.role_names}, prefix="roles")
    history = AuditEntry.objects.for_object(user)[:20]
    return render(
        request,
        "backoffice/users/detail.html",
        {
            "person": user,
            "profile_form": profile_form,
            "roles_form": roles_form,
            "history": history,
            "is_self": user.pk == request.user.pk,
        },
        status=status,
    )


@staff_required(MANAGE_USERS)
def user_detail(request, pk: int):
    return _detail(request, _get_user(pk))


@require_POST
@staff_required(MANAGE_USERS)
def user_roles(request, pk: int):
    user = _get_user(pk)
    form = UserRolesForm(request.POST, prefix="roles")
    if form.is_valid():
        try:
            services.user_set_roles(actor=request.user, user=user, roles=form.cleaned_data["roles"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The roles were saved."))
            return redirect("backoffice:user_detail", pk=user.pk)
    return _detail(request, user, roles_form=form, status=400)


@require_POST
@staff_required(MANAGE_USERS)
def user_profile(request, pk: int):
    user = _get_user(pk)
    form = UserProfileForm(request.POST, prefix="profile")
    if form.is_valid():
        try:
            services.user_update(actor=request.user, user=user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The details were saved."))
            return redirect("backoffice:user_detail", pk=user.pk)
    return _detail(request, user, profile_form=form, status=400)


@staff_required(MANAGE_USERS)
def user_deactivate(request, pk: int):
    user = _get_user(pk)
    error_messages: list[str] = []
    if request.method == "POST":
        try:
            services.user_deactivate(actor=request.user, user=user)
        except ValidationError as error:
            error_messages = error.messages
        else:
            messages.success(request, _("The account was deactivated."))
            return redirect("backoffice:user_detail", pk=user.pk)
    return render(
        request,
        "backoffice/users/deactivate.html",
        {"person": user, "errors": error_messages},
        status=400 if error_messages else 200,
    )


def _post_action(request, pk: int, action, success: str):
    user = _get_user(pk)
    try:
        action(actor=request.user, user=user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, success)
    return redirect("backoffice:user_detail", pk=user.pk)


@require_POST
@staff_required(MANAGE_USERS)
def user_reactivate(request, pk: int):
    return _post_action(request, pk, services.user_reactivate, _("The account was reactivated."))


@require_POST
@staff_required(MANAGE_USERS)
def user_reset_two_factor(request, pk: int):
    return _post_action(
        request,
        pk,
        services.user_reset_two_factor,
        _("Two-factor sign-in was reset and the person was signed out everywhere."),
    )


@require_POST
@staff_required(MANAGE_USERS)
def user_invite(request, pk: int):
    return _post_action(request, pk, services.user_send_invitation, _("The invitation was sent."))
