"""The press office's back office: linking a journalist's account to their accreditation,
setting an outlet's focal points, reserved places and travelling press."""

from django.contrib import admin

from convene.audit.admin_mixins import AuditedAdmin
from convene.press.models import Facility, GalleryPhoto, MediaOutlet, MediaProfile


@admin.register(MediaOutlet)
class MediaOutletAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["__str__", "kind", "foreign", "country", "tier", "reserved"]
    filter_horizontal = ["focal_points"]
    raw_id_fields = ["delegation", "travelling_with"]


@admin.register(MediaProfile)
class MediaProfileAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["__str__", "nationality", "confirmed_at"]
    raw_id_fields = ["member", "user", "confirmed_by"]
    exclude = ["letter"]


@admin.register(Facility)
class FacilityAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["name", "kind", "capacity"]


@admin.register(GalleryPhoto)
class GalleryPhotoAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["caption", "credit", "published"]
    fields = ["caption", "credit", "published"]
