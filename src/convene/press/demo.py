"""The Hanoi demo's press (demo data): outlets (international agencies, the national agency,
the host broadcaster, foreign television), accredited journalists with their equipment, a pool
at the signing table with its published list, and releases published in several languages.

Idempotent: when the event already has media outlets nothing is loaded. The demo accounts
"afp.focal" (media focal point), "comms" (communications officer) and "approver" (release
approver) share the demo password of data/demo/hanoi-2025.json.
"""

import json
from datetime import datetime, time, timedelta

from django.conf import settings
from django.utils import timezone

from convene.accounts.models import Role, User
from convene.accreditation import services as accreditation
from convene.accreditation.models import Zone
from convene.accreditation.workflow import WorkflowRefused
from convene.press import centre, newsdesk, services
from convene.press.models import MediaOutlet

DEMO_FILE = settings.BASE_DIR / "data" / "demo" / "hanoi-2025.json"

OUTLETS = [  # name, code, kind, foreign, country, tier, reserved
    ("Agence France-Presse (demo)", "AFP", "agency", True, "France", 0, ""),
    ("Reuters (demo)", "REUTERS", "agency", True, "United Kingdom", 0, ""),
    ("Viet Nam News Agency (demo)", "VNA", "agency", False, "Viet Nam", 1, "host_photographer"),
    ("Viet Nam Television (demo)", "VTV", "tv", False, "Viet Nam", 1, "host_broadcaster"),
    ("NHK World (demo)", "NHK", "tv", True, "Japan", 2, ""),
    ("Al Jazeera (demo)", "AJ", "tv", True, "Qatar", 2, ""),
]
STAFF = [  # outlet code, given, family, function, nationality
    ("AFP", "Claire", "Martin", "photographer", "French"),
    ("AFP", "Hugo", "Bernard", "reporter", "French"),
    ("REUTERS", "James", "Walker", "photographer", "British"),
    ("VNA", "Thu", "Nguyen", "photographer", "Vietnamese"),
    ("VTV", "Minh", "Tran", "camera", "Vietnamese"),
    ("NHK", "Kenji", "Sato", "camera", "Japanese"),
    ("AJ", "Layla", "Haddad", "reporter", "Qatari"),
]
TICKS = [key for key, _label in newsdesk.CHECKLIST]
RELEASE = {
    "en": ("Convention against Cybercrime opens for signature in Hanoi",
           "Hanoi — The United Nations Convention against Cybercrime opened for signature "
           "today. [[signatures]] States have signed so far; [[states_represented]] States are "
           "represented and [[journalists]] journalists are accredited."),
    "fr": ("La Convention contre la cybercriminalité ouverte à la signature à Hanoï",
           "Hanoï — La Convention des Nations Unies contre la cybercriminalité a été ouverte "
           "à la signature aujourd'hui. [[signatures]] États l'ont signée à ce jour."),
    "vi": ("Công ước về chống tội phạm mạng mở ký tại Hà Nội",
           "Hà Nội — Công ước của Liên Hợp Quốc về chống tội phạm mạng được mở ký hôm nay. "
           "[[signatures]] quốc gia đã ký."),
    "ar": ("فتح باب التوقيع على اتفاقية مكافحة الجرائم السيبرانية في هانوي",
           "هانوي — فُتح اليوم باب التوقيع على اتفاقية الأمم المتحدة لمكافحة الجرائم "
           "السيبرانية. وقّعت [[signatures]] دولة حتى الآن."),
}


def _user(username, role, password):
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create_user(username, f"{username}@demo.convene.invalid", password)
    user.role_assignments.get_or_create(role=role)
    return user


