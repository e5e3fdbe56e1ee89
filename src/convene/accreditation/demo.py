"""The Hanoi demo's accreditations: zones, categories, photos, vetting, approvals and badges.

Idempotent: people who already have an accreditation are left as they are. Demo people and
their photos are marked as demo (data/accreditation/demo.json, "DEMO" on every photo).
"""

import io
import json
import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from convene.accounts.models import Role, User
from convene.accreditation import keys, services
from convene.accreditation.models import Accreditation, BadgeSettings, Category
from convene.accreditation.workflow import PHOTO_EXEMPT_RANKS, Stage
from convene.audit.services import record, snapshot
from convene.delegations.models import Delegation, Member, MemberStatus

log = logging.getLogger(__name__)
DEMO_FILE = settings.BASE_DIR / "data" / "accreditation" / "demo.json"
COLOURS = [(52, 101, 164), (117, 80, 123), (78, 154, 6), (193, 125, 17), (204, 0, 0),
           (32, 74, 135), (92, 53, 102), (143, 89, 2)]


def demo_photo(seed: int) -> bytes:
    """A placeholder portrait: a silhouette on a coloured ground, marked DEMO."""
    image = Image.new("RGB", (420, 540), COLOURS[seed % len(COLOURS)])
    draw = ImageDraw.Draw(image)
    draw.ellipse((130, 90, 290, 270), fill=(236, 220, 200))
    draw.rounded_rectangle((70, 300, 350, 600), radius=90, fill=(236, 220, 200))
    draw.rectangle((0, 470, 420, 540), fill=(255, 255, 255))
    draw.text((180, 495), "DEMO", fill=(0, 0, 0))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def _user(role: Role) -> User:
    user = User.objects.filter(role_assignments__role=role).order_by("pk").first()
    if user is None:
        raise RuntimeError(f"the demo needs a {role.label} account (core demo creates one)")
    return user


def load_demo(event) -> None:
    spec = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    organiser, security = _user(Role.ORGANISER), _user(Role.SECURITY_OFFICER)
    if not BadgeSettings.objects.filter(event=event).exists():
        # Demo: badges valid from today, so that the gates can be tried whatever the date.
        start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
        BadgeSettings.objects.create(
            event=event, valid_from=start - timedelta(days=1),
            valid_until=start + timedelta(days=spec["badge_validity_days"]))
    services.ensure_defaults(event)
    if not keys.private_key_ids():
        kid, _ = keys.generate()
        log.warning("demo: generated badge signing key %s in %s", kid, keys.key_dir())

    plan = {}  # member -> (stage, category code or None)
    for item in spec["people"]:
        delegation = Delegation.objects.filter(event=event, entity__code=item["delegation"]).first()
        if delegation is None:
            continue
        fields = {k: item[k] for k in ("title", "given_name", "family_name", "rank", "function")}
        member, created = Member.objects.get_or_create(delegation=delegation, **fields)
        if created:
            record(None, "member.nominated", member, after=snapshot(member),
                   summary=f"{member.full_name} (demo)")
        plan[member] = (item["stage"], item["category"])
    cycle = spec["nominated_cycle"]
    members = Member.objects.filter(delegation__event=event).select_related(
        "delegation__entity").order_by("delegation__entity__code", "pk")
    for i, member in enumerate(members):
        if member not in plan:
            stage = "approved" if member.status == MemberStatus.APPROVED else cycle[i % len(cycle)]
            plan[member] = (stage, None)

    done = set(Accreditation.objects.filter(member__in=list(plan)).values_list("member_id",
                                                                              flat=True))
    to_print = []
    for seed, (member, (stage, category)) in enumerate(plan.items()):
        if member.pk in done:
            continue
        _accredit(member, stage, category, seed, organiser, security)
        if stage == "approved":
            to_print.append(member.pk)
    if to_print:
        services.create_batch(organiser, event, "all_approved", member_ids=to_print)


def _accredit(member, stage, category, seed, organiser, security) -> None:
    with transaction.atomic():
        if member.status != MemberStatus.NOMINATED:  # the demo file's own statuses
            Member.objects.filter(pk=member.pk).update(status=MemberStatus.NOMINATED)
            member.status = MemberStatus.NOMINATED
        if category:
            services.set_category(organiser, member, Category.objects.get(
                event=member.delegation.event, code=category))
        if member.rank not in PHOTO_EXEMPT_RANKS:
            services.upload_photo(organiser, member, demo_photo(seed))
        if stage == Stage.NOMINATED:
            return
        services.submit(organiser, member)
        if stage == "submitted":
            return
        services.record_vetting(security, member, True, "Demo: cleared")
        if stage == "approved":
            services.decide(organiser, member, True)
