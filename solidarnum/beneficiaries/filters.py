import re
from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from solidarnum.accounts.scope import scope_of
from solidarnum.common.text import normalize_name

from .enums import Profile
from .models import BeneficiaryQuerySet
from .selectors import can_see_full_file

NO_PROFILE = "none"
NEEDS = [
    ("equip", _("Équiper")),
    ("connect", _("Connecter")),
    ("support", _("Accompagner")),
]
ACCESS_STATES = [("active", _("Accès en cours")), ("ended", _("Accès terminé"))]
MIN_PHONE_DIGITS = 4


def phone_fragment(value: str) -> str:
    """The digits to look for in E.164 phone numbers: "06 12 34" → "61234"."""
    digits = re.sub(r"\D", "", value)
    if len(digits) < MIN_PHONE_DIGITS:
        return ""
    if digits.startswith("0"):
        digits = digits[1:]
    return digits


def search_condition(value: str, *, with_phone: bool) -> Q | None:
    """Name (accents and case ignored, words in any order) or, for full-file roles, phone."""
    condition = Q()
    # Every word, in any order: "awa diallo" finds the search name "diallo awa".
    words = [word for word in normalize_name(value).split() if any(c.isalpha() for c in word)]
    if words:
        condition = Q(*(Q(search_name__contains=word) for word in words))
    fragment = phone_fragment(value) if with_phone else ""
    if fragment:
        condition |= Q(phone__contains=fragment)
    return condition or None


class BeneficiaryFilter(django_filters.FilterSet):
    """Filters on `access_ends_on`, kept on the file by the services (ADR 0023)."""

    q = django_filters.CharFilter(label=_("Nom ou téléphone"), method="search")
    profile = django_filters.ChoiceFilter(
        label=_("Profil"),
        choices=[*Profile.choices, (NO_PROFILE, _("Pas encore de diagnostic"))],
        method="filter_profile",
        empty_label=_("Tous"),
    )
    need = django_filters.ChoiceFilter(
        label=_("Besoin"), choices=NEEDS, method="filter_need", empty_label=_("Tous")
    )
    access = django_filters.ChoiceFilter(
        label=_("Accès"), choices=ACCESS_STATES, method="filter_access", empty_label=_("Tous")
    )

    def search(self, queryset: BeneficiaryQuerySet, name: str, value: str) -> BeneficiaryQuerySet:
        with_phone = self.request is not None and can_see_full_file(scope_of(self.request))
        condition = search_condition(value, with_phone=with_phone)
        # A query that gives no criterion (a phone number typed by a volunteer) finds nothing.
        return queryset.filter(condition) if condition is not None else queryset.none()

    def filter_profile(
        self, queryset: BeneficiaryQuerySet, name: str, value: str
    ) -> BeneficiaryQuerySet:
        return queryset.filter(profile="" if value == NO_PROFILE else value)

    def filter_need(
        self, queryset: BeneficiaryQuerySet, name: str, value: str
    ) -> BeneficiaryQuerySet:
        return queryset.filter(**{f"needs_{value}": True})

    def filter_access(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        # Same rule as AccessPeriod.days_left: access is running while days are left.
        today = timezone.localdate()
        if value == "active":
            return queryset.filter(access_ends_on__gt=today)
        return queryset.filter(Q(access_ends_on__isnull=True) | Q(access_ends_on__lte=today))
