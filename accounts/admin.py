"""People in the Django admin are read-only: accounts and roles change in the staff area, through
the services that write the audit log (an edit here would leave no audit entry)."""

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group

from accounts.models import User


class ReadOnlyAdminMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(ReadOnlyAdminMixin, DjangoUserAdmin):
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        ("Birlik", {"fields": ("full_name", "phone", "preferred_language")}),
    )
    list_display = ("email", "full_name", "is_active", "is_superuser", "last_login")
    search_fields = ("email", "full_name", "username")


# Roles are defined in code (accounts.roles) and re-synchronised after every migrate.
admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(ReadOnlyAdminMixin, DjangoGroupAdmin):
    pass
