"""Signal receivers: Wagtail's log of CMS edits flows into Birlik's audit log."""

from django.db.models.signals import post_save
from django.dispatch import receiver
from wagtail.models import ModelLogEntry, PageLogEntry

from publications.services import wagtail_log_entry_audit


@receiver(post_save, sender=PageLogEntry, dispatch_uid="publications.audit_page_log_entry")
@receiver(post_save, sender=ModelLogEntry, dispatch_uid="publications.audit_model_log_entry")
def audit_wagtail_log_entry(sender, instance, created, raw=False, **kwargs) -> None:
    if created and not raw:
        wagtail_log_entry_audit(entry=instance)
