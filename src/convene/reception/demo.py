"""The Hanoi demo's reception (demo data): Noi Bai's VIP terminal and terminal 2, the National
Convention Centre, four hotels with room blocks from 22 to 27 October 2025, greeting rules and
greeters, liaison officers, a fleet with drivers and motorcades, and arrivals and departures of
the demo delegations over the days around the ceremony (25–26 October). The plan is then
computed as the desk would (hotels, movements, greetings, liaison officers, dedicated cars,
fleet), leaving some conflicts open: a hotel over its block, a late arrival with no car, a car
booked twice by hand.

Idempotent: when the event already has reception places, nothing is loaded."""

import json
import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction

from convene.accounts.models import Role, RoleAssignment, User
from convene.delegations.models import Delegation
from convene.reception import services
from convene.reception.models import (
    Driver,
    Flight,
    Greeter,
    GreetingRule,
    LiaisonOfficer,
    MotorcadeRule,
    Movement,
    Place,
    ReceptionSettings,
    RoomBlock,
    Stay,
    TravelTime,
    Vehicle,
)

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
DEMO_FILE = settings.BASE_DIR / "data" / "demo" / "hanoi-2025.json"
LANGUAGES = {"VNM": "vi,en", "LAO": "lo,fr,en", "KHM": "km,fr,en", "FRA": "fr,en",
             "ESP": "es,en", "MEX": "es,en", "ARG": "es,en", "CHN": "zh,en", "RUS": "ru,en",
             "EGY": "ar,en", "SAU": "ar,en", "MAR": "ar,fr", "DZA": "ar,fr", "SEN": "fr,en",
             "BRA": "pt,en", "JPN": "ja,en", "KOR": "ko,en", "THA": "th,en", "IDN": "id,en"}
PLACES = [
    ("HAN-VIP", "Noi Bai International Airport — VIP terminal", "airport", True),
    ("HAN-T2", "Noi Bai International Airport — Terminal 2", "airport", False),
    ("NCC", "National Convention Centre", "venue", False),
    ("HOTEL-JW", "JW Marriott Hotel Hanoi", "hotel", False),
    ("HOTEL-LOTTE", "Lotte Hotel Hanoi", "hotel", False),
    ("HOTEL-MELIA", "Melia Hanoi", "hotel", False),
    ("HOTEL-SHERATON", "Sheraton Hanoi", "hotel", False),
]
ROADS = {  # minutes; the airport road is slower in the rush hours
    ("HAN-VIP", "NCC"): 40, ("HAN-T2", "NCC"): 45, ("HAN-VIP", "HAN-T2"): 10,
    ("HAN-VIP", "HOTEL-JW"): 40, ("HAN-VIP", "HOTEL-LOTTE"): 45,
    ("HAN-VIP", "HOTEL-MELIA"): 50, ("HAN-VIP", "HOTEL-SHERATON"): 45,
    ("HAN-T2", "HOTEL-JW"): 45, ("HAN-T2", "HOTEL-LOTTE"): 50, ("HAN-T2", "HOTEL-MELIA"): 55,
    ("HAN-T2", "HOTEL-SHERATON"): 50,
    ("HOTEL-JW", "NCC"): 5, ("HOTEL-LOTTE", "NCC"): 20, ("HOTEL-MELIA", "NCC"): 25,
    ("HOTEL-SHERATON", "NCC"): 25, ("HOTEL-JW", "HOTEL-LOTTE"): 20,
    ("HOTEL-JW", "HOTEL-MELIA"): 25, ("HOTEL-JW", "HOTEL-SHERATON"): 25,
    ("HOTEL-LOTTE", "HOTEL-MELIA"): 10, ("HOTEL-LOTTE", "HOTEL-SHERATON"): 15,
    ("HOTEL-MELIA", "HOTEL-SHERATON"): 15,
}
BLOCKS = {"HOTEL-JW": (6, 12, 25), "HOTEL-LOTTE": (4, 10, 25), "HOTEL-MELIA": (3, 8, 20),
          # the Sheraton holds a single suite: the demo's over-block conflict
          "HOTEL-SHERATON": (1, 6, 15)}
