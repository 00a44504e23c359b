"""Donations, devices and everything that happens to a device until it is sold.

A device is in exactly one place: with its refurbishing workshop (no reception point and no open
transfer), in transit (`transfer` set), or at one reception point (`reception_point` set). A
check constraint keeps the last two exclusive, and only `services` move a device.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from solidarnum.common.models import TimeStampedModel
from solidarnum.common.validators import validate_imei, validate_spreadsheet_safe

from .enums import (
    FINISHED_JOB_STATES,
    CheckAnswer,
    DeviceKind,
    DonationSource,
    ErasureMethod,
    ErasureResult,
    Grade,
    ImportJobState,
    ImportJobStep,
    Status,
    StockCountStatus,
    TransferStatus,
)
from .validators import validate_certificate


class ReferencedModel(models.Model):
    """A readable reference, PREFIX-YEAR-00042, given once the row has its id."""

    reference = models.CharField(_("référence"), max_length=24, unique=True, editable=False)
    reference_prefix = ""
    reference_date_field = ""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.reference:
            super().save(*args, **kwargs)
            return
        self.reference = f"tmp-{uuid.uuid4().hex[:20]}"
        super().save(*args, **kwargs)
        year = getattr(self, self.reference_date_field).year
        self.reference = f"{self.reference_prefix}-{year}-{self.pk:05d}"
        type(self).objects.filter(pk=self.pk).update(reference=self.reference)  # type: ignore[attr-defined]


class Donation(ReferencedModel, TimeStampedModel):
    """A donor company's gift of devices, routed to a refurbishing workshop."""

    reference_prefix = "DON"
    reference_date_field = "donated_on"
    donor = models.ForeignKey(
        "network.DonorCompany",
        on_delete=models.PROTECT,
        related_name="donations",
        verbose_name=_("entreprise donatrice"),
    )
    donated_on = models.DateField(_("date du don"))
    source = models.CharField(_("origine"), max_length=24, choices=DonationSource.choices)
    pickup_place = models.CharField(_("lieu d'enlèvement"), max_length=255)
    refurbisher = models.ForeignKey(
        "network.RefurbishingPartner",
        on_delete=models.PROTECT,
        related_name="donations",
        verbose_name=_("reconditionneur"),
    )
    notes = models.TextField(_("remarques"), blank=True)
    tax_receipt_number = models.CharField(_("numéro du reçu fiscal"), max_length=40, blank=True)
    tax_receipt_date = models.DateField(_("date du reçu fiscal"), null=True, blank=True)
    valued_amount = models.DecimalField(
        _("valorisation (€)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("don")
        verbose_name_plural = _("dons")
        ordering = ["-donated_on", "-id"]
        indexes = [
            models.Index(fields=["donor", "donated_on"]),
            models.Index(fields=["refurbisher", "donated_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                name="donation_receipt_complete",
                condition=Q(tax_receipt_number="", tax_receipt_date__isnull=True)
                | (~Q(tax_receipt_number="") & Q(tax_receipt_date__isnull=False)),
            ),
        ]

    def __str__(self) -> str:
        return self.reference


class DonationItem(models.Model):
    """How many devices of one kind the donor announced."""

    donation = models.ForeignKey(Donation, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("type"), max_length=16, choices=DeviceKind.choices)
    expected_quantity = models.PositiveIntegerField(
        _("nombre annoncé"), validators=[MinValueValidator(1), MaxValueValidator(100_000)]
    )

    class Meta:
        verbose_name = _("ligne de don")
        constraints = [
            models.UniqueConstraint(fields=["donation", "kind"], name="donation_item_one_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.expected_quantity} × {self.get_kind_display()}"


class ImportBatch(ReferencedModel):
    """One file of devices sent by a refurbishing workshop (a "lot")."""

    reference_prefix = "LOT"
    reference_date_field = "imported_at"
    refurbisher = models.ForeignKey(
        "network.RefurbishingPartner",
        on_delete=models.PROTECT,
        related_name="batches",
        verbose_name=_("reconditionneur"),
    )
    donation = models.ForeignKey(
        Donation, on_delete=models.PROTECT, related_name="batches", verbose_name=_("don")
    )
    file_name = models.CharField(_("fichier"), max_length=255)
    row_count = models.PositiveIntegerField(_("appareils"), default=0)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    imported_at = models.DateTimeField(_("importé le"), default=timezone.now)

    class Meta:
        verbose_name = _("lot importé")
        verbose_name_plural = _("lots importés")
        ordering = ["-imported_at", "-id"]
        indexes = [models.Index(fields=["refurbisher", "imported_at"])]

    def __str__(self) -> str:
        return self.reference


class ImportJob(TimeStampedModel):
    """A large device file checked, then imported, by a background task (ADR 0018).

    Files above `EQUIPMENT_IMPORT_BACKGROUND_ROWS` rows go through a job rather than the request:
    the task records its progress here, then the report (the same per-row issues as the page
    shows) or the batch it created. The uploaded bytes wait in `storage_name` (import-export's
    `MediaStorage`) between the check and the confirmation, never longer than a day.
    """

    step = models.CharField(_("étape"), max_length=8, choices=ImportJobStep.choices)
    state = models.CharField(
        _("état"), max_length=10, choices=ImportJobState.choices, default=ImportJobState.QUEUED
    )
    donation = models.ForeignKey(
        Donation, on_delete=models.PROTECT, related_name="import_jobs", verbose_name=_("don")
    )
    refurbisher = models.ForeignKey(
        "network.RefurbishingPartner",
        on_delete=models.PROTECT,
        related_name="import_jobs",
        verbose_name=_("reconditionneur"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("envoyé par"),
    )
    # The role the file was sent with: the task acts with it, and stops if it was withdrawn.
    membership = models.ForeignKey(
        "accounts.Membership",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("rattachement"),
    )
    file_name = models.CharField(_("fichier"), max_length=255)
    storage_name = models.CharField(_("fichier gardé"), max_length=64, blank=True)
    total_rows = models.PositiveIntegerField(_("lignes"))
    processed_rows = models.PositiveIntegerField(_("lignes vérifiées"), default=0)
    invalid_lines = models.PositiveIntegerField(_("lignes à corriger"), default=0)
    # [{"line", "column", "message"}] and the first rows, as the report and preview show them.
    issues = models.JSONField(_("erreurs"), default=list, blank=True)
    preview = models.JSONField(_("aperçu"), default=list, blank=True)
    error_message = models.CharField(_("erreur"), max_length=500, blank=True)
    batch = models.ForeignKey(
        ImportBatch,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lot"),
    )
    started_at = models.DateTimeField(_("commencé le"), null=True, blank=True)
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("import en arrière-plan")
        verbose_name_plural = _("imports en arrière-plan")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["created_by", "created_at"]),
            models.Index(fields=["state", "updated_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                name="import_job_progress_within_total",
                condition=Q(processed_rows__lte=models.F("total_rows")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.file_name} · {self.get_state_display()}"

    @property
    def is_finished(self) -> bool:
        return self.state in FINISHED_JOB_STATES

    @property
    def percent(self) -> int:
        return 100 * self.processed_rows // self.total_rows if self.total_rows else 0


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
        from .enums import CheckPoint

        return [
            str(CheckPoint(code).label)
            for code, answer in self.answers.items()
            if answer == CheckAnswer.FAIL and code in CheckPoint.values
        ]


class PriceQuerySet(models.QuerySet["Price"]):
    def in_force(self, on: object = None) -> PriceQuerySet:
        return self.filter(valid_from__lte=on or timezone.localdate())


class Price(models.Model):
    """A solidarity price for a kind and grade, in force from a date until the next one."""

    kind = models.CharField(_("type"), max_length=16, choices=DeviceKind.choices)
    grade = models.CharField(_("grade"), max_length=1, choices=Grade.choices)
    amount = models.DecimalField(
        _("prix solidaire (€)"),
        max_digits=7,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("2000"))],
    )
    valid_from = models.DateField(_("à partir du"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PriceQuerySet.as_manager()

    class Meta:
        verbose_name = _("prix solidaire")
        verbose_name_plural = _("prix solidaires")
        ordering = ["kind", "grade", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "grade", "valid_from"], name="price_one_per_day"
            ),
        ]
        indexes = [models.Index(fields=["kind", "grade", "valid_from"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.grade} · {self.amount} €"


class Transfer(ReferencedModel):
    """Devices travelling from a workshop or a reception point to a reception point."""

    reference_prefix = "TR"
    reference_date_field = "sent_at"
    from_refurbisher = models.ForeignKey(
        "network.RefurbishingPartner",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("depuis l'atelier"),
    )
    from_point = models.ForeignKey(
        "network.ReceptionPoint",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="transfers_out",
        verbose_name=_("depuis le point d'accueil"),
    )
    to_point = models.ForeignKey(
        "network.ReceptionPoint",
        on_delete=models.PROTECT,
        related_name="transfers_in",
        verbose_name=_("vers le point d'accueil"),
    )
    status = models.CharField(
        _("statut"),
        max_length=16,
        choices=TransferStatus.choices,
        default=TransferStatus.IN_TRANSIT,
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    sent_at = models.DateTimeField(_("envoyé le"), default=timezone.now)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    received_at = models.DateTimeField(_("reçu le"), null=True, blank=True)
    note = models.CharField(_("remarque"), max_length=255, blank=True)
    discrepancy_note = models.CharField(_("écart constaté"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("transfert")
        verbose_name_plural = _("transferts")
        ordering = ["-sent_at", "-id"]
        indexes = [
            models.Index(fields=["to_point", "status"]),
            models.Index(fields=["from_point", "status"]),
            models.Index(fields=["from_refurbisher", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                name="transfer_one_origin",
                condition=(Q(from_refurbisher__isnull=True) & Q(from_point__isnull=False))
                | (Q(from_refurbisher__isnull=False) & Q(from_point__isnull=True)),
            ),
            models.CheckConstraint(
                name="transfer_not_to_itself", condition=~Q(from_point=models.F("to_point"))
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def origin(self) -> object:
        return self.from_point or self.from_refurbisher


class TransferItem(models.Model):
    """One device of a transfer; `received` is filled in at reception."""

    transfer = models.ForeignKey(Transfer, on_delete=models.CASCADE, related_name="items")
    device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="transfer_items")
    received = models.BooleanField(_("reçu"), null=True)

    class Meta:
        verbose_name = _("appareil transféré")
        constraints = [
            models.UniqueConstraint(fields=["transfer", "device"], name="transfer_item_once")
        ]

    def __str__(self) -> str:
        return f"{self.transfer_id}/{self.device_id}"


class StockCount(models.Model):
    """A periodic count of one reception point's shelves."""

    reception_point = models.ForeignKey(
        "network.ReceptionPoint", on_delete=models.PROTECT, related_name="stock_counts"
    )
    status = models.CharField(
        _("statut"), max_length=10, choices=StockCountStatus.choices, default=StockCountStatus.OPEN
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    started_at = models.DateTimeField(_("commencé le"), default=timezone.now)
    closed_at = models.DateTimeField(_("terminé le"), null=True, blank=True)
    # Frozen at closing: what was expected but not scanned, and scanned but not expected.
    missing = models.JSONField(default=list, blank=True)
    unexpected = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("inventaire")
        verbose_name_plural = _("inventaires")
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["reception_point", "started_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["reception_point"],
                condition=Q(status=StockCountStatus.OPEN),
                name="stock_count_one_open_per_site",
            )
        ]

    def __str__(self) -> str:
        return f"{self.reception_point_id} · {self.started_at:%d/%m/%Y}"


class StockCountScan(models.Model):
    """A serial number scanned or typed during a stock count."""

    stock_count = models.ForeignKey(StockCount, on_delete=models.CASCADE, related_name="scans")
    serial = models.CharField(_("numéro scanné"), max_length=60)
    device = models.ForeignKey(
        Device, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    scanned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    scanned_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("lecture d'inventaire")
        ordering = ["-scanned_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["stock_count", "serial"], name="stock_scan_once")
        ]

    def __str__(self) -> str:
        return self.serial
