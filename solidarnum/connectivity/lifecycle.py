"""The life of a card or code: which status may follow which, and the one locked move that every
service uses, so that every move is kept (who, when, from, to, why, where).

    en stock → réservé → vendu
    en stock → en transit → en stock (another reception point)
    en stock → confié à un relais → vendu | en stock (returned)
    any held status → défectueux | expiré;  en stock → donné (outreach pack)

A code once shown ("révéler", the receipt) never goes back to a held status (database constraint
`code_revealed_never_on_sale`); a reserved code never shown goes back to stock.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from solidarnum.accounts.models import User
from solidarnum.common.errors import ServiceError

from .enums import CodeStatus
from .models import Code, CodeEvent, Offer

S = CodeStatus

TRANSITIONS: dict[CodeStatus, frozenset[CodeStatus]] = {
    S.IN_STOCK: frozenset(
        {S.RESERVED, S.SOLD, S.IN_TRANSIT, S.CONSIGNED, S.GIVEN, S.DEFECTIVE, S.EXPIRED}
    ),
    S.RESERVED: frozenset({S.SOLD, S.IN_STOCK, S.DEFECTIVE}),
    S.IN_TRANSIT: frozenset({S.IN_STOCK, S.DEFECTIVE}),
    S.CONSIGNED: frozenset({S.SOLD, S.IN_STOCK, S.DEFECTIVE, S.EXPIRED}),
    S.SOLD: frozenset({S.DEFECTIVE}),  # a faulty card is replaced and reported to the operator
    S.GIVEN: frozenset(),
    S.DEFECTIVE: frozenset(),
    S.EXPIRED: frozenset(),
}

FORBIDDEN_MESSAGE = _("Une carte ou un code « %(from)s » ne peut pas passer à « %(to)s ».")


def is_allowed(from_status: str, to_status: str) -> bool:
    return CodeStatus(to_status) in TRANSITIONS.get(CodeStatus(from_status), frozenset())


def event_for(
    code: Code,
    to_status: CodeStatus,
    *,
    acting_user: User | None,
    reason: str = "",
    at: datetime | None = None,
) -> CodeEvent:
    """Move `code` (in memory) and return its history line, unsaved: callers moving many codes
    save the codes and the lines in bulk."""
    if not is_allowed(code.status, to_status):
        raise ServiceError(
            str(FORBIDDEN_MESSAGE)
            % {"from": CodeStatus(code.status).label, "to": CodeStatus(to_status).label}
        )
    at = at or timezone.now()
    event = CodeEvent(
        code=code,
        offer_id=code.offer_id,
        from_status=code.status,
        to_status=to_status,
        at=at,
        actor=acting_user if getattr(acting_user, "is_authenticated", False) else None,
        reason=reason[:255],
        reception_point_id=code.reception_point_id,
        relay_id=code.relay_id,
    )
    code.status = to_status
    code.status_changed_at = at
    return event


def pick(candidates: QuerySet[Code], count: int) -> list[Code]:
    """Lock and return up to `count` codes of `candidates`, soonest expiry first, skipping rows
    another transaction holds (the caller's transaction keeps the locks)."""
    return list(
        candidates.select_related(None)
        .select_for_update(skip_locked=True)
        .order_by(F("expires_on").asc(nulls_last=True), "id")[:count]
    )


def sellable_at(offer: Offer, reception_point_id: int) -> QuerySet[Code]:
    return Code.objects.sellable().filter(offer=offer, reception_point_id=reception_point_id)


def locked(code: Code) -> Code:
    """Re-read the code under a row lock (inside the caller's transaction)."""
    return Code.objects.select_for_update().get(pk=code.pk)


def move(
    code: Code,
    to_status: CodeStatus,
    *,
    acting_user: User | None,
    reason: str = "",
    update_fields: tuple[str, ...] = (),
) -> CodeEvent:
    """One code's move, saved with its history line (the caller holds the row lock)."""
    event = event_for(code, to_status, acting_user=acting_user, reason=reason)
    code.save(update_fields=["status", "status_changed_at", *update_fields])
    # The event names where the code stands after the move, when the move changes it.
    event.reception_point_id = event.reception_point_id or code.reception_point_id
    event.relay_id = event.relay_id or code.relay_id
    event.save()
    return event


# Fields `bulk_update` writes when codes move together.
MOVED_FIELDS = ["status", "status_changed_at"]


def save_moves(codes: list[Code], events: list[CodeEvent], *, fields: list[str]) -> None:
    Code.objects.bulk_update(codes, [*MOVED_FIELDS, *fields], batch_size=500)
    CodeEvent.objects.bulk_create(events, batch_size=500)
