import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .enums import Role, role_label


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: object) -> "User":
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> "User":
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractUser):
    """A person who logs in. Identified by e-mail; what they may do comes from memberships."""

    username = None  # type: ignore[assignment]
    email = models.EmailField(_("adresse e-mail"), unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()  # type: ignore[assignment,misc]

    class Meta:
        verbose_name = _("utilisateur")
        verbose_name_plural = _("utilisateurs")
        ordering = ["last_name", "first_name", "email"]

    def __str__(self) -> str:
        return self.get_full_name() or self.email


class MembershipQuerySet(models.QuerySet["Membership"]):
    def active(self) -> "MembershipQuerySet":
        return self.filter(is_active=True, user__is_active=True)


# The organisation field each role requires; the others must stay empty.
_ORG_FIELDS = ("reception_point", "partner_structure", "donor", "refurbisher")


def _org_check(role_values: list[str], required: str | None) -> Q:
    q = Q(role__in=role_values)
    for field in _ORG_FIELDS:
        q &= Q(**{f"{field}__isnull": field != required})
    return q


class Membership(models.Model):
    """A role held by a user in one organisation (or nationally). A user may hold several."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("rôle"), max_length=32, choices=Role.choices)
    reception_point = models.ForeignKey(
        "network.ReceptionPoint",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("point d'accueil"),
    )
    partner_structure = models.ForeignKey(
        "network.PartnerStructure",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("structure partenaire"),
    )
    donor = models.ForeignKey(
        "network.DonorCompany",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("entreprise donatrice"),
    )
    refurbisher = models.ForeignKey(
        "network.RefurbishingPartner",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("atelier de reconditionnement"),
    )
    can_check_devices = models.BooleanField(
        _("compétence reconditionnement"),
        default=False,
        help_text=_(
            "Peut faire le contrôle des appareils au point d'accueil (réinstallation, essais)."
        ),
    )
    is_lead = models.BooleanField(
        _("référent principal"),
        default=False,
        help_text=_("Un référent principal peut inviter les collègues de sa structure."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    deactivated_at = models.DateTimeField(null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("rattachement")
        verbose_name_plural = _("rattachements")
        constraints = [
            models.CheckConstraint(
                name="membership_org_matches_role",
                condition=(
                    _org_check([Role.NATIONAL_ADMIN], None)
                    | _org_check([Role.SITE_MANAGER, Role.STAFF, Role.VOLUNTEER], "reception_point")
                    | _org_check([Role.REFERENT, Role.RELAY_OPERATOR], "partner_structure")
                    | _org_check([Role.DONOR_CONTACT], "donor")
                    | _org_check([Role.REFURBISHER_CONTACT], "refurbisher")
                ),
            ),
            models.CheckConstraint(
                name="membership_lead_only_referent",
                condition=Q(is_lead=False) | Q(role=Role.REFERENT),
            ),
            # One membership per user, role and organisation (NULL organisations compare equal).
            models.UniqueConstraint(
                "user",
                "role",
                Coalesce("reception_point", Value(0)),
                Coalesce("partner_structure", Value(0)),
                Coalesce("donor", Value(0)),
                Coalesce("refurbisher", Value(0)),
                name="membership_unique_per_org",
            ),
        ]
        indexes = [
            models.Index(fields=["reception_point", "role"]),
            models.Index(fields=["partner_structure", "role"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} · {self.organisation_label}"

    def get_role_display(self) -> str:  # type: ignore[no-redef]  # lead référent named so
        """The role as people read it, wherever it is shown: a lead référent is named so."""
        return role_label(self.role, is_lead=self.is_lead)

    @property
    def organisation(self) -> models.Model | None:
        return self.reception_point or self.partner_structure or self.donor or self.refurbisher

    @property
    def organisation_label(self) -> str:
        org = self.organisation
        return str(org) if org else str(_("National"))


def _new_token() -> str:
    return secrets.token_urlsafe(32)


def _default_expiry() -> datetime:
    return timezone.now() + timedelta(days=settings.INVITATION_VALIDITY_DAYS)


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def pending(self) -> "InvitationQuerySet":
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )


class Invitation(models.Model):
    """An e-mail invitation to join with a role. It expires and can be used once."""

    email = models.EmailField(_("adresse e-mail"))
    first_name = models.CharField(_("prénom"), max_length=150, blank=True)
    last_name = models.CharField(_("nom"), max_length=150, blank=True)
    role = models.CharField(_("rôle"), max_length=32, choices=Role.choices)
    reception_point = models.ForeignKey(
        "network.ReceptionPoint",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        verbose_name=_("point d'accueil"),
    )
    partner_structure = models.ForeignKey(
        "network.PartnerStructure",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        verbose_name=_("structure partenaire"),
    )
    donor = models.ForeignKey(
        "network.DonorCompany",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        verbose_name=_("entreprise donatrice"),
    )
    refurbisher = models.ForeignKey(
        "network.RefurbishingPartner",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("atelier de reconditionnement"),
    )
    is_lead = models.BooleanField(_("référent principal"), default=False)
    token = models.CharField(max_length=64, unique=True, default=_new_token, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(default=_default_expiry)
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                name="invitation_org_matches_role",
                condition=(
                    _org_check([Role.NATIONAL_ADMIN], None)
                    | _org_check([Role.SITE_MANAGER, Role.STAFF, Role.VOLUNTEER], "reception_point")
                    | _org_check([Role.REFERENT, Role.RELAY_OPERATOR], "partner_structure")
                    | _org_check([Role.DONOR_CONTACT], "donor")
                    | _org_check([Role.REFURBISHER_CONTACT], "refurbisher")
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} ({self.pk})"

    def get_role_display(self) -> str:  # type: ignore[no-redef]  # lead référent named so
        """The role as people read it: an invitation as lead référent says so."""
        return role_label(self.role, is_lead=self.is_lead)

    @property
    def is_usable(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )
