"""Reception and logistics: places, travel, hotels, greeters, liaison officers, the fleet and
the movements that join them (issue 13). Thin: the rules live in rules.py and fleet.py."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from convene.delegations.models import Rank


class ReceptionSettings(models.Model):
    event = models.OneToOneField("core.Event", on_delete=models.CASCADE,
                                 related_name="reception_settings")
    arrivals_deadline = models.DateTimeField(
        _("arrivals deadline"), null=True, blank=True,
        help_text=_("After it, only the reception desk changes arrivals and departures."))
    dedicated_car_rank = models.CharField(
        _("dedicated car from rank"), max_length=32, choices=Rank.choices,
        default=Rank.HEAD_OF_GOVERNMENT,
        help_text=_("Principals of this rank's precedence band or higher get a car and driver "
                    "of their own for their stay."))
    buffer_minutes = models.PositiveSmallIntegerField(_("buffer between movements (minutes)"),
                                                      default=10)
    max_duty_minutes = models.PositiveSmallIntegerField(
        _("longest duty of a vehicle per day (minutes)"), null=True, blank=True)
    airport_to_hotel_minutes = models.PositiveSmallIntegerField(
        _("minutes from landing to leaving the airport"), default=30)

    def __str__(self) -> str:
        return str(self.event)


class PlaceKind(models.TextChoices):
    AIRPORT = "airport", _("Airport terminal")
    HOTEL = "hotel", _("Hotel")
    VENUE = "venue", pgettext_lazy("place", "Venue")
    OTHER = "other", _("Other")


class Place(models.Model):
    event = models.ForeignKey("core.Event", on_delete=models.CASCADE,
                              related_name="reception_places")
    code = models.SlugField(_("code"), max_length=40, allow_unicode=False,
                            help_text=_("e.g. HAN-VIP, HOTEL-A, NCC"))
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=PlaceKind.choices)
    address = models.CharField(_("address"), max_length=300, blank=True)
    is_vip_terminal = models.BooleanField(_("VIP terminal"), default=False)

    class Meta:
        ordering = ["kind", "code"]
        constraints = [models.UniqueConstraint(fields=["event", "code"],
                                               name="reception_place_code_unique")]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class TravelTime(models.Model):
    """Minutes by road between two places; with a time band, only for departures in it."""

    origin = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("from"))
    destination = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="+",
                                    verbose_name=_("to"))
    minutes = models.PositiveSmallIntegerField(pgettext_lazy("travel time in minutes", "minutes"))
    band_start = models.TimeField(_("from time of day"), null=True, blank=True)
    band_end = models.TimeField(_("to time of day"), null=True, blank=True)

    class Meta:
        ordering = ["origin__code", "destination__code", "band_start"]

    def __str__(self) -> str:
        return f"{self.origin.code} → {self.destination.code}: {self.minutes}"


class RoomType(models.TextChoices):
    SUITE = "suite", _("Suite")
    DELUXE = "deluxe", _("Deluxe room")
    STANDARD = "standard", _("Standard room")


class RoomBlock(models.Model):
    """Rooms held at a hotel for one night and one room type."""

    hotel = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="room_blocks",
                              limit_choices_to={"kind": PlaceKind.HOTEL},
                              verbose_name=_("hotel"))
    night = models.DateField(_("night of"))
    room_type = models.CharField(_("room type"), max_length=10, choices=RoomType.choices)
    rooms = models.PositiveSmallIntegerField(_("rooms"))

    class Meta:
        ordering = ["hotel__code", "night", "room_type"]
        constraints = [models.UniqueConstraint(fields=["hotel", "night", "room_type"],
                                               name="one_block_per_night_and_type")]

    def __str__(self) -> str:
        return f"{self.hotel.code} {self.night} {self.room_type}: {self.rooms}"


class Stay(models.Model):
    """A delegation member's room: hotel, room type, nights (check-in to check-out)."""

    member = models.ForeignKey("delegations.Member", on_delete=models.CASCADE,
                               related_name="stays", verbose_name=_("guest"))
    hotel = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="stays",
                              verbose_name=_("hotel"))
    room_type = models.CharField(_("room type"), max_length=10, choices=RoomType.choices)
    check_in = models.DateField(_("check-in"))
    check_out = models.DateField(_("check-out"))
    late_checkout = models.BooleanField(_("late check-out"), default=False)
    room_number = models.CharField(_("room"), max_length=20, blank=True)

    class Meta:
        ordering = ["hotel__code", "member__delegation__entity__name_en", "-member__is_head"]
        constraints = [
            models.CheckConstraint(condition=models.Q(check_out__gt=models.F("check_in")),
                                   name="stay_checks_out_after_it_checks_in"),
            models.UniqueConstraint(fields=["member"], name="one_stay_per_member"),
        ]

    def __str__(self) -> str:
        return f"{self.member} @ {self.hotel.code}"


