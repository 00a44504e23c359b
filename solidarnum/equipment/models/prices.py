"""Solidarity prices by kind and grade."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from solidarnum.equipment.enums import (
    DeviceKind,
    Grade,
)


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
