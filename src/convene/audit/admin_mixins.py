from convene.audit.services import record, snapshot


class AuditedAdmin:
    """Django admin changes go into the audit trail like any other change."""

    def save_model(self, request, obj, form, change):
        before = snapshot(type(obj).objects.get(pk=obj.pk)) if change and obj.pk else None
        super().save_model(request, obj, form, change)
        record(request.user, f"admin.{'changed' if change else 'added'}", obj,
               before=before, after=snapshot(obj), summary=str(obj))

    def delete_model(self, request, obj):
        before, pk = snapshot(obj), obj.pk
        super().delete_model(request, obj)
        record(request.user, "admin.deleted", None, object_type=obj._meta.label_lower,
               object_id=str(pk), before=before, summary=str(obj))

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)