class Direction(models.TextChoices):
    ARRIVAL = "arrival", _("Arrival")
    DEPARTURE = "departure", _("Departure")


class TravelStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    LANDED = "landed", _("Landed")
    GREETED = "greeted", _("Greeted")
    LEFT_AIRPORT = "left_airport", _("Left airport")
    AT_HOTEL = "at_hotel", _("At hotel")
    DEPARTED = "departed", _("Departed")


class Flight(models.Model):
    """One arrival or departure of some members of a delegation who travel together."""

    event = models.ForeignKey("core.Event", on_delete=models.CASCADE, related_name="+")
    delegation = models.ForeignKey("delegations.Delegation", on_delete=models.CASCADE,
                                   related_name="flights", verbose_name=_("delegation"))
    direction = models.CharField(_("arrival or departure"), max_length=10,
                                 choices=Direction.choices)
    travellers = models.ManyToManyField("delegations.Member", related_name="flights",
                                        verbose_name=_("who travels"))
    flight_number = models.CharField(_("flight"), max_length=20)
    airline = models.CharField(_("airline"), max_length=100, blank=True)
    origin = models.CharField(_("from / to (city)"), max_length=100, blank=True,
                              help_text=_("Where an arrival comes from; where a departure goes."))
    airport = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="+",
                                limit_choices_to={"kind": PlaceKind.AIRPORT},
                                verbose_name=_("airport terminal"))
    terminal = models.CharField(_("terminal"), max_length=40, blank=True)
    scheduled_at = models.DateTimeField(_("local date and time"))
    time_zone = models.CharField(_("time zone"), max_length=60, default=settings.TIME_ZONE)
    baggage = models.PositiveSmallIntegerField(_("pieces of baggage"), default=0)
    status = models.CharField(pgettext_lazy("status of a flight arrival or departure", "status"),
        max_length=20, choices=TravelStatus.choices,
                              default=TravelStatus.SCHEDULED)
    status_at = models.DateTimeField(null=True, blank=True)
    notes = models.CharField(_("notes"), max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["scheduled_at", "pk"]

    def __str__(self) -> str:
        return f"{self.flight_number} {self.scheduled_at:%Y-%m-%d %H:%M}"


class GreetingRule(models.Model):
    """Who from the host side greets a head of delegation of this rank at the airport."""

    event = models.ForeignKey("core.Event", on_delete=models.CASCADE, related_name="+")
    rank = models.CharField(_("rank of the head of delegation"), max_length=32,
                            choices=Rank.choices)
    greeter_roles = models.CharField(
        _("greeters"), max_length=300,
        help_text=_("Host roles, separated by commas, e.g. deputy prime minister, chief of "
                    "protocol."))
    flowers = models.BooleanField(_("flowers"), default=False)
    guard_of_honour = models.BooleanField(_("guard of honour"), default=False)
    vip_terminal = models.BooleanField(_("VIP terminal"), default=True)

    class Meta:
        ordering = ["rank"]
        constraints = [models.UniqueConstraint(fields=["event", "rank"],
                                               name="one_greeting_rule_per_rank")]

    def __str__(self) -> str:
        return f"{self.get_rank_display()}: {self.greeter_roles}"

    @property
    def roles(self) -> list[str]:
        return [r.strip().lower() for r in self.greeter_roles.split(",") if r.strip()]


class Greeter(models.Model):
    event = models.ForeignKey("core.Event", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("host role"), max_length=100,
                            help_text=_("e.g. deputy prime minister, chief of protocol"))
    email = models.EmailField(_("email"), blank=True)
    available_from = models.DateTimeField(_("available from"), null=True, blank=True)
    available_until = models.DateTimeField(_("available until"), null=True, blank=True)

    class Meta:
        ordering = ["role", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.role})"


