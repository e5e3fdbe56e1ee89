from django.contrib import admin

from convene.audit.admin_mixins import AuditedAdmin
from convene.directory.models import Entity


@admin.register(Entity)
class EntityAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["code", "name_en", "kind", "is_reference"]
    list_filter = ["kind", "is_reference"]
    search_fields = ["code", "name_en", "acronym"]
