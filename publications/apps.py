from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PublicationsConfig(AppConfig):
    name = "publications"
    verbose_name = _("Publications")

    def ready(self) -> None:
        from publications import signals  # noqa: F401  (CMS edits into the audit log)
        from publications.services import site_setup_after_migrate

        post_migrate.connect(site_setup_after_migrate, dispatch_uid="publications.site_setup")
