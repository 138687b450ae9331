"""The staff home, organised by programme, and one page per programme."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render

from backoffice.decorators import staff_required
from backoffice.programmes import section_for_slug, sections_for


@staff_required()
def home(request):
    user = request.user
    sections = [
        {"section": section, "available": section.available_to(user)}
        for section in sections_for(user)
    ]
    return render(request, "backoffice/home.html", {"sections": sections})


@staff_required()
def programme(request, slug: str):
    section = section_for_slug(slug)
    if section is None:
        raise Http404
    if not request.user.has_perm(section.permission):
        raise PermissionDenied
    return render(
        request,
        "backoffice/programme.html",
        {"section": section, "available": section.available_to(request.user)},
    )
