"""Filters of the reception point's referral inbox."""

from datetime import date, datetime, time, timedelta
from typing import Any

import django_filters
import phonenumbers
from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from solidarnum.accounts.scope import scope_of
from solidarnum.common.autocomplete import AutocompleteFilter
from solidarnum.common.text import normalize_name
from solidarnum.network.models import PartnerStructure
from solidarnum.referrals.enums import PENDING_STATUSES, ReferralStatus
from solidarnum.referrals.models import REFERENCE_ALPHABET, Referral

PENDING = "pending"
ALL = "all"
STATUS_CHOICES = [
    (PENDING, _("À traiter (ouvertes et à l'étude)")),
    *ReferralStatus.choices,
    (ALL, _("Tous les statuts")),
]
# A phone number has at least this many digits; shorter input is a name or a code.
MIN_PHONE_DIGITS = 6


def structures_for_inbox(request: HttpRequest | None) -> QuerySet[PartnerStructure]:
    """The structures attached to the site, and any other that has referred someone to it."""
    if request is None:
        return PartnerStructure.objects.none()
    site_id = scope_of(request).reception_point_id
    referred_here = Referral.objects.filter(
        partner_structure=OuterRef("pk"), reception_point_id=site_id
    )
    return PartnerStructure.objects.filter(Q(reception_point_id=site_id) | Exists(referred_here))


def search_condition(value: str) -> Q | None:
    """Reference code (exact), name (every word, accents and case ignored) or phone (E.164)."""
    value = value.strip()
    if not value:
        return None
    condition = Q()
    code = value.upper()
    if set(code) <= set(REFERENCE_ALPHABET):
        condition |= Q(reference=code)
    words = normalize_name(value).split()
    if words:
        by_name = Q()
        for word in words:
            by_name &= Q(search_name__contains=word)
        condition |= by_name
    e164 = phone_as_e164(value)
    if e164:
        condition |= Q(phone=e164)
    return condition


def phone_as_e164(value: str) -> str | None:
    if sum(c.isdigit() for c in value) < MIN_PHONE_DIGITS:
        return None
    try:
        number = phonenumbers.parse(value, "FR")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


class ReferralInboxFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Code, nom ou téléphone"),
        method="filter_search",
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    status = django_filters.ChoiceFilter(
        label=_("Statut"), choices=STATUS_CHOICES, empty_label=None, method="filter_status"
    )
    # Thousands of structures nationally: a name with suggestions, not a select (ADR 0024).
    partner_structure = AutocompleteFilter(
        label=_("Structure orienteuse"),
        queryset=structures_for_inbox,
        url_name="referrals:inbox_structure_suggestions",
    )
    since = django_filters.DateFilter(
        label=_("Reçues depuis le"),
        method="filter_since",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    until = django_filters.DateFilter(
        label=_("Reçues jusqu'au"),
        method="filter_until",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = Referral
        fields = ["q", "status", "partner_structure", "since", "until"]

    def __init__(self, data: Any = None, *args: Any, **kwargs: Any) -> None:
        # The inbox opens on what is left to do: pending referrals unless another status is asked.
        data = data.copy() if data is not None else {}
        if not data.get("status"):
            data["status"] = PENDING
        super().__init__(data, *args, **kwargs)

    def filter_status(
        self, queryset: QuerySet[Referral], name: str, value: str
    ) -> QuerySet[Referral]:
        if value == ALL:
            return queryset
        if value == PENDING:
            return queryset.filter(status__in=PENDING_STATUSES)
        return queryset.filter(status=value)

    def filter_search(
        self, queryset: QuerySet[Referral], name: str, value: str
    ) -> QuerySet[Referral]:
        condition = search_condition(value)
        return queryset if condition is None else queryset.filter(condition)

    def filter_since(
        self, queryset: QuerySet[Referral], name: str, value: date
    ) -> QuerySet[Referral]:
        # Compare with local midnights, so the created_at index can serve the range.
        return queryset.filter(created_at__gte=_start_of(value))

    def filter_until(
        self, queryset: QuerySet[Referral], name: str, value: date
    ) -> QuerySet[Referral]:
        return queryset.filter(created_at__lt=_start_of(value + timedelta(days=1)))
