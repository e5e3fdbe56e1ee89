from django.contrib import admin

from convene.reception import models


@admin.register(models.Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "is_vip_terminal", "event"]
    list_filter = ["event", "kind"]
    search_fields = ["code", "name"]


@admin.register(models.TravelTime)
class TravelTimeAdmin(admin.ModelAdmin):
    list_display = ["origin", "destination", "minutes", "band_start", "band_end"]


@admin.register(models.RoomBlock)
class RoomBlockAdmin(admin.ModelAdmin):
    list_display = ["hotel", "night", "room_type", "rooms"]
    list_filter = ["hotel", "room_type"]


@admin.register(models.Stay)
class StayAdmin(admin.ModelAdmin):
    list_display = ["member", "hotel", "room_type", "check_in", "check_out", "late_checkout"]
    list_filter = ["hotel"]
    raw_id_fields = ["member"]


@admin.register(models.Flight)
class FlightAdmin(admin.ModelAdmin):
    list_display = ["flight_number", "delegation", "direction", "scheduled_at", "airport",
                    "status"]
    list_filter = ["direction", "status"]
    filter_horizontal = ["travellers"]


admin.site.register(models.ReceptionSettings)


@admin.register(models.GreetingRule)
class GreetingRuleAdmin(admin.ModelAdmin):
    list_display = ["rank", "greeter_roles", "flowers", "guard_of_honour", "vip_terminal"]


@admin.register(models.Greeter)
class GreeterAdmin(admin.ModelAdmin):
    list_display = ["name", "role", "available_from", "available_until"]


@admin.register(models.Greeting)
class GreetingAdmin(admin.ModelAdmin):
    list_display = ["flight", "greeter", "role"]


@admin.register(models.LiaisonOfficer)
class LiaisonOfficerAdmin(admin.ModelAdmin):
    list_display = ["name", "languages", "is_senior", "user"]


@admin.register(models.DelegationReception)
class DelegationReceptionAdmin(admin.ModelAdmin):
    list_display = ["delegation", "languages", "liaison_officer", "liaison_set_by_hand"]


@admin.register(models.Vehicle)
class VehicleAdmin(admin.ModelAdmin):
    list_display = ["code", "category", "seats", "plate", "dedicated_to"]
    list_filter = ["category"]
    raw_id_fields = ["dedicated_to"]


class ShiftInline(admin.TabularInline):
    model = models.Shift
    extra = 0


@admin.register(models.Driver)
class DriverAdmin(admin.ModelAdmin):
    list_display = ["name", "phone", "vehicle"]
    inlines = [ShiftInline]


@admin.register(models.MotorcadeRule)
class MotorcadeRuleAdmin(admin.ModelAdmin):
    list_display = ["rank", "categories"]


@admin.register(models.Movement)
class MovementAdmin(admin.ModelAdmin):
    list_display = ["pickup", "delegation", "kind", "origin", "destination", "category",
                    "vehicle", "driver"]
    list_filter = ["kind", "category"]


@admin.register(models.Conflict)
class ConflictAdmin(admin.ModelAdmin):
    list_display = ["severity", "rule", "message", "status"]
    list_filter = ["status", "severity", "rule"]
