"""Plan advice and mediation cases with an operator, on a person's file."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from solidarnum.common.validators import validate_spreadsheet_safe
from solidarnum.connectivity.enums import MediationKind, MediationStatus, MediationStepKind


def _money(label: Any) -> Any:
    return models.DecimalField(
        label,
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )


class PlanAdvice(models.Model):
    """A "conseil forfait": what the person needs, pays, and what was advised."""

    beneficiary = models.ForeignKey(
        "beneficiaries.Beneficiary",
        on_delete=models.CASCADE,
        related_name="plan_advices",
        verbose_name=_("bénéficiaire"),
    )
    given_on = models.DateField(_("donné le"), default=timezone.localdate)
    needs = models.CharField(_("besoins"), max_length=255, validators=[validate_spreadsheet_safe])
    current_plan = models.CharField(
        _("forfait actuel"), max_length=200, blank=True, validators=[validate_spreadsheet_safe]
    )
    monthly_spend = _money(_("dépense par mois (€)"))
    advice = models.TextField(_("conseil donné"))
    estimated_monthly_saving = _money(_("économie estimée par mois (€)"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("enregistré par"),
    )

    class Meta:
        verbose_name = _("conseil forfait")
        verbose_name_plural = _("conseils forfait")
        ordering = ["-given_on", "-id"]
        indexes = [models.Index(fields=["beneficiary", "given_on"])]

    def __str__(self) -> str:
        return f"{self.beneficiary_id} · {self.given_on:%d/%m/%Y}"


class MediationCase(models.Model):
    """A dispute with an operator, followed along the legal path (`mediation.deadlines`)."""

    beneficiary = models.ForeignKey(
        "beneficiaries.Beneficiary",
        on_delete=models.CASCADE,
        related_name="mediation_cases",
        verbose_name=_("bénéficiaire"),
    )
    reception_point = models.ForeignKey(
        "network.ReceptionPoint",
        on_delete=models.PROTECT,
        related_name="mediation_cases",
        verbose_name=_("point d'accueil"),
    )
    kind = models.CharField(_("motif"), max_length=20, choices=MediationKind.choices)
    operator = models.CharField(
        _("opérateur"), max_length=60, validators=[validate_spreadsheet_safe]
    )
    amount_disputed = _money(_("montant contesté (€)"))
    amount_recovered = _money(_("montant récupéré (€)"))
    status = models.CharField(
        _("statut"), max_length=12, choices=MediationStatus.choices, default=MediationStatus.OPEN
    )
    opened_on = models.DateField(_("ouvert le"), default=timezone.localdate)
    closed_on = models.DateField(_("clos le"), null=True, blank=True)
    # The dates of the legal path, kept with the steps that set them.
    complaint_on = models.DateField(_("réclamation écrite le"), null=True, blank=True)
    consumer_service_on = models.DateField(
        _("service consommateurs saisi le"), null=True, blank=True
    )
    mediator_on = models.DateField(_("médiateur saisi le"), null=True, blank=True)
    next_due_on = models.DateField(_("prochaine étape due le"), null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("ouvert par"),
    )

    class Meta:
        verbose_name = _("médiation avec un opérateur")
        verbose_name_plural = _("médiations avec les opérateurs")
        ordering = ["-opened_on", "-id"]
        indexes = [
            models.Index(fields=["status", "next_due_on"]),
            models.Index(fields=["beneficiary", "opened_on"]),
            models.Index(fields=["reception_point", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.operator}"


class MediationStep(models.Model):
    case = models.ForeignKey(
        MediationCase, on_delete=models.CASCADE, related_name="steps", verbose_name=_("médiation")
    )
    kind = models.CharField(_("étape"), max_length=20, choices=MediationStepKind.choices)
    done_on = models.DateField(_("faite le"))
    note = models.CharField(
        _("remarque"), max_length=500, blank=True, validators=[validate_spreadsheet_safe]
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("enregistré par"),
    )

    class Meta:
        verbose_name = _("étape de médiation")
        verbose_name_plural = _("étapes de médiation")
        ordering = ["done_on", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} · {self.kind}"
