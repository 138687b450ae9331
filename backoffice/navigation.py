"""The staff navigation: the pages this user may open, the current one marked."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from backoffice.programmes import sections_for


def _url(name: str, **kwargs) -> str | None:
    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return None


def staff_navigation(user, path: str) -> list[dict]:
    """[{"label", "url", "current"}] in display order."""
    items: list[tuple[str, str | None]] = [(_("Overview"), _url("backoffice:home"))]
    for section in sections_for(user):
        items.append((section.title, _url("backoffice:programme", slug=section.slug)))
    if user.has_perm("geo.view_pollingstation"):
        items.append((_("Geography"), _url("geo_staff:station_list")))
    if user.has_perm("questionnaires.view_questionnaire"):
        items.append((_("Forms and checklists"), _url("questionnaires_staff:questionnaire_list")))
    if user.has_perm("observation.view_observation"):
        items.append((_("Election day"), _url("observation_staff:election_list")))
    if user.has_perm("incidents.view_incident"):
        items.append((_("Incidents"), _url("incidents_staff:incident_list")))
    if user.has_perm("messaging.send_bulk_message"):
        items.append((_("Messages"), _url("messaging_staff:bulk_list")))
    if user.has_perm("results.view_results"):
        items.append((_("Results"), _url("results_staff:home")))
    if user.has_perm("results.enter_protocols") or user.has_perm("results.review_quarantine"):
        items.append((_("Data entry"), _url("results_staff:entry_queue")))
    if user.has_perm("quickcount.view_quickcount"):
        items.append((_("Quick count"), _url("quickcount_staff:design_list")))
    if user.has_perm("forensics.view_forensics"):
        items.append((_("Forensics"), _url("forensics_staff:home")))
    if user.has_perm("statements.draft_statement"):
        items.append((_("Statements"), _url("statements_staff:statement_list")))
    if user.has_perm("accounts.manage_users"):
        items.append((_("People and roles"), _url("backoffice:user_list")))
    if user.has_perm("audit.view_auditentry"):
        items.append((_("Audit log"), _url("backoffice:audit_list")))
    if user.has_perm("api.manage_api_tokens"):
        items.append((_("API tokens"), _url("backoffice:token_list")))
    if user.has_perm("wagtailadmin.access_admin"):
        items.append((_("Content (CMS)"), "/cms/"))
    items.append((_("Your two-factor sign-in"), _url("mfa_index")))

    links = [{"label": label, "url": url} for label, url in items if url]
    # The current page is the link with the longest URL that the path starts with (the
    # overview only on an exact match), so /staff/users/7/ marks "People and roles".
    home = links[0]["url"] if links else None
    best = None
    for link in links:
        matches = path == link["url"] if link["url"] == home else path.startswith(link["url"])
        if matches and (best is None or len(link["url"]) > len(best["url"])):
            best = link
    for link in links:
        link["current"] = link is best
    return links
