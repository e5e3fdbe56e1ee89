"""Summit-shaped fleet instances (issue 13's JSON contract), seeded, for the bench and tests.

About `delegations` delegations over three days: arrivals (airport -> hotel), morning runs to
the venue, bilaterals between venue and hotels, evening returns, and departures, in four
vehicle categories. Rush hours make the airport road slower (travel by time of day)."""

import random
from datetime import datetime, timedelta

CATEGORIES = ("vip_sedan", "sedan", "van", "bus")
PREFIX = {"vip_sedan": "V", "sedan": "S", "van": "N", "bus": "B"}
AIRPORT, VENUE = "HAN-VIP", "NCC"


def generate(delegations=150, movements=2000, days=3, seed=2025, max_duty_minutes=None,
             fleet_factor=1.0, time_of_day=True) -> dict:
    rng = random.Random(seed)
    hotels = [f"HOTEL-{chr(65 + k)}" for k in range(8)]
    places = [AIRPORT, "HAN-T2", VENUE, "MOFA", *hotels]
    travel: dict[str, dict] = {p: {} for p in places}
    for a_index, a in enumerate(places):
        for b in places[a_index + 1:]:
            minutes = rng.randint(10, 35)
            if a.startswith("HAN") or b.startswith("HAN"):
                minutes += 25
            if time_of_day and (a.startswith("HAN") or b.startswith("HAN")):
                travel[a][b] = {"default": minutes,
                                "bands": [{"from": "07:00", "to": "09:00",
                                           "minutes": minutes + 20},
                                          {"from": "17:00", "to": "19:00",
                                           "minutes": minutes + 15}]}
            else:
                travel[a][b] = minutes
    hotel_of = [rng.choice(hotels) for _ in range(delegations)]
    start = datetime(2025, 10, 24)
    items = []
    for k in range(movements):
        d = rng.randrange(delegations)
        category = rng.choices(CATEGORIES, weights=(3, 4, 2, 1))[0]
        day = rng.randrange(days)
        kind = rng.random()
        hotel = hotel_of[d]
        if kind < 0.2:
            origin, destination = (AIRPORT, hotel) if day < days - 1 else (hotel, AIRPORT)
            minute = rng.randint(6 * 60, 22 * 60)
        elif kind < 0.45:
            origin, destination = hotel, VENUE
            minute = rng.randint(7 * 60, 10 * 60)
        elif kind < 0.7:
            origin, destination = VENUE, hotel
            minute = rng.randint(16 * 60, 21 * 60)
        else:
            origin, destination = rng.choice([(VENUE, "MOFA"), ("MOFA", VENUE),
                                               (hotel, "MOFA"), (VENUE, hotel),
                                               (hotel, VENUE)])
            minute = rng.randint(9 * 60, 19 * 60)
        minute -= minute % 5
        pickup = start + timedelta(days=day, minutes=minute)
        items.append({"id": f"M{k + 1:04d}", "category": category, "from": origin,
                      "to": destination, "pickup": pickup.strftime("%Y-%m-%dT%H:%M")})
    items.sort(key=lambda m: m["pickup"])
    counts = {c: sum(1 for m in items if m["category"] == c) for c in CATEGORIES}
    vehicles = []
    for c in CATEGORIES:
        # enough for a first-fit dispatcher on a busy morning, times fleet_factor
        size = max(1, int(counts[c] / days / 2.2 * fleet_factor))
        vehicles += [{"id": f"{PREFIX[c]}{n + 1:03d}", "category": c}
                     for n in range(size)]
    data = {"places": places, "travel_minutes": {k: v for k, v in travel.items() if v},
            "buffer_minutes": 10, "vehicles": vehicles, "movements": items}
    if max_duty_minutes is not None:
        data["max_duty_minutes"] = max_duty_minutes
    return data
