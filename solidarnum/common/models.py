import uuid
from typing import Any

from django.db import models
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from . import validators


def as_bigint(pk: int) -> Cast:
    """An id in SQL with the type of our id columns (bigint) rather than a plain integer literal.

    A GIN index that pairs the site with trigrams (btree_gin, ADR 0023) has no cross-type
    operator: `reception_point_id = 1` leaves the site out of the index, which then reads
    every match in the country; `reception_point_id = 1::bigint` narrows to the site inside it."""
    return Cast(models.Value(pk), output_field=models.BigIntegerField())


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        abstract = True


class ReferencedModel(models.Model):
    """A readable reference, PREFIX-YEAR-00042, given once the row has its id (donations,
    batches, transfers, deliveries, consignments, pack handovers...). A subclass sets
    `reference_prefix` and `reference_date_field` (the date whose year the reference carries)."""

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


class AddressMixin(models.Model):
    """A French postal address with its INSEE commune code and optional coordinates."""

    # Address and contact go to the open-data CSV: no text a spreadsheet would run.
    address = models.CharField(
        _("adresse"), max_length=255, validators=[validators.validate_spreadsheet_safe]
    )
    address_complement = models.CharField(
        _("complément d'adresse"),
        max_length=255,
        blank=True,
        validators=[validators.validate_spreadsheet_safe],
    )
    postcode = models.CharField(
        _("code postal"), max_length=5, validators=[validators.validate_postcode]
    )
    commune = models.CharField(
        _("commune"), max_length=120, validators=[validators.validate_spreadsheet_safe]
    )
    insee_code = models.CharField(
        _("code INSEE de la commune"),
        max_length=5,
        blank=True,
        validators=[validators.validate_insee_code],
        help_text=_("5 caractères, par exemple 75119 pour Paris 19e ou 2A004 pour Ajaccio."),
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[validators.validate_latitude],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[validators.validate_longitude],
    )

    class Meta:
        abstract = True


class ContactMixin(models.Model):
    phone = PhoneNumberField(_("téléphone"), blank=True)
    email = models.EmailField(
        _("e-mail"), blank=True, validators=[validators.validate_spreadsheet_safe]
    )

    class Meta:
        abstract = True
