from django.contrib import admin

from convene.operations.models import OperationsSettings


@admin.register(OperationsSettings)
class OperationsSettingsAdmin(admin.ModelAdmin):
    """Only the exercise clock is set here; everything else goes through the audited pages."""

    list_display = ["event", "clock_offset", "clock_note"]
