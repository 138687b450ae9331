"""API tokens for administrators: list, issue (the raw token is shown once), revoke.
Every write goes through api.services."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from api.models import ApiToken
from api.services import api_token_create, api_token_revoke
from backoffice.decorators import staff_required
from backoffice.forms import TokenIssueForm, add_service_errors

MANAGE_TOKENS = "api.manage_api_tokens"
PER_PAGE = 50


@staff_required(MANAGE_TOKENS)
def token_list(request):
    tokens = ApiToken.objects.select_related("user", "created_by").order_by("-created_at")
    page = Paginator(tokens, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "backoffice/tokens/list.html", {"page": page, "now": timezone.now()})


@never_cache
@staff_required(MANAGE_TOKENS)
def token_create(request):
    form = TokenIssueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        expires_at = None
        if data["expires_on"]:
            # The token works through the whole of its last day.
            expires_at = datetime.datetime.combine(
                data["expires_on"] + datetime.timedelta(days=1),
                datetime.time.min,
                tzinfo=timezone.get_current_timezone(),
            )
        try:
            token, raw_token = api_token_create(
                user=data["user_email"],
                name=data["name"],
                scopes=data["scopes"],
                created_by=request.user,
                expires_at=expires_at,
            )
        except ValidationError as error:
            add_service_errors(form, error, rename={"expires_at": "expires_on"})
        else:
            # Rendered, not redirected: the raw token exists only in this response.
            return render(
                request, "backoffice/tokens/issued.html", {"token": token, "raw_token": raw_token}
            )
    return render(request, "backoffice/tokens/create.html", {"form": form})


@staff_required(MANAGE_TOKENS)
def token_revoke(request, pk: int):
    token = get_object_or_404(ApiToken.objects.select_related("user"), pk=pk)
    if request.method == "POST":
        api_token_revoke(token=token, actor=request.user)
        messages.success(request, _("The token was revoked; it no longer works."))
        return redirect("backoffice:token_list")
    return render(request, "backoffice/tokens/revoke.html", {"token": token})
