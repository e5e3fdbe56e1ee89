"""The cooperation channel's records on one node: its cases, every message and receipt, the
directory it trusts, and (on the depositary's node) the designations it publishes."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from convene.cooperation import convention as rules


class NodeDesignation(models.Model):
    """Kept by the depositary: the node a State Party runs for its central authority (art.
    40(13)) and 24/7 point of contact (art. 41(1)), with the node's public keys. The central
    authority, point of contact and languages are taken from the treaty record's notifications
    when there are any; the fields here fill in what those do not say."""

    entity = models.OneToOneField("directory.Entity", on_delete=models.PROTECT,
                                  related_name="cooperation_node", verbose_name=_("State Party"))
    node_id = models.SlugField(_("node id"), unique=True)
    url = models.URLField(_("node address"))
    central_authority = models.CharField(_("central authority"), max_length=300, blank=True)
    contact_point = models.CharField(_("24/7 point of contact"), max_length=300, blank=True)
    languages = models.JSONField(_("accepted languages"), default=list)
    channels = models.JSONField(_("channels"), default=list)
    keys = models.JSONField(_("public keys"), default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.entity.code} — {self.node_id}"


class DirectoryPublication(models.Model):
    """A directory signed by the depositary's key (on the depositary's node)."""

    version = models.PositiveIntegerField(unique=True)
    issued_at = models.DateTimeField()
    token = models.TextField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"directory v{self.version}"


class DirectorySnapshot(models.Model):
    """A directory this node fetched and verified under the pinned depositary key."""

    version = models.PositiveIntegerField(unique=True)
    issued_at = models.DateTimeField()
    fetched_at = models.DateTimeField(auto_now_add=True)
    token = models.TextField()
    sha256 = models.CharField(max_length=64)
    entries = models.JSONField(default=list)

    class Meta:
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"directory v{self.version} (verified)"


class PeerKey(models.Model):
    """A public key of another node, as the directory published it. Never deleted: a message
    signed before a rotation keeps verifying."""

    node_id = models.SlugField()
    state = models.CharField(max_length=8)
    use = models.CharField(max_length=4)  # sign | enc
    kid = models.CharField(max_length=64, unique=True)
    jwk = models.JSONField()
    status = models.CharField(max_length=10, default="current")
    first_seen = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.node_id} {self.use} {self.kid[:12]}"


class Side(models.TextChoices):
    REQUESTING = "requesting", _("Requesting State (outgoing)")
    REQUESTED = "requested", _("Requested State (incoming)")


class Case(models.Model):
    """A request, as one of the two States sees it; the other node has its twin (same ref)."""

    ref = models.UUIDField(default=uuid.uuid4, db_index=True)
    side = models.CharField(max_length=12, choices=Side.choices)
    kind = models.CharField(_("kind of request"), max_length=24,
                            choices=rules.kind_choices())
    requesting_state = models.CharField(_("requesting State"), max_length=8)
    requested_state = models.CharField(_("requested State"), max_length=8)
    peer_node_id = models.SlugField(blank=True)
    status = models.CharField(pgettext_lazy("status of a cooperation case", "status"),
        max_length=32, default=rules.DRAFT,
                              choices=list(rules.STATUS_LABELS.items()))
    language = models.CharField(_("language"), max_length=8, blank=True)
    offence = models.CharField(_("offence"), max_length=16, blank=True,
                               choices=rules.offence_choices())
    max_penalty_years = models.PositiveSmallIntegerField(_("maximum penalty (years)"),
                                                         null=True, blank=True)
    elements = models.JSONField(default=dict)
    urgent = models.BooleanField(_("urgent"), default=False)
    requested_by = models.DateField(_("execution requested by"), null=True, blank=True)
    preservation_until = models.DateField(_("data preserved until"), null=True, blank=True)
    # Art. 42: once the follow-up request arrives, the data stays preserved until it is decided.
    preserved_pending_ref = models.UUIDField(_("preserved pending the decision on"), null=True,
                                             blank=True)
    follow_up_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="follow_ups")
    # Art. 36: conditions the sender attaches to personal data; they travel with the request.
    personal_data_conditions = models.TextField(_("conditions on personal data"), blank=True)
    refusal_ground = models.CharField(max_length=40, blank=True)
    refusal_reasons = models.TextField(blank=True)
    consulted = models.BooleanField(default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["ref", "side"],
                                               name="one_case_per_ref_and_side")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.requesting_state}→{self.requested_state}"

    @property
    def short_ref(self) -> str:
        return str(self.ref)[:8]

    @property
    def is_final(self) -> bool:
        return self.status in rules.FINAL


class Direction(models.TextChoices):
    OUT = "out", _("sent")
    IN = "in", _("received")


class MessageStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RETRYING = "retrying", _("waiting to retry")
    DELIVERED = "delivered", _("delivered")
    ACCEPTED = "accepted", pgettext_lazy("a message receipt: accepted", "accepted")
    REJECTED = "rejected", pgettext_lazy("a message receipt: rejected", "rejected")
    EXPIRED = "expired", _("expired undelivered")
    RECEIVED = "received", _("received")


class Message(models.Model):
    """One message, as sent (outbox) or as received, with its envelope exactly as it went."""

    message_id = models.UUIDField(default=uuid.uuid4)
    direction = models.CharField(max_length=3, choices=Direction.choices)
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="messages")
    type = models.CharField(max_length=32)
    peer_node_id = models.SlugField()
    body = models.JSONField(default=dict)
    jwe = models.TextField(blank=True)  # the encrypted envelope as sent / as received
    jws = models.TextField(blank=True)  # the signed message inside it (the proof)
    sha256 = models.CharField(max_length=64, blank=True)  # of the envelope
    status = models.CharField(max_length=12, choices=MessageStatus.choices)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    actor_name = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["message_id", "direction"],
                                               name="one_message_per_id_and_direction")]

    def __str__(self) -> str:
        return f"{self.direction} {self.type} {self.message_id}"


class Receipt(models.Model):
    """A signed receipt: issued by this node for a message it received (or refused), or
    received from the peer for a message this node sent."""

    message = models.ForeignKey(Message, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="receipts")
    issued = models.BooleanField()  # True: this node signed it
    message_sha256 = models.CharField(max_length=64)
    msg_id = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=12)
    reason = models.CharField(max_length=20, blank=True)
    detail = models.CharField(max_length=300, blank=True)
    peer_node_id = models.CharField(max_length=64, blank=True)
    token = models.TextField()
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"receipt {self.status} {self.reason} for {self.msg_id}"


class Attachment(models.Model):
    """An evidence file sent with a message: its SHA-256 is in the signed message, so the
    receiver proves it got exactly what was signed for."""

    message = models.ForeignKey(Message, on_delete=models.PROTECT, related_name="attachments")
    name = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    path = models.CharField(max_length=500)
    verified = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"{self.name} ({self.sha256[:12]})"


class CustodyEvent(models.Model):
    """Chain of custody of one evidence file (ISO/IEC 27037: each hand it passes through)."""

    attachment = models.ForeignKey(Attachment, on_delete=models.PROTECT, related_name="custody")
    at = models.DateTimeField(auto_now_add=True)
    action = models.CharField(max_length=40)
    node_id = models.CharField(max_length=64)
    actor_name = models.CharField(max_length=150)
    sha256 = models.CharField(max_length=64)
    detail = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.action} {self.sha256[:12]} at {self.node_id}"


class OnCallEntry(models.Model):
    """The 24/7 point of contact's on-call roster: who is e-mailed when an urgent request goes
    unacknowledged. Data, not code: the point of contact keeps it up to date."""

    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"))
    starts_at = models.DateTimeField(_("on call from"), null=True, blank=True)
    ends_at = models.DateTimeField(_("on call until"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["starts_at", "pk"]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"


class OnwardTransfer(models.Model):
    """Art. 36: a request to pass personal data received to a third State or organisation, and
    the original sender's decision on it."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="onward_transfers")
    transfer_id = models.UUIDField(default=uuid.uuid4, unique=True)
    recipient = models.CharField(_("third State or organisation"), max_length=200)
    purpose = models.TextField(_("purpose"))
    status = models.CharField(max_length=10, default="requested")  # requested|granted|refused
    decided_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"onward transfer to {self.recipient}: {self.status}"
