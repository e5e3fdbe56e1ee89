"""The Hanoi demo's checkpoints, and a few scans so that the live view has something to show.

Idempotent: checkpoints are found by name; the demo scans are made once, when the event has
none. Run after the accreditation demo (which prints the badges).
"""

import uuid

from convene.accounts.models import Role, User
from convene.accreditation.models import Badge, Zone
from convene.gates import services
from convene.gates.models import Checkpoint, Direction, Scan

CHECKPOINTS = [
    ("Plenary hall — north entrance", "P", Direction.ENTRY),
    ("Plenary hall — exit", "P", Direction.EXIT),
    ("Signing hall — entrance", "S", Direction.ENTRY),
    ("VIP lounge", "V", Direction.ENTRY),
    ("Bilateral rooms", "B", Direction.ENTRY),
    ("Media centre", "M", Direction.ENTRY),
]


def load_demo(event) -> None:
    zones = {z.code: z for z in Zone.objects.filter(event=event)}
    made = {}
    for name, code, direction in CHECKPOINTS:
        if code in zones:
            made[name], _ = Checkpoint.objects.get_or_create(
                event=event, name=name, defaults={"zone": zones[code], "direction": direction})
    if Scan.objects.filter(checkpoint__event=event).exists() or not made:
        return
    operator = User.objects.filter(role_assignments__role=Role.SECURITY_OFFICER).order_by(
        "pk").first()
    badges = list(Badge.objects.filter(accreditation__member__delegation__event=event,
                                       revoked_at__isnull=True).order_by("issued_at"))
    if operator is None or not badges:
        return
    plenary, vip = made["Plenary hall — north entrance"], made["VIP lounge"]

    def scan(checkpoint, token):
        services.scan(operator, checkpoint, scan_uuid=uuid.uuid4(), token=token)

    for badge in badges[:4]:
        scan(plenary, badge.token)
    scan(plenary, badges[0].token)  # a second entry without an exit: refused
    no_vip = [b for b in badges if not b.zones_mask >> vip.zone.bit & 1]
    if no_vip:
        scan(vip, no_vip[0].token)  # a delegate at the VIP lounge: refused
    scan(plenary, "DEMO-not-a-badge")  # someone shows another QR code