GREETING = [
    ("head_of_state", "deputy prime minister, chief of protocol", True, True),
    ("head_of_government", "deputy prime minister, chief of protocol", True, True),
    ("vice_president", "vice-minister, chief of protocol", True, False),
    ("deputy_prime_minister", "vice-minister, deputy chief of protocol", True, False),
    ("foreign_minister", "vice-minister", True, False),
    ("minister", "deputy chief of protocol", False, False),
]
GREETERS = [
    ("H.E. Mr. Bui Thanh Son", "deputy prime minister"),
    ("H.E. Mr. Tran Hong Ha", "deputy prime minister"),
    ("H.E. Ms. Nguyen Minh Hang", "vice-minister"),
    ("H.E. Mr. Do Hung Viet", "vice-minister"),
    ("H.E. Mr. Le Thi Thu Hang", "vice-minister"),
    ("Mr. Nguyen Viet Dung", "chief of protocol"),
    ("Ms. Pham Thi Lan", "chief of protocol"),
    ("Mr. Hoang Van Nam", "deputy chief of protocol"),
    ("Ms. Vu Thi Mai", "deputy chief of protocol"),
]
MOTORCADES = [
    ("head_of_state", "police_escort, vip_sedan, sedan, van"),
    ("head_of_government", "police_escort, vip_sedan, sedan, van"),
    ("vice_president", "vip_sedan, sedan"),
    ("deputy_prime_minister", "vip_sedan, sedan"),
    ("foreign_minister", "vip_sedan"),
]
FLEET = [("vip_sedan", 14, 4, "VS"), ("sedan", 24, 4, "SD"), ("van", 10, 12, "VN"),
         ("bus", 3, 45, "BS"), ("police_escort", 6, 2, "PE"), ("ambulance", 2, 4, "AM")]
OFFICERS = [("Nguyen Thu Ha", "en,fr", True), ("Tran Quoc Anh", "en,es", True),
            ("Le Minh Chau", "en,ru", True), ("Pham Hai Yen", "en,zh", True),
            ("Do Thanh Tung", "en,ar", True), ("Vu Ngoc Linh", "en,fr", False),
            ("Hoang Bao Chau", "en", False), ("Ngo Duc Minh", "en,es", False),
            ("Dang Thu Trang", "en,ja", False), ("Bui Quang Huy", "en", False),
            ("Ly Thi Ngoc", "en,ko", False), ("Mai Anh Tuan", "en,pt", False),
            ("Trinh Lan Anh", "en,lo,fr", False), ("Phan Van Khoa", "en,km", False)]
ACCOUNTS = [("reception", Role.RECEPTION_OFFICER), ("dispatcher", Role.DISPATCHER),
            ("liaison", Role.LIAISON_OFFICER)]


def load_demo(event) -> None:
    if Place.objects.filter(event=event).exists():
        return
    rng = random.Random(2025)
    with transaction.atomic():
        organiser = User.objects.filter(role_assignments__role=Role.ORGANISER).first()
        if organiser is None:
            return
        _accounts()
        ReceptionSettings.objects.update_or_create(event=event, defaults={
            "arrivals_deadline": datetime(2025, 10, 20, 18, 0, tzinfo=HANOI),
            "dedicated_car_rank": "head_of_government", "buffer_minutes": 10})
        places = {code: Place.objects.create(event=event, code=code, name=name, kind=kind,
                                             is_vip_terminal=vip)
                  for code, name, kind, vip in PLACES}
        for (a, b), minutes in ROADS.items():
            TravelTime.objects.create(origin=places[a], destination=places[b], minutes=minutes)
            if a.startswith("HAN"):
                for start, end in ((time(7), time(9)), (time(17), time(19))):
                    TravelTime.objects.create(origin=places[a], destination=places[b],
                                              minutes=minutes + 20, band_start=start,
                                              band_end=end)
        for code, (suites, deluxe, standard) in BLOCKS.items():
            for k in range(6):
                night = date(2025, 10, 22) + timedelta(days=k)
                for room_type, rooms in (("suite", suites), ("deluxe", deluxe),
                                         ("standard", standard)):
                    RoomBlock.objects.create(hotel=places[code], night=night,
                                             room_type=room_type, rooms=rooms)
        for rank, roles, flowers, guard in GREETING:
            GreetingRule.objects.create(event=event, rank=rank, greeter_roles=roles,
                                        flowers=flowers, guard_of_honour=guard)
        for name, role in GREETERS:
            Greeter.objects.create(event=event, name=name, role=role,
                                   email=f"{name.split()[-1].lower()}.greeter@example.org")
        for rank, categories in MOTORCADES:
            MotorcadeRule.objects.create(event=event, rank=rank, categories=categories)
        liaison_user = User.objects.filter(username="liaison").first()
        for k, (name, languages, senior) in enumerate(OFFICERS):
            LiaisonOfficer.objects.create(
                event=event, name=name, languages=languages, is_senior=senior,
                email=f"lo{k + 1}@example.org", user=liaison_user if k == 0 else None)
        for category, count, seats, prefix in FLEET:
            for n in range(count):
                car = Vehicle.objects.create(event=event, code=f"{prefix}{n + 1:02d}",
                                             category=category, seats=seats,
                                             plate=f"80A-{rng.randint(100, 999)}.{n:02d}")
                Driver.objects.create(event=event, name=f"Driver {prefix}{n + 1:02d}",
                                      phone=f"+84 90 {rng.randint(1000000, 9999999)}",
                                      email=f"driver.{prefix.lower()}{n + 1:02d}@example.org",
                                      vehicle=car)
        delegations = list(Delegation.objects.filter(event=event).select_related(
            "entity").prefetch_related("members"))
        for d in delegations:
            profile = services.delegation_reception(d)
            profile.languages = LANGUAGES.get(d.entity.code, "en")
            profile.save(update_fields=["languages"])
        _travel(event, delegations, places, rng, organiser)
        services.assign_hotels(organiser, event)
        services.generate_movements(organiser, event)
        services.compute_greetings(organiser, event)
        services.compute_liaisons(organiser, event)
        services.assign_dedicated_cars(organiser, event)
        services.plan_fleet(organiser, event, time_limit=5)
        _open_conflicts(event, delegations, places, organiser)