class Greeting(models.Model):
    flight = models.ForeignKey(Flight, on_delete=models.CASCADE, related_name="greetings")
    greeter = models.ForeignKey(Greeter, on_delete=models.PROTECT, related_name="greetings")
    role = models.CharField(max_length=100)

    class Meta:
        ordering = ["flight__scheduled_at", "role"]

    def __str__(self) -> str:
        return f"{self.greeter} greets {self.flight}"


class LiaisonOfficer(models.Model):
    event = models.ForeignKey("core.Event", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="liaison_profiles")
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"), blank=True)
    languages = models.CharField(_("languages"), max_length=100,
                                 help_text=_("Language codes separated by commas, e.g. en, fr"))
    is_senior = models.BooleanField(_("senior officer"), default=False)

    class Meta:
        ordering = ["-is_senior", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def language_list(self) -> list[str]:
        return [code.strip().lower() for code in self.languages.split(",") if code.strip()]


def new_token() -> str:
    return secrets.token_urlsafe(24)


class DelegationReception(models.Model):
    """What reception keeps about a delegation: its languages, liaison officer, hotel."""

    delegation = models.OneToOneField("delegations.Delegation", on_delete=models.CASCADE,
                                      related_name="reception")
    languages = models.CharField(_("languages"), max_length=100, default="en",
                                 help_text=_("Language codes separated by commas, e.g. en, fr"))
    liaison_officer = models.ForeignKey(LiaisonOfficer, null=True, blank=True,
                                        on_delete=models.SET_NULL, related_name="delegations",
                                        verbose_name=_("liaison officer"))
    liaison_set_by_hand = models.BooleanField(default=False)
    liaison_reason = models.CharField(max_length=300, blank=True)
    # The daily plan's calendar feed: calendar apps cannot log in, the secret is the key.
    feed_token = models.CharField(max_length=64, unique=True, default=new_token)

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["liaison_officer"], condition=models.Q(liaison_officer__isnull=False),
            name="a_liaison_officer_looks_after_one_delegation")]

    def __str__(self) -> str:
        return str(self.delegation)

    @property
    def language_list(self) -> list[str]:
        return [code.strip().lower() for code in self.languages.split(",") if code.strip()]


class VehicleCategory(models.TextChoices):
    VIP_SEDAN = "vip_sedan", _("VIP sedan")
    SEDAN = "sedan", _("Sedan")
    VAN = "van", _("Van")
    BUS = "bus", _("Bus")
    POLICE_ESCORT = "police_escort", _("Police escort")
    AMBULANCE = "ambulance", _("Ambulance")


class Vehicle(models.Model):
    event = models.ForeignKey("core.Event", on_delete=models.CASCADE, related_name="+")
    code = models.CharField(_("call sign"), max_length=20)
    category = models.CharField(_("category"), max_length=20, choices=VehicleCategory.choices)
    seats = models.PositiveSmallIntegerField(pgettext_lazy("seats in a vehicle", "seats"),
        default=4)
    plate = models.CharField(_("plate"), max_length=20, blank=True)
    dedicated_to = models.OneToOneField("delegations.Member", null=True, blank=True,
                                        on_delete=models.SET_NULL, related_name="dedicated_car",
                                        verbose_name=_("dedicated to"))

    class Meta:
        ordering = ["category", "code"]
        constraints = [models.UniqueConstraint(fields=["event", "code"],
                                               name="reception_vehicle_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} ({self.get_category_display()}, {self.plate})"


class Driver(models.Model):
    event = models.ForeignKey("core.Event", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="driver_profiles")
    name = models.CharField(_("name"), max_length=200)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    vehicle = models.ForeignKey(Vehicle, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="drivers", verbose_name=_("usual vehicle"))

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Shift(models.Model):
    driver = models.ForeignKey(Driver, on_delete=models.CASCADE, related_name="shifts")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))

    class Meta:
        ordering = ["starts_at"]
        constraints = [models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")),
                                              name="shift_ends_after_it_starts")]

    def __str__(self) -> str:
        return f"{self.driver}: {self.starts_at:%d %H:%M}–{self.ends_at:%H:%M}"


