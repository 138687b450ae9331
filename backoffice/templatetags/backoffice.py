"""Template helpers for staff pages: the navigation and audit values."""

import json

from django import template
from django.utils.translation import gettext as _

from backoffice.navigation import staff_navigation

register = template.Library()


@register.inclusion_tag("backoffice/nav.html", takes_context=True)
def staff_nav(context):
    request = context["request"]
    return {"links": staff_navigation(request.user, request.path)}


@register.filter
def audit_value(value) -> str:
    """A recorded value as a person reads it: lists joined, nothing shown as a dash."""
    if value is None or value == "":
        return "—"
    if value is True:
        return _("yes")
    if value is False:
        return _("no")
    if isinstance(value, list):
        return ", ".join(audit_value(item) for item in value) if value else "—"
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)
