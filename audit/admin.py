from django.contrib import admin

from audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: nobody edits or deletes the audit log through the product."""

    list_display = (
        "created_at",
        "actor_label",
        "action",
        "content_type",
        "object_label",
        "ip_address",
    )
    list_filter = ("action", "content_type")
    search_fields = ("actor_label", "object_label", "object_id")
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
