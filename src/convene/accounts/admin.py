from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from convene.accounts.models import RoleAssignment, User
from convene.audit.admin_mixins import AuditedAdmin


class RoleInline(admin.TabularInline):
    model = RoleAssignment
    extra = 1
    autocomplete_fields = ["delegation"]


@admin.register(User)
class ConveneUserAdmin(AuditedAdmin, UserAdmin):
    inlines = [RoleInline]

    def save_formset(self, request, form, formset, change):
        from convene.audit.services import record

        instances = formset.save()
        for obj in instances:
            record(request.user, "role.assigned", obj, summary=str(obj))
        for obj in formset.deleted_objects:
            record(request.user, "role.removed", None, object_type="accounts.roleassignment",
                   object_id=str(obj.pk or ""), summary=str(obj))
