"""The staff area: one home with a section per programme, behind role checks."""

from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import render


@login_required
@permission_required("accounts.access_backoffice", raise_exception=True)
def home(request):
    return render(request, "backoffice/home.html", {})
