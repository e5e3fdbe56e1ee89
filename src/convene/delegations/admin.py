from django.contrib import admin

from convene.audit.admin_mixins import AuditedAdmin
from convene.delegations.models import Delegation, Member


class MemberInline(admin.TabularInline):
    model = Member
    extra = 0
    fields = ["title", "given_name", "family_name", "rank", "function", "is_head", "status"]
    readonly_fields = fields  # members change through the services, which audit them

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Delegation)
class DelegationAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["entity", "event", "status", "quota", "nomination_deadline"]
    list_filter = ["event", "status", "entity__kind"]
    search_fields = ["entity__name_en", "entity__code"]
    inlines = [MemberInline]