def _accounts() -> None:
    """Demo logins for the reception desk, the motor pool and a liaison officer."""
    spec = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    for username, role in ACCOUNTS:
        user, created = User.objects.get_or_create(
            username=username, defaults={"email": f"{username}@example.org"})
        if created:
            user.set_password(spec["demo_password"])
            user.save()
        RoleAssignment.objects.get_or_create(user=user, role=role)


def _travel(event, delegations, places, rng, organiser) -> None:
    """Each delegation but the host's flies in on 23–24 October and out on 26–27 October;
    heads of State and Government land at the VIP terminal."""
    for k, d in enumerate(delegations):
        if d.entity.code == "VNM":
            continue
        members = list(d.members.all())
        if not members:
            continue
        head = next((m for m in members if m.is_head), members[0])
        vip = head.rank in ("head_of_state", "head_of_government", "vice_president")
        airport = places["HAN-VIP"] if vip else places["HAN-T2"]
        day = date(2025, 10, 23) + timedelta(days=k % 2)
        landing = datetime.combine(day, time(8 + (k * 37) % 12, (k * 20) % 60), tzinfo=HANOI)
        carrier = rng.choice(["VN", "QH", "TG", "SQ", "AF", "EK", "CX"])
        services.save_flight(organiser, d, {
            "direction": "arrival", "travellers": members,
            "flight_number": f"{carrier}{rng.randint(100, 999)}",
            "airline": carrier, "origin": d.entity.name_en, "airport": airport,
            "terminal": "VIP" if vip else "T2", "scheduled_at": landing,
            "time_zone": "Asia/Ho_Chi_Minh", "baggage": 2 * len(members)})
        leaving = date(2025, 10, 26) + timedelta(days=k % 2)
        services.save_flight(organiser, d, {
            "direction": "departure", "travellers": members,
            "flight_number": f"{carrier}{rng.randint(100, 999)}", "airline": carrier,
            "origin": d.entity.name_en, "airport": airport,
            "terminal": "VIP" if vip else "T2",
            "scheduled_at": datetime.combine(leaving, time(13 + k % 8, 30), tzinfo=HANOI),
            "time_zone": "Asia/Ho_Chi_Minh", "baggage": 2 * len(members)})


def _open_conflicts(event, delegations, places, organiser) -> None:
    """What the desk still has to settle in the demo."""
    # a late change: the host's Minister of Public Security flies back from abroad the night
    # before the ceremony, with no hotel and no car planned yet
    vnm = next((d for d in delegations if d.entity.code == "VNM"), None)
    minister = next((m for m in vnm.members.all() if m.rank == "minister"), None) if vnm \
        else None
    if minister is not None:
        services.save_flight(organiser, vnm, {
            "direction": "arrival", "travellers": [minister], "flight_number": "VN556",
            "airline": "Vietnam Airlines", "origin": "Vienna", "airport": places["HAN-T2"],
            "terminal": "T2", "scheduled_at": datetime(2025, 10, 24, 22, 40, tzinfo=HANOI),
            "time_zone": "Asia/Ho_Chi_Minh"})
    # a delayed flight: a head of delegation who signs on 25 October now lands that morning
    from convene.protocol.models import Signatory

    signing = Signatory.objects.filter(event=event, appointment__isnull=False).exclude(
        delegation__entity__code="VNM").select_related("delegation").first()
    flight = Flight.objects.filter(delegation=signing.delegation, direction="arrival",
                                   travellers=signing.signer).first() if signing else None
    if flight is not None:
        services.change_flight(organiser, flight,
                               datetime(2025, 10, 25, 9, 20, tzinfo=HANOI),
                               note="delayed by weather (demo)")
    # two heads of delegation in the Sheraton's single suite
    heads = list(Stay.objects.filter(hotel__event=event, member__is_head=True,
                                     room_type="suite").select_related("member")[:2])
    for stay in heads:
        services.save_stay(organiser, stay.member, {"hotel": places["HOTEL-SHERATON"]})
    # a car booked twice by hand: the dispatcher sent one sedan to two pickups at once
    pooled = list(Movement.objects.filter(event=event, vehicle__isnull=False,
                                          vehicle__dedicated_to__isnull=True)[:2])
    if len(pooled) == 2 and pooled[0].vehicle_id != pooled[1].vehicle_id:
        services.save_movement(organiser, pooled[1], {"vehicle": pooled[0].vehicle,
                                                      "pickup": pooled[0].pickup})