def load_demo(event) -> None:
    if MediaOutlet.objects.filter(delegation__event=event).exists():
        return
    organiser = User.objects.filter(role_assignments__role=Role.ORGANISER).first()
    security = User.objects.filter(role_assignments__role=Role.SECURITY_OFFICER).first()
    if organiser is None or security is None:
        return
    password = json.loads(DEMO_FILE.read_text(encoding="utf-8"))["demo_password"]
    focal = _user("afp.focal", Role.MEDIA_FOCAL_POINT, password)
    comms = _user("comms", Role.COMMUNICATIONS_OFFICER, password)
    approver = _user("approver", Role.RELEASE_APPROVER, password)
    services.ensure_media_setup(event)
    outlets = {}
    for name, code, kind, foreign, country, tier, reserved in OUTLETS:
        outlets[code] = services.create_outlet(organiser, event, {
            "name": name, "code": code, "kind": kind, "foreign": foreign, "country": country,
            "tier": tier, "reserved": reserved})
    services.add_focal_point(organiser, outlets["AFP"], focal)
    from convene.accreditation.demo import demo_photo

    profiles = []
    for n, (code, given, family, function, nationality) in enumerate(STAFF):
        profile = services.nominate(organiser, outlets[code], {
            "given_name": given, "family_name": family, "function": function,
            "nationality": nationality, "passport_number": f"DEMO-{n:04d}",
            "languages": "en", "email": f"{given.lower()}.{family.lower()}@demo.convene.invalid"},
            photo=demo_photo(500 + n), submit=True)
        accreditation.record_vetting(security, profile.member, True)
        accreditation.decide(organiser, profile.member, True)
        if function == "camera":
            services.declare_item(organiser, profile, {"kind": "camera", "serial": f"CAM-{n}",
                                                       "description": "Broadcast camera"})
            services.declare_item(organiser, profile, {"kind": "tripod", "serial": f"TRI-{n}"})
        profiles.append(profile)
    try:
        accreditation.create_batch(organiser, event, "all_approved",
                                   member_ids=[p.member_id for p in profiles])
    except WorkflowRefused:  # no badge signing key on this server: badges are printed later
        pass
    _pool(event, organiser, profiles)
    _release(event, comms, approver)
    _media_centre(event, organiser)


def _media_centre(event, organiser):
    from convene.delegations.models import Member

    for kind, name, capacity in [("workstation", "Media centre workstations", 200),
                                 ("tv_booth", "TV booths", 6),
                                 ("interview_room", "Interview room 1", 1),
                                 ("interview_room", "Interview room 2", 1)]:
        centre.save_facility(organiser, event, {"kind": kind, "name": name,
                                                  "capacity": capacity})
    spokesperson = Member.objects.filter(delegation__event=event,
                                         delegation__entity__code="VNM").order_by(
        "-is_head", "pk").first()
    if spokesperson is not None:
        centre.flag_spokesperson(organiser, spokesperson)


def _pool(event, organiser, profiles):
    tz = timezone.get_current_timezone()
    start = datetime.combine(event.start_date, time(10, 0), tz)
    from convene.programme.models import Session

    session = Session.objects.filter(event=event, kind="signing").first()
    opp = services.save_opportunity(organiser, event, {
        "title": "Signing table (demo)", "session": session,
        "zone": Zone.objects.get(event=event, code="PR"), "starts_at": start - timedelta(
            minutes=30), "ends_at": start + timedelta(hours=2), "photo": 3, "tv": 2,
        "writer": 1})
    for profile in profiles:
        kind = {"photographer": "photo", "camera": "tv"}.get(profile.function, "writer")
        services.request_place(organiser, opp, profile, kind)
    services.run_allocation(organiser, opp, seed="hanoi-2025-10-25")
    services.publish_pool(organiser, opp)


def _release(event, comms, approver):
    (title, body) = RELEASE["en"]
    release = newsdesk.draft_release(comms, event, {"title": title, "body": body,
                                                    "language": "en"})
    for language, (title, body) in RELEASE.items():
        if language != "en":
            newsdesk.save_text(comms, release, language, title, body)
    for text in release.texts.all():
        newsdesk.review_text(comms, text, TICKS)
    newsdesk.approve(approver, release)
    newsdesk.publish(comms, release)
