"""Staff roles, each an explicit set of permissions kept in a Django group of the same name.

Later programmes add their permissions to ROLE_PERMISSIONS; `sync_roles` (run after every
migrate) makes the groups match this table exactly, so a role never silently gains rights.

Least privilege: a role holds what its people do every week, nothing "just in case". Someone
with two jobs gets two roles. Notably the administrator runs accounts, audit, tokens and settings
but does not open human-rights casework (confidential victims' and clients' data); an
administrator who also handles cases is given the lawyer or documentation officer role as well,
which the audit log then shows.
"""

import logging

from django.contrib.auth.models import Group, Permission
from django.db import models
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrator")
    COORDINATOR = "coordinator", _("Coordinator")
    ANALYST = "analyst", _("Analyst")
    LAWYER = "lawyer", _("Lawyer")
    DOCUMENTATION_OFFICER = "documentation_officer", _("Documentation officer")
    PROGRAMME_OFFICER = "programme_officer", _("Programme officer")
    DATA_CLERK = "data_clerk", _("Data-entry clerk")


_STAFF_AREA = ["accounts.access_backoffice"]
_GEO_READ = [
    "geo.view_region",
    "geo.view_district",
    "geo.view_constituency",
    "geo.view_pollingstation",
]
_GEO_WRITE = [
    "geo.add_pollingstation",
    "geo.change_pollingstation",
    "geo.import_geography",
]
_ELECTIONS_READ = ["elections.view_election"]
_ELECTIONS_WRITE = ["elections.add_election", "elections.change_election"]
_OBSERVERS = ["observers.view_observer", "observers.change_observer"]
_FORMS_READ = ["questionnaires.view_questionnaire"]
_FORMS_WRITE = ["questionnaires.add_questionnaire", "questionnaires.change_questionnaire"]
# Watching election day; which regions is a separate matter (observation.CoordinatorScope,
# or view_all_regions for the national picture).
_OBSERVATION_WATCH = ["observation.view_observation"]
_OBSERVATION_MANAGE = ["observation.manage_observation"]
# Incident reports: reading (with the reporter's details), verifying, publishing, categories.
_INCIDENTS = [
    "incidents.view_incident",
    "incidents.verify_incident",
    "incidents.publish_incident",
    "incidents.add_incidentcategory",
    "incidents.change_incidentcategory",
]
# Messages to observers chosen by a filter (SMS or email), with their delivery status.
_MESSAGING = ["messaging.send_bulk_message"]
# Results: protocols and comparisons (read), quarantine review, checks, official results.
_RESULTS_READ = ["results.view_results"]
_QUICKCOUNT_READ = ["quickcount.view_quickcount"]
# Page, document and image rights are Wagtail's own (GroupPagePermission on the page tree,
# GroupCollectionPermission on collections): publications/migrations/0002 grants them.
_CMS = ["wagtailadmin.access_admin", "wagtail_localize.submit_translation"]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    # Accounts, roles, audit, API tokens, the CMS's settings; polling-station data upkeep
    # (only the administrator may delete a station).
    Role.ADMINISTRATOR: [
        *_STAFF_AREA,
        "accounts.manage_users",
        "accounts.view_programme_elections",
        "accounts.view_programme_participation",
        "accounts.view_programme_civil_society",
        "audit.view_auditentry",
        *_GEO_READ,
        *_GEO_WRITE,
        "geo.delete_pollingstation",
        *_ELECTIONS_READ,
        *_ELECTIONS_WRITE,
        *_OBSERVERS,
        *_FORMS_READ,
        *_FORMS_WRITE,
        *_OBSERVATION_WATCH,
        *_OBSERVATION_MANAGE,
        *_INCIDENTS,
        *_MESSAGING,
        "observation.view_all_regions",
        *_RESULTS_READ,
        "results.review_quarantine",
        "results.configure_checks",
        "results.import_official_results",
        *_QUICKCOUNT_READ,
        "forensics.view_forensics",
        "statements.draft_statement",
        "statements.publish_statement",
        "api.manage_api_tokens",
        *_CMS,
    ],
    # Recruits and deploys observers, keeps the polling-station list up to date.
    Role.COORDINATOR: [
        *_STAFF_AREA,
        "accounts.view_programme_elections",
        *_GEO_READ,
        *_GEO_WRITE,
        *_ELECTIONS_READ,
        *_ELECTIONS_WRITE,
        *_OBSERVERS,
        *_FORMS_READ,
        *_FORMS_WRITE,
        *_OBSERVATION_WATCH,
        *_OBSERVATION_MANAGE,
        *_INCIDENTS,
        *_MESSAGING,
        *_RESULTS_READ,
        "results.review_quarantine",
        *_QUICKCOUNT_READ,
    ],
    # Quick count, forensics and survey research: reads, does not edit reference data.
    Role.ANALYST: [
        *_STAFF_AREA,
        "accounts.view_programme_elections",
        "accounts.view_programme_participation",
        *_GEO_READ,
        *_ELECTIONS_READ,
        *_FORMS_READ,
        *_OBSERVATION_WATCH,
        "observation.view_all_regions",
        *_RESULTS_READ,
        "results.review_quarantine",
        "results.configure_checks",
        "results.import_official_results",
        *_QUICKCOUNT_READ,
        "quickcount.manage_sample",
        "quickcount.publish_quickcount",
        "forensics.view_forensics",
        "statements.draft_statement",
        "statements.publish_statement",
    ],
    Role.LAWYER: [
        *_STAFF_AREA,
        "accounts.view_programme_human_rights",
    ],
    Role.DOCUMENTATION_OFFICER: [
        *_STAFF_AREA,
        "accounts.view_programme_human_rights",
    ],
    # Petitions, consultations, surveys, information requests, the CSO directory, trainings
    # and publications (the CMS). Election work belongs to coordinators and analysts.
    Role.PROGRAMME_OFFICER: [
        *_STAFF_AREA,
        "accounts.view_programme_participation",
        "accounts.view_programme_civil_society",
        *_CMS,
    ],
    # Types protocols from photos, blind to the other clerk's entry; settles differing entries
    # of protocols they did not enter themselves. Sees nothing else.
    Role.DATA_CLERK: [
        *_STAFF_AREA,
        "accounts.view_programme_elections",
        "results.enter_protocols",
        "results.arbitrate_protocols",
    ],
}


def _permission(dotted: str) -> Permission | None:
    app_label, codename = dotted.split(".", 1)
    return Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()


def sync_roles() -> list[str]:
    """Create one group per role and give it exactly the permissions in ROLE_PERMISSIONS.

    Returns the permission names that do not exist (a typo, or an app not migrated yet); they
    are logged, and the permission-matrix test fails on them.
    """
    missing: list[str] = []
    for role, dotted_names in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        permissions = []
        for name in dotted_names:
            permission = _permission(name)
            if permission is None:
                missing.append(name)
            else:
                permissions.append(permission)
        group.permissions.set(permissions)
    if missing:
        logger.warning("roles refer to unknown permissions: %s", ", ".join(sorted(set(missing))))
    return sorted(set(missing))


def sync_roles_after_migrate(sender, **kwargs) -> None:
    """Runs after the last app with models has migrated, when every permission exists."""
    from django.apps import apps
    from django.contrib.auth.management import create_permissions

    apps_with_models = [config for config in apps.get_app_configs() if config.models_module]
    if sender.label == apps_with_models[-1].label:
        # Our receiver is connected before django.contrib.auth's (accounts comes first in
        # INSTALLED_APPS), so the last app's own permissions are created here first.
        create_permissions(sender, verbosity=0, using=kwargs.get("using", "default"))
        _restore_permissions_made_by_migrations()
        sync_roles()


def _restore_permissions_made_by_migrations() -> None:
    """wagtail-localize creates "submit_translation" in a data migration, not from a model, so
    a database flush (tests, `manage.py flush`) removes it for good; put it back."""
    from django.contrib.contenttypes.models import ContentType

    content_type, _created = ContentType.objects.get_or_create(
        app_label="wagtail_localize", model="translation"
    )
    Permission.objects.get_or_create(
        content_type=content_type,
        codename="submit_translation",
        defaults={"name": "Can submit translations"},
    )


def role_label(name: str) -> str:
    """The translated name of a role, or the raw name for a group that is not a role."""
    try:
        return str(Role(name).label)
    except ValueError:
        return name
