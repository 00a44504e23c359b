"""The network: reception points, partner structures (some are relais numériques), donors and
refurbishing partners."""

from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from solidarnum.common import validators
from solidarnum.common.models import AddressMixin, ContactMixin, TimeStampedModel

from .enums import PlaceService, Typology


class ReceptionPointQuerySet(models.QuerySet["ReceptionPoint"]):
    def active(self) -> "ReceptionPointQuerySet":
        return self.filter(is_active=True)


class ReceptionPoint(TimeStampedModel, AddressMixin, ContactMixin):
    """A point d'accueil of the association."""

    name = models.CharField(
        _("nom"), max_length=150, unique=True, validators=[validators.validate_spreadsheet_safe]
    )
    opening_hours = models.CharField(
        _("horaires d'ouverture"),
        max_length=500,
        blank=True,
        validators=[validators.validate_opening_hours],
        help_text=_("Format OpenStreetMap, par exemple « Mo-Fr 09:30-12:30,14:00-18:00 »."),
    )
    services = models.JSONField(
        _("services proposés"),
        default=list,
        blank=True,
        help_text=_("Services de la nomenclature nationale des lieux de médiation numérique."),
    )
    accessibility_notes = models.TextField(_("accessibilité"), blank=True)
    is_active = models.BooleanField(_("actif"), default=True)

    objects = ReceptionPointQuerySet.as_manager()

    class Meta:
        verbose_name = _("point d'accueil")
        verbose_name_plural = _("points d'accueil")
        ordering = ["name"]
        indexes = [models.Index(fields=["is_active", "name"])]

    def __str__(self) -> str:
        return self.name

    def get_services_display(self) -> list[str]:
        labels = dict(PlaceService.choices)
        return [str(labels.get(code, code)) for code in self.services]


class PartnerStructureQuerySet(models.QuerySet["PartnerStructure"]):
    def active(self) -> "PartnerStructureQuerySet":
        return self.filter(is_active=True)

    def relays(self) -> "PartnerStructureQuerySet":
        return self.filter(is_relay=True)


class PartnerStructure(TimeStampedModel, AddressMixin, ContactMixin):
    """A structure orienteuse (social partner). When `is_relay`, also a relais numérique."""

    name = models.CharField(
        _("nom"), max_length=200, validators=[validators.validate_spreadsheet_safe]
    )
    typology = models.CharField(_("typologie"), max_length=20, choices=Typology.choices)
    siret = models.CharField(
        _("SIRET"), max_length=14, blank=True, validators=[validators.validate_siret]
    )
    contact_name = models.CharField(_("contact principal"), max_length=150, blank=True)
    contact_email = models.EmailField(_("e-mail du contact"), blank=True)
    contact_phone = PhoneNumberField(_("téléphone du contact"), blank=True)
    reception_point = models.ForeignKey(
        ReceptionPoint,
        on_delete=models.PROTECT,
        related_name="partner_structures",
        verbose_name=_("point d'accueil de rattachement"),
    )
    is_relay = models.BooleanField(
        _("relais numérique"),
        default=False,
        help_text=_("La structure vend les recharges solidaires pour le compte de l'association."),
    )
    opening_hours = models.CharField(
        _("horaires d'ouverture"),
        max_length=500,
        blank=True,
        validators=[validators.validate_opening_hours],
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = PartnerStructureQuerySet.as_manager()

    class Meta:
        verbose_name = _("structure partenaire")
        verbose_name_plural = _("structures partenaires")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["siret"], condition=~Q(siret=""), name="partner_siret_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["reception_point", "name"]),
            models.Index(fields=["is_relay", "is_active"]),
            models.Index(fields=["typology"]),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.commune})"


class CompanyBase(TimeStampedModel, AddressMixin, ContactMixin):
    name = models.CharField(
        _("raison sociale"), max_length=200, validators=[validators.validate_spreadsheet_safe]
    )
    siret = models.CharField(_("SIRET"), max_length=14, validators=[validators.validate_siret])
    contact_name = models.CharField(_("contact principal"), max_length=150, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.siret = validators.normalize_siret(self.siret)
        super().save(*args, **kwargs)


class DonorCompany(CompanyBase):
    """A company donating its used professional devices."""

    class Meta(CompanyBase.Meta):
        verbose_name = _("entreprise donatrice")
        verbose_name_plural = _("entreprises donatrices")
        constraints = [models.UniqueConstraint(fields=["siret"], name="donor_siret_unique")]


class RefurbishingPartner(CompanyBase):
    """A refurbishing workshop (reconditionneur solidaire): erasure, repair, grading."""

    class Meta(CompanyBase.Meta):
        verbose_name = _("reconditionneur partenaire")
        verbose_name_plural = _("reconditionneurs partenaires")
        constraints = [models.UniqueConstraint(fields=["siret"], name="refurbisher_siret_unique")]
