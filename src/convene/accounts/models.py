"""People who log in, and the roles they hold.

A role is held for the whole event (organiser, security officer…) or, for a focal point,
for one delegation. What each role may do is decided in one place: permissions.py.
"""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Role(models.TextChoices):
    ORGANISER = "organiser", _("Organiser (secretariat)")
    TASK_FORCE_LEAD = "task_force_lead", _("Task-force lead")
    FOCAL_POINT = "focal_point", _("Focal point")
    SECURITY_OFFICER = "security_officer", _("Security officer")
    PRESS_OFFICER = "press_officer", _("Press officer")
    DEPOSITARY = "depositary", _("Depositary")
    OBSERVER = "observer", _("Read-only observer")
    # Reception and logistics (issue 13): the desk at the VIP terminal and the hotels, the
    # officer who stays with one delegation, and the motor-pool dispatcher.
    RECEPTION_OFFICER = "reception_officer", _("Reception officer")
    LIAISON_OFFICER = "liaison_officer", _("Liaison officer")
    DISPATCHER = "dispatcher", _("Motor-pool dispatcher")
    # Press and communications (issue 14): an outlet's focal point and a journalist act for
    # themselves, like a delegation's focal point; the communications officer drafts releases
    # and the approver signs them off.
    MEDIA_FOCAL_POINT = "media_focal_point", _("Media focal point")
    JOURNALIST = "journalist", _("Journalist")
    COMMUNICATIONS_OFFICER = "communications_officer", _("Communications officer")
    RELEASE_APPROVER = "release_approver", _("Release approver")
    # Cooperation between States Parties (issue 15): a central authority's case officer and
    # the 24/7 point of contact's duty officer (Convention arts. 40(13) and 41).
    CASE_OFFICER = "case_officer", _("Case officer (central authority)")
    DUTY_OFFICER = "duty_officer", _("24/7 duty officer")


# Roles that act for the secretariat, not for one delegation or outlet; they may be required
# to use 2FA.
STAFF_ROLES = frozenset(Role) - {Role.FOCAL_POINT, Role.MEDIA_FOCAL_POINT, Role.JOURNALIST}


class User(AbstractUser):
    def role_set(self) -> frozenset[str]:
        """The roles this user holds (cached on the instance for the request)."""
        if not hasattr(self, "_role_cache"):
            self._role_cache = frozenset(self.role_assignments.values_list("role", flat=True))
        return self._role_cache

    def focal_point_delegation_ids(self) -> frozenset[int]:
        if not hasattr(self, "_focal_cache"):
            self._focal_cache = frozenset(
                self.role_assignments.filter(role=Role.FOCAL_POINT).values_list(
                    "delegation_id", flat=True
                )
            )
        return self._focal_cache

    def forget_roles(self) -> None:
        for attr in ("_role_cache", "_focal_cache"):
            self.__dict__.pop(attr, None)


class RoleAssignment(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    delegation = models.ForeignKey(
        "delegations.Delegation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="focal_point_assignments",
        help_text=_("Only for focal points: the delegation they act for."),
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                # A focal point always acts for one delegation; other roles for none.
                condition=(
                    models.Q(role="focal_point", delegation__isnull=False)
                    | (~models.Q(role="focal_point") & models.Q(delegation__isnull=True))
                ),
                name="focal_point_has_a_delegation",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "delegation"], name="one_focal_point_assignment",
                condition=models.Q(delegation__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["user", "role"], name="one_staff_role_assignment",
                condition=models.Q(delegation__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}"


class TokenScope(models.TextChoices):
    # A read-only token may call every GET of the API its owner may call, and nothing else.
    READ = "read", _("Read only")
    # The operations of the owner's roles, exactly as when they are logged in.
    ROLE = "role", _("Everything my roles allow")


class ApiToken(models.Model):
    """A personal API token: `Authorization: Bearer <secret>` acts as its owner on /api.

    Only the SHA-256 of the secret is kept, so a copy of the database gives nobody a working
    token; the prefix (shown, not secret) lets the owner tell their tokens apart.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    scope = models.CharField(_("scope"), max_length=8, choices=TokenScope.choices,
                             default=TokenScope.READ)
    prefix = models.CharField(max_length=16, unique=True)
    secret_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    last_used_from = models.GenericIPAddressField(_("last used from"), null=True, blank=True)
    revoked_at = models.DateTimeField(pgettext_lazy("date an API token was revoked", "revoked"),
        null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class ApiTokenAddress(models.Model):
    """An address a token was used from; the first use from each one is audited."""

    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="addresses")
    address = models.GenericIPAddressField()
    first_seen_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["token", "address"],
                                               name="one_row_per_token_address")]

    def __str__(self) -> str:
        return f"{self.token} · {self.address}"
