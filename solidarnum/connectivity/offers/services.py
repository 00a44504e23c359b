"""The offers catalogue: national admins add, change and withdraw offers and set their prices
from a date (today or later: a price change never rewrites what was charged before)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from solidarnum.accounts.models import User
from solidarnum.accounts.scope import Scope
from solidarnum.common.errors import ServiceError
from solidarnum.connectivity.models import Offer, OfferPrice
from solidarnum.privacy.audit import record
from solidarnum.privacy.models import AuditAction

OFFER_FIELDS = (
    "name",
    "kind",
    "operator",
    "validity_days",
    "data_gb",
    "unlimited_calls_sms",
    "description",
    "quota_per_30_days",
)


def _national(scope: Scope) -> None:
    if not scope.is_national_admin:
        raise ServiceError(_("Seule l'équipe nationale gère le catalogue des offres."))


@transaction.atomic
def create_offer(
    *,
    acting_user: User,
    scope: Scope,
    solidarity_price: Decimal,
    market_price: Decimal,
    **fields: Any,
) -> Offer:
    """A new offer with its first price, in force from today."""
    _national(scope)
    unknown = set(fields) - set(OFFER_FIELDS)
    if unknown:
        raise TypeError(f"Unknown offer fields: {sorted(unknown)}")
    if Offer.objects.filter(name__iexact=fields.get("name", "")).exists():
        raise ServiceError(_("Une offre porte déjà ce nom."))
    offer = Offer.objects.create(**fields)
    _check_prices(solidarity_price, market_price)
    OfferPrice.objects.create(
        offer=offer,
        valid_from=timezone.localdate(),
        solidarity_price=solidarity_price,
        market_price=market_price,
        created_by=acting_user,
    )
    record(actor=acting_user, action=AuditAction.CREATE, obj=offer, changed_fields=OFFER_FIELDS)
    return offer


@transaction.atomic
def update_offer(*, acting_user: User, scope: Scope, offer: Offer, **fields: Any) -> Offer:
    _national(scope)
    changed = [
        name for name in OFFER_FIELDS if name in fields and getattr(offer, name) != fields[name]
    ]
    if (
        "name" in changed
        and Offer.objects.filter(name__iexact=fields["name"]).exclude(pk=offer.pk).exists()
    ):
        raise ServiceError(_("Une offre porte déjà ce nom."))
    for name in changed:
        setattr(offer, name, fields[name])
    if changed:
        offer.save(update_fields=[*changed, "updated_at"])
        record(actor=acting_user, action=AuditAction.UPDATE, obj=offer, changed_fields=changed)
    return offer


@transaction.atomic
def set_offer_withdrawn(*, acting_user: User, scope: Scope, offer: Offer, withdrawn: bool) -> None:
    """Withdraw an offer from sale (hidden, never deleted) or put it back."""
    _national(scope)
    if offer.is_withdrawn == withdrawn:
        return
    offer.is_withdrawn = withdrawn
    offer.save(update_fields=["is_withdrawn", "updated_at"])
    record(actor=acting_user, action=AuditAction.UPDATE, obj=offer, changed_fields=["is_withdrawn"])


def _check_prices(solidarity_price: Decimal, market_price: Decimal) -> None:
    if solidarity_price < 0 or market_price < 0:
        raise ServiceError(_("Un prix ne peut pas être négatif."))
    if solidarity_price > market_price:
        raise ServiceError(
            _("Le prix solidaire ne peut pas dépasser le prix de référence du marché.")
        )


@transaction.atomic
def set_offer_price(
    *,
    acting_user: User,
    scope: Scope,
    offer: Offer,
    valid_from: date,
    solidarity_price: Decimal,
    market_price: Decimal,
) -> OfferPrice:
    """New prices for an offer from a date, today or later; the same date replaces the prices
    already planned for it."""
    _national(scope)
    if valid_from < timezone.localdate():
        raise ServiceError(
            _(
                "Un nouveau prix s'applique à partir d'aujourd'hui ou plus tard, "
                "jamais dans le passé."
            )
        )
    _check_prices(solidarity_price, market_price)
    price, created = OfferPrice.objects.update_or_create(
        offer=offer,
        valid_from=valid_from,
        defaults={
            "solidarity_price": solidarity_price,
            "market_price": market_price,
            "created_by": acting_user,
        },
    )
    record(
        actor=acting_user,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        obj=price,
        changed_fields=["solidarity_price", "market_price", "valid_from"],
    )
    return price