class MotorcadeRule(models.Model):
    """The vehicles that move a principal of this rank, e.g. escort, principal car, backup,
    staff van, ambulance."""

    event = models.ForeignKey("core.Event", on_delete=models.CASCADE, related_name="+")
    rank = models.CharField(_("rank"), max_length=32, choices=Rank.choices)
    categories = models.CharField(
        _("vehicles"), max_length=300,
        help_text=_("Categories in order, separated by commas: police_escort, vip_sedan, "
                    "sedan, van, bus, ambulance"))

    class Meta:
        ordering = ["rank"]
        constraints = [models.UniqueConstraint(fields=["event", "rank"],
                                               name="one_motorcade_rule_per_rank")]

    def __str__(self) -> str:
        return f"{self.get_rank_display()}: {self.categories}"

    @property
    def category_list(self) -> list[str]:
        return [c.strip() for c in self.categories.split(",") if c.strip()]


class MovementKind(models.TextChoices):
    ARRIVAL = "arrival", _("Airport to hotel")
    TO_VENUE = "to_venue", _("To the venue")
    TO_BILATERAL = "to_bilateral", _("To a bilateral")
    RETURN = "return", _("Back to the hotel")
    DEPARTURE = "departure", _("To the airport")
    OTHER = "other", _("Other")


class Movement(models.Model):
    """A car (or a motorcade vehicle) taking someone from one place to another."""

    event = models.ForeignKey("core.Event", on_delete=models.CASCADE, related_name="+")
    delegation = models.ForeignKey("delegations.Delegation", on_delete=models.CASCADE,
                                   related_name="movements", verbose_name=_("delegation"))
    principal = models.ForeignKey("delegations.Member", null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="movements",
                                  verbose_name=_("principal"))
    kind = models.CharField(_("kind"), max_length=20, choices=MovementKind.choices)
    origin = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("from"))
    destination = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("to"))
    pickup = models.DateTimeField(_("pickup"))
    arrive_by = models.DateTimeField(_("must arrive by"), null=True, blank=True)
    category = models.CharField(_("vehicle category"), max_length=20,
                                choices=VehicleCategory.choices)
    vehicle = models.ForeignKey(Vehicle, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="movements", verbose_name=_("vehicle"))
    driver = models.ForeignKey(Driver, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="movements", verbose_name=_("driver"))
    flight = models.ForeignKey(Flight, null=True, blank=True, on_delete=models.CASCADE,
                               related_name="movements")
    title = models.CharField(_("what for"), max_length=300, blank=True)
    # Generated movements carry where they came from ("flight:12", "session:4:member:9"),
    # so that generating again updates them instead of duplicating them.
    source = models.CharField(max_length=100, blank=True)
    edited_by_hand = models.BooleanField(default=False)
    unassigned_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["pickup", "pk"]
        indexes = [models.Index(fields=["event", "source"])]

    def __str__(self) -> str:
        return f"{self.pickup:%d %H:%M} {self.origin.code} → {self.destination.code}"


class ConflictSeverity(models.TextChoices):
    WARNING = "warning", _("Warning")
    SERIOUS = "serious", _("Serious")
    CRITICAL = "critical", pgettext_lazy("severity of a reception conflict", "Critical")


class ConflictStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("a reception conflict is open", "Open")
    RESOLVED = "resolved", pgettext_lazy("a reception conflict is resolved", "Resolved")


class Conflict(models.Model):
    """A conflict found by the rules; kept so the desk can resolve it or raise an incident."""

    event = models.ForeignKey("core.Event", on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    rule = models.CharField(_("rule"), max_length=40)
    severity = models.CharField(_("severity"), max_length=10, choices=ConflictSeverity.choices)
    message = models.CharField(_("what is wrong"), max_length=500)
    delegation = models.ForeignKey("delegations.Delegation", null=True, blank=True,
                                   on_delete=models.CASCADE, related_name="+")
    status = models.CharField(pgettext_lazy("status of a reception conflict", "status"),
        max_length=10, choices=ConflictStatus.choices,
                              default=ConflictStatus.OPEN)
    found_at = models.DateTimeField(auto_now_add=True)
    resolution = models.CharField(_("how it was resolved"), max_length=500, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    incident = models.ForeignKey("operations.Issue", null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["status", "-severity", "found_at"]
        constraints = [models.UniqueConstraint(fields=["event", "key"],
                                               name="one_conflict_per_key")]

    def __str__(self) -> str:
        return self.message
