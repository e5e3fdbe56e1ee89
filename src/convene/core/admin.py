from django.contrib import admin

from convene.audit.admin_mixins import AuditedAdmin
from convene.core.models import Event


@admin.register(Event)
class EventAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["name", "venue", "start_date", "end_date"]
