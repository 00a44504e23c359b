"""Devices, their history, erasure proofs and volunteer checks."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from solidarnum.common.models import TimeStampedModel
from solidarnum.common.validators import validate_imei, validate_spreadsheet_safe
from solidarnum.equipment.enums import (
    CheckAnswer,
    DeviceKind,
    ErasureMethod,
    ErasureResult,
    Grade,
    Status,
)
from solidarnum.equipment.models.donations import Donation
from solidarnum.equipment.models.imports import ImportBatch
from solidarnum.equipment.validators import validate_certificate


class DeviceQuerySet(models.QuerySet["Device"]):
    pass


class Device(TimeStampedModel):
    """One donated device, traced from the donation to the person who got it."""

    kind = models.CharField(_("type"), max_length=16, choices=DeviceKind.choices)
    # Free text from workshops' files (ADR 0018): never what a spreadsheet would run.
    brand = models.CharField(_("marque"), max_length=60, validators=[validate_spreadsheet_safe])
    model_name = models.CharField(
        _("modèle"), max_length=120, validators=[validate_spreadsheet_safe]
    )
    serial_number = models.CharField(
        _("numéro de série"), max_length=60, unique=True, validators=[validate_spreadsheet_safe]
    )
    imei = models.CharField(
        _("IMEI"), max_length=15, null=True, blank=True, unique=True, validators=[validate_imei]
    )
    processor = models.CharField(
        _("processeur"), max_length=120, blank=True, validators=[validate_spreadsheet_safe]
    )
    ram_gb = models.PositiveSmallIntegerField(
        _("mémoire vive (Go)"), null=True, blank=True, validators=[MaxValueValidator(1024)]
    )
    storage_gb = models.PositiveIntegerField(
        _("stockage (Go)"), null=True, blank=True, validators=[MaxValueValidator(100_000)]
    )
    screen_inches = models.DecimalField(
        _("écran (pouces)"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("50"))],
    )
    operating_system = models.CharField(
        _("système d'exploitation"),
        max_length=80,
        blank=True,
        validators=[validate_spreadsheet_safe],
    )
    grade = models.CharField(_("grade"), max_length=1, choices=Grade.choices, blank=True)
    battery_health = models.PositiveSmallIntegerField(
        _("santé de la batterie (%)"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    donation = models.ForeignKey(
        Donation, on_delete=models.PROTECT, related_name="devices", verbose_name=_("don")
    )
    batch = models.ForeignKey(
        ImportBatch,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="devices",
        verbose_name=_("lot"),
    )
    refurbisher = models.ForeignKey(
        "network.RefurbishingPartner",
        on_delete=models.PROTECT,
        related_name="devices",
        verbose_name=_("reconditionneur"),
    )
    status = models.CharField(
        _("statut"), max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    reception_point = models.ForeignKey(
        "network.ReceptionPoint",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="devices",
        verbose_name=_("point d'accueil"),
    )
    transfer = models.ForeignKey(
        "Transfer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="devices_in_transit",
        verbose_name=_("transfert en cours"),
    )
    reserved_for = models.ForeignKey(
        "beneficiaries.Beneficiary",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reserved_devices",
        verbose_name=_("réservé pour"),
    )
    reserved_until = models.DateTimeField(_("réservé jusqu'au"), null=True, blank=True)
    sold_to = models.ForeignKey(
        "beneficiaries.Beneficiary",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="devices_obtained",
        verbose_name=_("vendu à"),
    )
    sold_at = models.DateTimeField(_("vendu le"), null=True, blank=True)
    sale_price = models.DecimalField(
        _("prix de vente (€)"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    status_changed_at = models.DateTimeField(_("statut depuis"), default=timezone.now)

    objects = DeviceQuerySet.as_manager()

    class Meta:
        verbose_name = _("appareil")
        verbose_name_plural = _("appareils")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["reception_point", "status", "kind", "grade"]),
            models.Index(fields=["refurbisher", "status"]),
            models.Index(fields=["donation", "status"]),
            models.Index(fields=["status", "reserved_until"]),
            models.Index(fields=["kind", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                name="device_one_place",
                condition=Q(reception_point__isnull=True) | Q(transfer__isnull=True),
            ),
            models.CheckConstraint(
                name="device_reservation_complete",
                condition=(
                    Q(status=Status.RESERVED)
                    & Q(reserved_for__isnull=False)
                    & Q(reserved_until__isnull=False)
                )
                | (
                    ~Q(status=Status.RESERVED)
                    & Q(reserved_for__isnull=True)
                    & Q(reserved_until__isnull=True)
                ),
            ),
            models.CheckConstraint(
                name="device_battery_percent", condition=Q(battery_health__lte=100)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.brand} {self.model_name} · {self.serial_number}"

    @property
    def label(self) -> str:
        return f"{self.brand} {self.model_name}"


class DeviceEvent(models.Model):
    """One status change of a device: who, when, from, to, why. Never changed afterwards."""

    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reason = models.CharField(_("motif"), max_length=255, blank=True)
    reception_point = models.ForeignKey(
        "network.ReceptionPoint", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("changement de statut")
        verbose_name_plural = _("changements de statut")
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["device", "at"]),
            models.Index(fields=["to_status", "at"]),
        ]

    def __str__(self) -> str:
        return f"{self.from_status or '∅'} → {self.to_status}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise ValueError("Device events are append-only.")
        super().save(*args, **kwargs)


def certificate_path(instance: ErasureRecord, filename: str) -> str:
    return f"erasure/{instance.device.refurbisher_id}/{timezone.now():%Y/%m}/{filename}"


class ErasureRecord(models.Model):
    """Proof that the data of the donor was erased from a device."""

    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="erasures")
    method = models.CharField(_("méthode"), max_length=20, choices=ErasureMethod.choices)
    tool = models.CharField(_("outil"), max_length=120, validators=[validate_spreadsheet_safe])
    performed_on = models.DateField(_("date"))
    operator = models.CharField(
        _("opérateur"), max_length=120, validators=[validate_spreadsheet_safe]
    )
    result = models.CharField(_("résultat"), max_length=10, choices=ErasureResult.choices)
    certificate = models.FileField(
        _("certificat (PDF)"),
        upload_to=certificate_path,
        blank=True,
        validators=[validate_certificate],
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("effacement des données")
        verbose_name_plural = _("effacements des données")
        ordering = ["performed_on", "id"]
        indexes = [models.Index(fields=["device", "result"])]

    def __str__(self) -> str:
        return f"{self.get_method_display()} · {self.get_result_display()}"


class DeviceCheck(models.Model):
    """The second check at the reception point, the gate to "disponible"."""

    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="checks")
    reception_point = models.ForeignKey(
        "network.ReceptionPoint", on_delete=models.PROTECT, related_name="+"
    )
    performed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    performed_at = models.DateTimeField(default=timezone.now)
    answers = models.JSONField(_("réponses"), default=dict)  # CheckPoint -> CheckAnswer
    battery_health = models.PositiveSmallIntegerField(
        _("batterie mesurée (%)"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    passed = models.BooleanField(_("réussi"))
    comment = models.CharField(_("commentaire"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("contrôle")
        verbose_name_plural = _("contrôles")
        ordering = ["-performed_at", "-id"]
        indexes = [models.Index(fields=["device", "performed_at"])]

    def __str__(self) -> str:
        return f"{self.device_id} · {'OK' if self.passed else 'KO'}"

    @property
    def failed_points(self) -> list[str]:
        from solidarnum.equipment.enums import CheckPoint

        return [
            str(CheckPoint(code).label)
            for code, answer in self.answers.items()
            if answer == CheckAnswer.FAIL and code in CheckPoint.values
        ]
