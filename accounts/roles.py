"""Staff roles, each an explicit set of permissions kept in a Django group of the same name.

Later programmes add their permissions to ROLE_PERMISSIONS; `sync_roles` (run after every
migrate) makes the groups match this table exactly, so a role never silently gains rights.
"""

from django.contrib.auth.models import Group, Permission
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrator")
    COORDINATOR = "coordinator", _("Coordinator")
    ANALYST = "analyst", _("Analyst")
    LAWYER = "lawyer", _("Lawyer")
    DOCUMENTATION_OFFICER = "documentation_officer", _("Documentation officer")
    PROGRAMME_OFFICER = "programme_officer", _("Programme officer")


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
_CMS = ["wagtailadmin.access_admin"]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.ADMINISTRATOR: [
        *_STAFF_AREA,
        "accounts.manage_users",
        "accounts.view_programme_elections",
        "accounts.view_programme_participation",
        "accounts.view_programme_human_rights",
        "accounts.view_programme_civil_society",
        "audit.view_auditentry",
        *_GEO_READ,
        *_GEO_WRITE,
        "geo.delete_pollingstation",
        "api.manage_api_tokens",
        *_CMS,
    ],
    Role.COORDINATOR: [
        *_STAFF_AREA,
        "accounts.view_programme_elections",
        *_GEO_READ,
        *_GEO_WRITE,
    ],
    Role.ANALYST: [
        *_STAFF_AREA,
        "accounts.view_programme_elections",
        "accounts.view_programme_participation",
        *_GEO_READ,
    ],
    Role.LAWYER: [
        *_STAFF_AREA,
        "accounts.view_programme_human_rights",
    ],
    Role.DOCUMENTATION_OFFICER: [
        *_STAFF_AREA,
        "accounts.view_programme_human_rights",
    ],
    Role.PROGRAMME_OFFICER: [
        *_STAFF_AREA,
        "accounts.view_programme_participation",
        "accounts.view_programme_civil_society",
        "accounts.view_programme_elections",
        *_GEO_READ,
        *_CMS,
    ],
}


def _permission(dotted: str) -> Permission | None:
    app_label, codename = dotted.split(".", 1)
    return Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()


def sync_roles() -> None:
    """Create one group per role and give it exactly the permissions in ROLE_PERMISSIONS."""
    for role, dotted_names in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        permissions = [p for p in (_permission(name) for name in dotted_names) if p is not None]
        group.permissions.set(permissions)


def sync_roles_after_migrate(sender, **kwargs) -> None:
    """Runs after the last app with models has migrated, when every permission exists."""
    from django.apps import apps

    apps_with_models = [config for config in apps.get_app_configs() if config.models_module]
    if sender.label == apps_with_models[-1].label:
        sync_roles()
